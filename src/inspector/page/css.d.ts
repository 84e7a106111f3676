// esbuild bundles the page's stylesheet into app.css; the import only tells it to.
declare module "*.css";

// Builds dist/: compiles TypeScript, copies the schemas, precompiles every event validator (graded,
// full and strict) with ajv's standalone code generation so that no command compiles schemas at
// start-up, bundles the command-line program, and builds the inspector's page.
import { execFileSync } from "node:child_process";
import { cpSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const dist = join(root, "dist");
const require = createRequire(import.meta.url);

execFileSync(process.execPath, [require.resolve("typescript/bin/tsc"), "-p", join(root, "tsconfig.build.json")], {
  stdio: "inherit",
});

// Non-TypeScript sources that the compiled code reads at run time.
const copy = (from, to) => cpSync(join(root, from), join(root, to), { recursive: true });
copy("src/catalog/schemas", "dist/catalog/schemas");
for (const name of readdirSync(join(root, "src"), { recursive: true })) {
  if (String(name).endsWith(".cjs")) copy(join("src", String(name)), join("dist", String(name)));
}

const { compileStandalone } = await import(join(dist, "catalog", "standalone.js"));
const { eventTypes } = await import(join(dist, "catalog", "catalog.js"));
const { ENVELOPE_EXPORT } = await import(join(dist, "catalog", "compile-validators.js"));
// One module per event type and one for the envelope (what an unknown type is checked against), in
// each set: graded (the everyday check), full (-v: info-level expectations too) and strict (the full
// set closed to undeclared fields, what --strict loads). A command loads the validators of the types
// it meets, not all of them. Each is written aside and renamed, so a wtbhook process running during
// a rebuild never reads half a file.
for (const [folder, set] of [
  ["validators", "graded"],
  ["validators-full", "full"],
  ["validators-strict", "strict"],
]) {
  const dir = join(dist, "catalog", folder);
  mkdirSync(dir, { recursive: true });
  for (const name of [...eventTypes(), ENVELOPE_EXPORT]) {
    const target = join(dir, `${name}.cjs`);
    writeFileSync(`${target}.tmp`, compileStandalone(set, [name]));
    renameSync(`${target}.tmp`, target);
  }
}

// The command-line program as one module (and lazily loaded chunks for what only some commands
// need), so that start-up reads a few files instead of a hundred. The library (dist/index.js) and
// its types stay as tsc wrote them. Paths a module builds from import.meta.url (schemas, fixtures,
// the precompiled validators, createRequire) keep pointing where they point from the module's own
// file in dist/; the native ngrok SDK stays outside the bundle.
const { build } = await import("esbuild");
const bundleDir = join(dist, "bundle");
rmSync(bundleDir, { recursive: true, force: true });
await build({
  entryPoints: [join(dist, "cli.js")],
  outdir: bundleDir,
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20.19",
  external: ["@ngrok/ngrok"],
  // Commander is CommonJS: its require() calls of Node's modules need a require in the bundle.
  banner: {
    js: 'import { createRequire as __wtbhookCreateRequire } from "node:module";\nconst require = __wtbhookCreateRequire(import.meta.url);',
  },
  legalComments: "none",
  logLevel: "warning",
  plugins: [
    {
      name: "keep-module-urls",
      setup(builder) {
        builder.onLoad({ filter: /\.js$/ }, (args) => {
          const text = readFileSync(args.path, "utf8");
          if (!args.path.startsWith(dist) || !text.includes("import.meta.url")) return { contents: text, loader: "js" };
          const own = JSON.stringify(relative(bundleDir, args.path).split(sep).join("/"));
          return { contents: text.replaceAll("import.meta.url", `new URL(${own}, import.meta.url).href`), loader: "js" };
        });
      },
    },
  ],
});

// The inspector's page: TypeScript and CSS bundled by esbuild into dist/inspector/page/ (every
// asset ships in the package; nothing comes from a CDN). Type-checked with its own tsconfig
// (DOM types), which the Node sources must not see; incrementally, so an unchanged page costs little.
execFileSync(
  process.execPath,
  [
    require.resolve("typescript/bin/tsc"),
    ...["-p", join(root, "src", "inspector", "page"), "--noEmit", "--incremental"],
    ...["--tsBuildInfoFile", join(dist, ".page.tsbuildinfo")],
  ],
  { stdio: "inherit" },
);
const page = join(dist, "inspector", "page");
await build({
  entryPoints: { app: join(root, "src", "inspector", "page", "main.tsx") },
  outdir: page,
  bundle: true,
  minify: true,
  format: "esm",
  target: ["chrome111", "firefox115", "safari16.4"],
  jsx: "automatic",
  jsxImportSource: "preact",
  legalComments: "none",
  charset: "utf8",
  logLevel: "warning",
});
copy("src/inspector/page/index.html", "dist/inspector/page/index.html");

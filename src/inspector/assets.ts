// The page's files, built by scripts/build.mjs into dist/inspector/page/ and read once at start.

import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

export interface Asset {
  type: string;
  body: Buffer;
}

const FILES: Record<string, string> = {
  "/": "index.html",
  "/app.js": "app.js",
  "/app.css": "app.css",
};

const TYPES: Record<string, string> = {
  html: "text/html; charset=utf-8",
  js: "text/javascript; charset=utf-8",
  css: "text/css; charset=utf-8",
};

/** Where the built page is: beside this module in dist/, or dist/ itself when running from the sources. */
function pageDir(): string | undefined {
  for (const candidate of ["./page/", "../../dist/inspector/page/"]) {
    const dir = fileURLToPath(new URL(candidate, import.meta.url));
    if (existsSync(`${dir}app.js`)) return dir;
  }
  return undefined;
}

/** The page's files by URL path; empty when the page was not built (the server then says so). */
export function loadAssets(): Map<string, Asset> {
  const dir = pageDir();
  const assets = new Map<string, Asset>();
  if (dir === undefined) return assets;
  for (const [path, file] of Object.entries(FILES)) {
    assets.set(path, { type: TYPES[file.split(".").pop()!]!, body: readFileSync(`${dir}${file}`) });
  }
  return assets;
}

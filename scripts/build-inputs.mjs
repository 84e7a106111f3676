// What dist/ is built from, as one hash: every file under src/ (the TypeScript, the schemas, the
// inspector's page), the build script and the package and TypeScript settings (the lock file pins
// the compilers and bundlers). scripts/build.mjs keeps it in dist/ and does nothing when it has not
// changed: `npm install` in a clone, npx's install of a clone and every `npm test` run the build.
import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { join, relative, sep } from "node:path";

export const BUILD_INPUTS_FILE = ".build-inputs";

const FILES = [
  "package.json",
  "package-lock.json",
  "tsconfig.json",
  "tsconfig.build.json",
  join("scripts", "build.mjs"),
  join("scripts", "build-inputs.mjs"),
];

/** Every file under `dir`, as paths relative to `root`, sorted. */
function filesUnder(root, dir) {
  return readdirSync(join(root, dir), { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(root, join(entry.parentPath ?? entry.path, entry.name)))
    .sort();
}

/** The hash of the build's inputs in the checkout at `root`. */
export function buildInputsHash(root) {
  const hash = createHash("sha256");
  for (const file of [...FILES, ...filesUnder(root, "src")]) {
    // Names with / on every system, each name and content length-prefixed: no two sets hash alike.
    const name = file.split(sep).join("/");
    let bytes;
    try {
      bytes = readFileSync(join(root, file));
    } catch {
      bytes = Buffer.alloc(0);
    }
    hash.update(`${name.length}:${name}${bytes.length}:`).update(bytes);
  }
  return hash.digest("hex");
}

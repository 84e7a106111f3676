// npm pack's prepack and postpack: the packed package.json leaves out the `prepare` script, which
// builds dist/ in a clone (the quick start's `npm install`) but is nothing a consumer of the
// package should run or be asked about (npm 11 lists it as an install script to approve).
// `strip` keeps the original aside; `restore` puts it back, also after a failed pack.
import { existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const manifest = join(root, "package.json");
const kept = join(root, ".package.json.unpacked");

if (process.argv[2] === "strip") {
  if (existsSync(kept)) renameSync(kept, manifest);
  const text = readFileSync(manifest, "utf8");
  const json = JSON.parse(text);
  writeFileSync(kept, text);
  delete json.scripts.prepare;
  writeFileSync(manifest, `${JSON.stringify(json, null, 2)}\n`);
} else if (process.argv[2] === "restore") {
  if (existsSync(kept)) renameSync(kept, manifest);
} else {
  console.error("usage: node scripts/pack-manifest.mjs strip|restore");
  process.exit(2);
}

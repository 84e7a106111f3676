// Runs every benchmark in bench/ one after another (each prints its own figures and ratio).
// Usage: npm run bench [-- name...]   e.g. npm run bench -- startup validate
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const all = ["startup", "validate", "send", "listen", "inspector"];
const chosen = process.argv.slice(2).length > 0 ? process.argv.slice(2) : all;
let failed = false;
for (const name of chosen) {
  const script = join(here, `${name}.mjs`);
  if (!existsSync(script)) {
    console.error(`bench: no benchmark named "${name}" (have: ${all.join(", ")})`);
    failed = true;
    continue;
  }
  console.log(`\n== ${name} ==`);
  const result = spawnSync(process.execPath, [script], { stdio: "inherit" });
  if (result.status !== 0) failed = true;
}
process.exitCode = failed ? 1 : 0;

// Builds dist/: compiles TypeScript, copies the schemas, and precompiles every event validator
// (plain and strict) with ajv's standalone code generation so that no command compiles schemas at start-up.
import { execFileSync } from "node:child_process";
import { cpSync, mkdirSync, readdirSync, renameSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
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
mkdirSync(join(dist, "catalog"), { recursive: true });
// The plain set, and the strict one (closed to undeclared fields) that --strict loads instead.
for (const [name, strict] of [
  ["validators.generated.cjs", false],
  ["validators-strict.generated.cjs", true],
]) {
  // Written aside and renamed, so a wtbhook process running during a rebuild never reads half a file.
  const target = join(dist, "catalog", name);
  writeFileSync(`${target}.tmp`, compileStandalone(strict));
  renameSync(`${target}.tmp`, target);
}

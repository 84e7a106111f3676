// Proves the published package works from a clean folder: npm pack, install the tarball into an
// empty project, then run the CLI and import the library from there. Run by .ci/run.
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const work = mkdtempSync(join(tmpdir(), "wtbhook-pack-"));
const run = (cmd, args, cwd) => execFileSync(cmd, args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
const check = (ok, what) => {
  if (!ok) {
    console.error(`check-pack: FAILED: ${what}`);
    process.exit(1);
  }
  console.log(`check-pack: ok: ${what}`);
};

try {
  const packed = JSON.parse(run("npm", ["pack", "--json", "--pack-destination", work], root));
  const files = packed[0].files.map((file) => file.path);
  check(files.includes("dist/cli.js") && files.includes("bin/wtbhook.js"), "tarball has bin/ and dist/");
  check(files.includes("dist/catalog/validators.generated.cjs"), "tarball has the precompiled validators");
  check(!files.some((file) => file.startsWith("src/") || file.startsWith("test/")), "tarball leaves out src/ and test/");
  const tarball = join(
    work,
    readdirSync(work).find((name) => name.endsWith(".tgz")),
  );

  const app = join(work, "app");
  mkdirSync(app);
  writeFileSync(join(app, "package.json"), JSON.stringify({ name: "app", version: "1.0.0", type: "module" }));
  run("npm", ["install", "--no-audit", "--no-fund", "--prefer-offline", tarball], app);

  const help = run("npx", ["--no-install", "wtbhook", "--help"], app);
  check(help.includes("Usage: wtbhook"), "npx wtbhook --help runs from the installed package");
  const fixture = join(app, "node_modules", "wtbhook", "fixtures", "user.created.json");
  run("npx", ["--no-install", "wtbhook", "validate", fixture], app);
  check(true, "npx wtbhook validate <fixture> exits 0");
  const count = run("node", ["--input-type=module", "-e", "import { eventTypes } from 'wtbhook'; console.log(eventTypes().length)"], app);
  check(Number(count.trim()) >= 1, `import { eventTypes } from "wtbhook" lists ${count.trim()} event types`);
} finally {
  rmSync(work, { recursive: true, force: true });
}

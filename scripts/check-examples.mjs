// Proves every consumer in examples/ passes `wtbhook check`: installs its dependencies, starts it
// on a free port, runs the built bin/wtbhook.cjs check against it, and fails when a check fails or
// the example does not start. Needs dist/ (npm run build). Run by .ci/run after the tests.
import { execFileSync, spawn } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const bin = join(root, "bin", "wtbhook.cjs");
const examples = join(root, "examples");
const START_TIMEOUT_MS = 20_000;

/** Starts an example with PORT=0 and resolves with the URL it prints, or rejects with its output. */
function start(dir) {
  const child = spawn(process.execPath, ["server.js"], { cwd: dir, env: { ...process.env, PORT: "0" }, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  const url = new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`did not print "Listening on <url>" within ${START_TIMEOUT_MS / 1000}s`)),
      START_TIMEOUT_MS,
    );
    const read = (chunk) => {
      output += chunk;
      const found = /Listening on (\S+)/.exec(output);
      if (found) {
        clearTimeout(timer);
        resolve(found[1]);
      }
    };
    child.stdout.setEncoding("utf8").on("data", read);
    child.stderr.setEncoding("utf8").on("data", read);
    child.on("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`exited (${code}) before listening`));
    });
  });
  const stop = () =>
    new Promise((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once("exit", () => resolve());
      child.kill();
    });
  return { url, stop, output: () => output };
}

/** Runs `wtbhook check --to url` with its output on ours; resolves with its exit code. */
function check(url) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bin, "check", "--to", url], { stdio: ["ignore", "inherit", "inherit"] });
    child.on("exit", (code) => resolve(code ?? 1));
  });
}

const failures = [];
const names = readdirSync(examples, { withFileTypes: true })
  .filter((entry) => entry.isDirectory() && existsSync(join(examples, entry.name, "package.json")))
  .map((entry) => entry.name)
  .sort();
if (names.length === 0) failures.push("no examples found");
for (const name of names) {
  const dir = join(examples, name);
  const pkg = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
  console.log(`check-examples: ${name}`);
  if (Object.keys(pkg.dependencies ?? {}).length > 0) {
    execFileSync("npm", ["install", "--no-audit", "--no-fund"], { cwd: dir, stdio: ["ignore", "inherit", "inherit"] });
  }
  const app = start(dir);
  try {
    const url = await app.url;
    const code = await check(url);
    if (code !== 0) failures.push(`${name}: wtbhook check exited ${code}`);
  } catch (error) {
    failures.push(`${name}: ${error.message}\n${app.output()}`);
  } finally {
    await app.stop();
  }
}
if (failures.length > 0) {
  for (const failure of failures) console.error(`check-examples: FAILED: ${failure}`);
  process.exit(1);
}
console.log(`check-examples: ok: ${names.join(", ")} pass wtbhook check`);

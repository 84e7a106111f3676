// Start-up: median wall time of `wtbhook validate fixtures/user.created.json` next to `node -e 0`,
// interleaved in the same run so that machine noise hits both alike. Target: at most 1.7×.
// Usage: node bench/startup.mjs [runs]   (default 15)
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const runs = Number(process.argv[2] ?? 15);
const bin = join(root, "bin", "wtbhook.js");
if (!existsSync(join(root, "dist", "cli.js"))) {
  console.error("bench/startup: dist/ is missing; run `npm run build` first");
  process.exit(2);
}

function time(args) {
  const started = process.hrtime.bigint();
  const result = spawnSync(process.execPath, args, {
    cwd: root,
    stdio: ["ignore", "ignore", "pipe"],
    env: { ...process.env, NO_COLOR: "1" },
  });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (result.status !== 0) throw new Error(`${args.join(" ")} exited ${result.status}: ${result.stderr}`);
  return ms;
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

// One warm-up of each (file cache), then alternating runs.
time(["-e", "0"]);
time([bin, "validate", "fixtures/user.created.json"]);
const bare = [];
const wtbhook = [];
// For reference: the program alone (commander, chalk, every command registered), no validation.
const version = [];
for (let i = 0; i < runs; i++) {
  bare.push(time(["-e", "0"]));
  wtbhook.push(time([bin, "validate", "fixtures/user.created.json"]));
  version.push(time([bin, "--version"]));
}
const a = median(bare);
const b = median(wtbhook);
const c = median(version);
console.log(`node -e 0                                     median ${a.toFixed(1)} ms  (${runs} runs)`);
console.log(`wtbhook validate fixtures/user.created.json   median ${b.toFixed(1)} ms  (${runs} runs)`);
console.log(`wtbhook --version (reference)                 median ${c.toFixed(1)} ms  (${(c / a).toFixed(2)}×)`);
console.log(`ratio ${(b / a).toFixed(2)}×  (target ≤ 1.7×)`);

// Start-up: median wall time of four everyday commands next to `node -e 0`, interleaved in the
// same run so that machine noise hits all alike, and the median CPU time (user + system, from
// /usr/bin/time where it is installed, in runs of their own: wall times are taken without it) for
// a figure that a busy machine disturbs less (its resolution is 10 ms).
// Target: at most 1.3× for each command.
// Usage: node bench/startup.mjs [runs]   (default 21)
//        WTBHOOK_BIN=/elsewhere/bin/wtbhook.cjs node bench/startup.mjs   (another build)
//        WTBHOOK_BASE=/earlier/bin/wtbhook.cjs node bench/startup.mjs   (an earlier build in the same
//        alternated runs, for a before/after that the machine's swings between runs do not decide)
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const runs = Number(process.argv[2] ?? 21);
// WTBHOOK_BIN measures another build (an earlier commit's bin/wtbhook.*js), for before/after figures.
const bin = process.env.WTBHOOK_BIN ?? join(root, "bin", "wtbhook.cjs");
if (!existsSync(join(root, "dist", "bundle", "cli.js"))) {
  console.error("bench/startup: dist/ is missing; run `npm run build` first");
  process.exit(2);
}
const TIME = "/usr/bin/time";
const cpuMeasured = existsSync(TIME);

const earlier = process.env.WTBHOOK_BASE;
const everyday = [
  ["validate fixtures/user.created.json", ["validate", "fixtures/user.created.json"]],
  ["--help", ["--help"]],
  ["send user.created --dry-run", ["send", "user.created", "--dry-run"]],
  ["__complete send --sc", ["__complete", "send", "--sc"]],
];
const commands = everyday.flatMap(([name, args]) => [
  [`wtbhook ${name}`, [bin, ...args]],
  ...(earlier === undefined ? [] : [[`  earlier build`, [earlier, ...args]]]),
]);

/** Wall milliseconds of one run of node with `args`, and CPU milliseconds of another. */
function time(args) {
  const options = { cwd: root, stdio: ["ignore", "ignore", "pipe"], env: { ...process.env, NO_COLOR: "1" } };
  const started = process.hrtime.bigint();
  const result = spawnSync(process.execPath, args, options);
  const wall = Number(process.hrtime.bigint() - started) / 1e6;
  if (result.status !== 0) return { failed: String(result.stderr).trim().split("\n")[0] };
  if (!cpuMeasured) return { wall, cpu: NaN };
  const timed = spawnSync(TIME, ["-f", "%U %S", process.execPath, ...args], options);
  const [user, system] = (String(timed.stderr).trim().split("\n").at(-1) ?? "").split(" ").map(Number);
  return { wall, cpu: (user + system) * 1000 };
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

// One warm-up of each (file cache, and wtbhook's compile cache, written per command), then alternating runs.
const bare = [];
const measured = commands.map(() => []);
const available = commands.map(([, args]) => time(args).failed === undefined);
time(["-e", "0"]);
for (let i = 0; i < runs; i++) {
  bare.push(time(["-e", "0"]));
  commands.forEach(([, args], j) => available[j] && measured[j].push(time(args)));
}
const base = { wall: median(bare.map((r) => r.wall)), cpu: median(bare.map((r) => r.cpu)) };
const figures = (wall, cpu) => `wall ${wall.toFixed(1)} ms` + (cpuMeasured ? `  cpu ${cpu.toFixed(0)} ms` : "");
console.log(`node ${process.version}, ${runs} alternated runs; median ${cpuMeasured ? "wall and CPU " : "wall "}times`);
console.log(`${"node -e 0".padEnd(44)} ${figures(base.wall, base.cpu)}`);
let worst = 0;
commands.forEach(([name], j) => {
  if (!available[j]) return console.log(`${name.padEnd(44)} (not measured: it does not run here)`);
  const wall = median(measured[j].map((r) => r.wall));
  const cpu = median(measured[j].map((r) => r.cpu));
  if (name.startsWith("wtbhook")) worst = Math.max(worst, wall / base.wall);
  const cpuRatio = cpuMeasured ? `, cpu ${(cpu / base.cpu).toFixed(2)}×` : "";
  console.log(`${name.padEnd(44)} ${figures(wall, cpu)}  ratio ${(wall / base.wall).toFixed(2)}×${cpuRatio}`);
});
console.log(`worst wall ratio ${worst.toFixed(2)}×  (target ≤ 1.3×)`);

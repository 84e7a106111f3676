// Start-up: four everyday commands next to `node -e 0`. Each run of a command follows a run of
// `node -e 0` of its own, and the figure is the median over the runs of the ratio of the two
// (paired ratios): a machine that slows down for a while slows both runs of a pair, where the
// ratio of two medians taken over the whole run takes in every swing between its runs. The ratio
// of the medians is printed too.
// CPU time is not measured: Node has no rusage of a child, and /usr/bin/time's 10 ms resolution is
// half of what `node -e 0` takes.
// Target: at most 1.3× for each command.
// Usage: node bench/startup.mjs [runs]   (default 31)
//        WTBHOOK_BIN=/elsewhere/bin/wtbhook.cjs node bench/startup.mjs   (another build)
//        WTBHOOK_BASE=/earlier/bin/wtbhook.cjs node bench/startup.mjs   (an earlier build in the same
//        alternated runs, for a before/after that the machine's swings between runs do not decide)
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const runs = Number(process.argv[2] ?? 31);
// WTBHOOK_BIN measures another build (an earlier commit's bin/wtbhook.*js), for before/after figures.
const bin = process.env.WTBHOOK_BIN ?? join(root, "bin", "wtbhook.cjs");
if (!existsSync(join(root, "dist", "bundle", "cli.js"))) {
  console.error("bench/startup: dist/ is missing; run `npm run build` first");
  process.exit(2);
}

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
const BARE = ["-e", "0"];

/** Wall milliseconds of one run of node with `args`, or why it failed. */
function time(args) {
  const options = { cwd: root, stdio: ["ignore", "ignore", "pipe"], env: { ...process.env, NO_COLOR: "1" } };
  const started = process.hrtime.bigint();
  const result = spawnSync(process.execPath, args, options);
  const wall = Number(process.hrtime.bigint() - started) / 1e6;
  return result.status === 0 ? { wall } : { failed: String(result.stderr).trim().split("\n")[0] };
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

// One warm-up of each (file cache, and wtbhook's compile cache, written per command), then rounds
// in which each command runs right after a `node -e 0` of its own.
const bare = [];
/** Per command: its wall times, and the ratio of each to the `node -e 0` just before it. */
const measured = commands.map(() => ({ wall: [], ratio: [] }));
const available = commands.map(([, args]) => time(args).failed === undefined);
time(BARE);
for (let i = 0; i < runs; i++) {
  commands.forEach(([, args], j) => {
    if (!available[j]) return;
    const before = time(BARE).wall;
    const { wall } = time(args);
    bare.push(before);
    measured[j].wall.push(wall);
    measured[j].ratio.push(wall / before);
  });
}
const base = median(bare);
console.log(`node ${process.version}, ${runs} runs of each command, each after a run of \`node -e 0\`; median wall times`);
console.log(`${"node -e 0".padEnd(44)} ${base.toFixed(1)} ms`);
let worst = 0;
commands.forEach(([name], j) => {
  if (!available[j]) return console.log(`${name.padEnd(44)} (not measured: it does not run here)`);
  const wall = median(measured[j].wall);
  const ratio = median(measured[j].ratio);
  if (name.startsWith("wtbhook")) worst = Math.max(worst, ratio);
  console.log(
    `${name.padEnd(44)} ${wall.toFixed(1)} ms  ratio ${ratio.toFixed(2)}× (median of paired ratios; ${(wall / base).toFixed(2)}× of the medians)`,
  );
});
console.log(`worst ratio ${worst.toFixed(2)}×  (target ≤ 1.3×)`);

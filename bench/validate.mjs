// Throughput of `wtbhook validate` on a 200,000-event NDJSON file (1% invalid), next to a bare
// loop of JSON.parse + the same compiled validator over the same lines, in the same run.
// Both are spawned processes timed wall-clock (start-up included for both). Target: ≥ 0.8×.
// Also prints the peak memory (RSS) of the wtbhook process.
//
// Usage: node bench/validate.mjs [--events N] [--runs N]
//        node bench/validate.mjs --big [--gigabytes 1]   (the 1 GB NDJSON: peak memory, target < 150 MB)
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

import { writeNdjson } from "./lib-ndjson.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const { values } = parseArgs({
  options: {
    events: { type: "string", default: "200000" },
    runs: { type: "string", default: "3" },
    big: { type: "boolean", default: false },
    gigabytes: { type: "string", default: "1" },
  },
});
if (!existsSync(join(root, "dist", "cli.js"))) {
  console.error("bench/validate: dist/ is missing; run `npm run build` first");
  process.exit(2);
}

const hasTime = spawnSync("/usr/bin/time", ["-f", "%M", "true"]).status === 0;

/** Runs node with args; wall time in ms and peak RSS in MB (from /usr/bin/time when there is one). */
function measure(args) {
  const command = hasTime ? "/usr/bin/time" : process.execPath;
  const full = hasTime ? ["-f", "%M", process.execPath, ...args] : args;
  const started = process.hrtime.bigint();
  const result = spawnSync(command, full, { cwd: root, encoding: "utf8", maxBuffer: 1 << 30, env: { ...process.env, NO_COLOR: "1" } });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  const kb = hasTime ? Number(result.stderr.trim().split("\n").at(-1)) : NaN;
  return { ms, rssMb: kb / 1024, status: result.status, stdout: result.stdout, stderr: result.stderr };
}

const median = (list) => {
  const sorted = [...list].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

const dir = mkdtempSync(join(tmpdir(), "wtbhook-bench-"));
try {
  if (values.big) {
    const file = join(dir, "big.ndjson");
    const target = Number(values.gigabytes) * 1024 ** 3;
    const made = await writeNdjson(root, file, { bytes: target });
    console.log(
      `generated ${(made.bytes / 1024 ** 3).toFixed(2)} GB: ${made.events.toLocaleString("en-US")} events, ${made.invalid.toLocaleString("en-US")} invalid`,
    );
    const run = measure(["bin/wtbhook.cjs", "validate", file, "--quiet", "--max-errors", "1"]);
    const summary = run.stdout.trim().split("\n").at(-1);
    console.log(
      `wtbhook validate: ${(run.ms / 1000).toFixed(1)} s, ${Math.round(made.events / (run.ms / 1000)).toLocaleString("en-US")} events/s, exit ${run.status}`,
    );
    console.log(`  ${summary}`);
    console.log(`peak RSS ${run.rssMb.toFixed(0)} MB  (target < 150 MB)`);
  } else {
    const file = join(dir, "events.ndjson");
    const made = await writeNdjson(root, file, { count: Number(values.events) });
    console.log(
      `generated ${made.events.toLocaleString("en-US")} events (${made.invalid.toLocaleString("en-US")} invalid), ${(made.bytes / 1024 ** 2).toFixed(0)} MB`,
    );
    const baseline = [];
    const wtbhook = [];
    let rss = 0;
    for (let i = 0; i < Number(values.runs); i++) {
      const b = measure(["bench/lib-validate-baseline.mjs", file]);
      if (b.status !== 0) throw new Error(`baseline failed: ${b.stderr}`);
      const [events, , invalid] = b.stdout.trim().split(" ").map(Number);
      if (events !== made.events || invalid !== made.invalid) throw new Error(`baseline counted ${b.stdout}`);
      baseline.push(b.ms);
      const w = measure(["bin/wtbhook.cjs", "validate", file, "--quiet"]);
      if (w.status !== 1 || !w.stdout.includes(`${made.invalid.toLocaleString("en-US")} invalid`))
        throw new Error(`wtbhook validate: exit ${w.status} ${w.stderr}`);
      wtbhook.push(w.ms);
      rss = Math.max(rss, w.rssMb);
    }
    const rate = (ms) => made.events / (ms / 1000);
    const b = rate(median(baseline));
    const w = rate(median(wtbhook));
    console.log(
      `baseline (JSON.parse + compiled validator)   ${Math.round(b).toLocaleString("en-US")} events/s  (median of ${baseline.length}, ${median(baseline).toFixed(0)} ms)`,
    );
    console.log(
      `wtbhook validate                              ${Math.round(w).toLocaleString("en-US")} events/s  (median of ${wtbhook.length}, ${median(wtbhook).toFixed(0)} ms)`,
    );
    console.log(`ratio ${(w / b).toFixed(2)}×  (target ≥ 0.8×)`);
    console.log(`peak RSS of wtbhook validate ${Number.isNaN(rss) ? "(no /usr/bin/time)" : `${rss.toFixed(0)} MB`}`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}

// Drives two HTTP servers with autocannon (50 connections, POST of the user.created fixture) in
// alternating rounds, and reports req/s, p99, server CPU time per request and the ratio between
// them. Shared by bench/listen.mjs (listen vs a bare server) and bench/inspector.mjs (listen with
// and without its inspector).
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

import autocannon from "autocannon";

export const root = fileURLToPath(new URL("..", import.meta.url));
export const bin = join(root, "bin", "wtbhook.cjs");

export function numberArg(name, fallback) {
  const at = process.argv.indexOf(`--${name}`);
  return at > 0 ? Number(process.argv[at + 1]) : fallback;
}

/** Starts a server process and resolves with its URL (read from its stderr ready line). */
function start(args) {
  const child = spawn(process.execPath, args, { cwd: root, stdio: ["ignore", "ignore", "pipe"], env: { ...process.env, NO_COLOR: "1" } });
  return new Promise((resolve, reject) => {
    let stderr = "";
    child.stderr.setEncoding("utf8").on("data", (chunk) => {
      stderr += chunk;
      const match = /Ready! Listening on (\S+)/.exec(stderr);
      if (match) resolve({ child, url: match[1] });
    });
    child.on("exit", (code) => reject(new Error(`server exited (${code}) before it was ready:\n${stderr}`)));
  });
}

/** CPU time (user + system) the process has used so far, in ms; undefined where /proc is missing. */
function cpuMs(pid) {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
    // utime and stime are fields 14 and 15 of the line, in clock ticks (100 per second on Linux).
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
  } catch {
    return undefined;
  }
}

async function stop(child) {
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGTERM");
  await exited;
}

function load(url, seconds, body) {
  return autocannon({ url, connections: 50, duration: seconds, method: "POST", headers: { "content-type": "application/json" }, body });
}

export const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/**
 * Runs `rounds` rounds; each round loads both contenders (`{ name, args(record) }`, the first one
 * the baseline), in alternating order so that a machine speeding up or slowing down during the
 * run does not always favour the same one. Resolves with each contender's results per round.
 */
export async function compare(contenders, { duration, rounds }) {
  const body = readFileSync(join(root, "fixtures", "user.created.json"));
  const dir = mkdtempSync(join(tmpdir(), "wtbhook-bench-"));
  const record = join(dir, "events.ndjson");
  const results = Object.fromEntries(contenders.map((contender) => [contender.name, []]));
  try {
    for (let round = 1; round <= rounds; round++) {
      for (const contender of round % 2 === 1 ? contenders : [...contenders].reverse()) {
        rmSync(record, { force: true });
        const server = await start(contender.args(record));
        await load(server.url, 2, body); // warm-up (JIT, first connections), not counted
        const cpuBefore = cpuMs(server.child.pid);
        const result = await load(server.url, duration, body);
        const cpuAfter = cpuMs(server.child.pid);
        await stop(server.child);
        const errors = result.errors + result.timeouts + result.non2xx;
        const cpuUs =
          cpuBefore === undefined || cpuAfter === undefined ? undefined : ((cpuAfter - cpuBefore) * 1000) / result.requests.total;
        results[contender.name].push({ rps: result.requests.average, p99: result.latency.p99, errors, cpuUs });
        const cpu = cpuUs === undefined ? "" : `  server CPU ${cpuUs.toFixed(1)} µs/request`;
        process.stderr.write(
          `round ${round} ${contender.name.padEnd(8)} ${Math.round(result.requests.average)} req/s  p99 ${result.latency.p99} ms  errors ${errors}${cpu}\n`,
        );
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return results;
}

/** Prints the medians, the ratio of the second contender to the first and the per-round ratios. */
export function report(results, [base, other], labels, target, { duration, rounds }) {
  const baseRps = median(results[base].map((r) => r.rps));
  const otherRps = median(results[other].map((r) => r.rps));
  console.log(`${labels[0].padEnd(40)} ${Math.round(baseRps)} req/s   p99 ${median(results[base].map((r) => r.p99))} ms`);
  console.log(`${labels[1].padEnd(40)} ${Math.round(otherRps)} req/s   p99 ${median(results[other].map((r) => r.p99))} ms`);
  console.log(`ratio ${(otherRps / baseRps).toFixed(2)}× (target ${target}), medians of ${rounds} rounds of ${duration}s, 50 connections`);
  if (results[base].every((r) => r.cpuUs !== undefined)) {
    const baseCpu = median(results[base].map((r) => r.cpuUs));
    const otherCpu = median(results[other].map((r) => r.cpuUs));
    console.log(
      `server CPU per request: ${base} ${baseCpu.toFixed(1)} µs, ${other} ${otherCpu.toFixed(1)} µs (${base}/${other} ${(baseCpu / otherCpu).toFixed(2)}×)`,
    );
  }
  // Each round's two runs are minutes closer together than the medians' runs may be.
  const perRound = results[other].map((r, i) => r.rps / results[base][i].rps);
  console.log(`per-round ratios ${perRound.map((r) => r.toFixed(2)).join(" ")} (median ${median(perRound).toFixed(2)}×)`);
}

// Throughput of `wtbhook listen --json --record FILE > /dev/null` next to a bare node:http server
// that reads the body and answers 200, both driven by autocannon (50 connections, POST of the
// user.created fixture) in the same run. Prints req/s, the ratio (target ≥ 0.6×) and p99 latency,
// and (on Linux) each server's CPU time per request: steadier than req/s on a shared machine.
//
//   node bench/listen.mjs [--duration 10] [--rounds 3]     (needs a built dist/: npm run build)
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

import autocannon from "autocannon";

const root = fileURLToPath(new URL("..", import.meta.url));
const arg = (name, fallback) => {
  const at = process.argv.indexOf(`--${name}`);
  return at > 0 ? Number(process.argv[at + 1]) : fallback;
};
const duration = arg("duration", 10);
const rounds = arg("rounds", 3);
const body = readFileSync(join(root, "fixtures", "user.created.json"));

const BARE = `
const { createServer } = require("node:http");
const server = createServer((req, res) => {
  const chunks = [];
  req.on("data", (c) => chunks.push(c));
  req.on("end", () => { Buffer.concat(chunks); res.writeHead(200, { "content-length": 0 }); res.end(); });
});
server.listen(0, "127.0.0.1", () => process.stderr.write("Ready! Listening on http://127.0.0.1:" + server.address().port + "/\\n"));
`;

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

function load(url, seconds) {
  return autocannon({
    url,
    connections: 50,
    duration: seconds,
    method: "POST",
    headers: { "content-type": "application/json" },
    body,
  });
}

const dir = mkdtempSync(join(tmpdir(), "wtbhook-bench-"));
const record = join(dir, "events.ndjson");
const results = { bare: [], listen: [] };
try {
  for (let round = 1; round <= rounds; round++) {
    // Alternate which server goes first, so that a machine slowing down or speeding up during
    // the run does not always favour the same one.
    for (const name of round % 2 === 1 ? ["bare", "listen"] : ["listen", "bare"]) {
      rmSync(record, { force: true });
      const server =
        name === "bare"
          ? await start(["-e", BARE])
          : await start([join(root, "bin", "wtbhook.js"), "listen", "-p", "0", "--json", "--record", record]);
      await load(server.url, 2); // warm-up (JIT, first connections), not counted
      const cpuBefore = cpuMs(server.child.pid);
      const result = await load(server.url, duration);
      const cpuAfter = cpuMs(server.child.pid);
      await stop(server.child);
      const errors = result.errors + result.timeouts + result.non2xx;
      const cpuUs = cpuBefore === undefined || cpuAfter === undefined ? undefined : ((cpuAfter - cpuBefore) * 1000) / result.requests.total;
      results[name].push({ rps: result.requests.average, p99: result.latency.p99, errors, cpuUs });
      const cpu = cpuUs === undefined ? "" : `  server CPU ${cpuUs.toFixed(1)} µs/request`;
      process.stderr.write(
        `round ${round} ${name.padEnd(6)} ${Math.round(result.requests.average)} req/s  p99 ${result.latency.p99} ms  errors ${errors}${cpu}\n`,
      );
    }
  }
  const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
  const bare = median(results.bare.map((r) => r.rps));
  const listen = median(results.listen.map((r) => r.rps));
  console.log(`bare node:http          ${Math.round(bare)} req/s   p99 ${median(results.bare.map((r) => r.p99))} ms`);
  console.log(`wtbhook listen --json --record  ${Math.round(listen)} req/s   p99 ${median(results.listen.map((r) => r.p99))} ms`);
  console.log(`ratio ${(listen / bare).toFixed(2)}× (target ≥ 0.60×), medians of ${rounds} rounds of ${duration}s, 50 connections`);
  if (results.bare.every((r) => r.cpuUs !== undefined)) {
    const bareCpu = median(results.bare.map((r) => r.cpuUs));
    const listenCpu = median(results.listen.map((r) => r.cpuUs));
    console.log(
      `server CPU per request: bare ${bareCpu.toFixed(1)} µs, listen ${listenCpu.toFixed(1)} µs (bare/listen ${(bareCpu / listenCpu).toFixed(2)}×)`,
    );
  }
  // Each round's two runs are minutes closer together than the medians' runs may be.
  const perRound = results.listen.map((r, i) => r.rps / results.bare[i].rps);
  console.log(`per-round ratios ${perRound.map((r) => r.toFixed(2)).join(" ")} (median ${median(perRound).toFixed(2)}×)`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}

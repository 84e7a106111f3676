// Sender throughput (load mode): `wtbhook send user.created --repeat N --concurrency 64` next to
// autocannon (64 connections, same body, N requests) against the same bare node:http server (its
// own process), interleaved in one run, both timed as whole processes (start-up included).
// Prints deliveries per second for both and the ratio, median of the rounds (target ≥ 0.85×).
// A third line, a bare undici Pool.dispatch loop with the same body and 64 connections (in its own
// process, like wtbhook), shows how much of the gap is undici itself rather than wtbhook.
// On a shared machine quote the per-round ratios and the quiet rounds, not one number.
// Usage: node bench/send.mjs [rounds] [amount]   (default 5 rounds of 60000)
//        WTBHOOK_BIN=/elsewhere/bin/wtbhook.cjs node bench/send.mjs   (another build)
//        WTBHOOK_BASE=/earlier/bin/wtbhook.cjs node bench/send.mjs   (an earlier build in the same rounds:
//        on a shared machine the rates move between runs, so a before/after comparison needs both in one run)
import { spawn } from "node:child_process";
import { closeSync, existsSync, fstatSync, mkdtempSync, openSync, readSync, rmSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const rounds = Number(process.argv[2] ?? 5);
const amount = Number(process.argv[3] ?? 60000);
const connections = 64;
// WTBHOOK_BIN measures another build (an earlier commit's bin/wtbhook.*js) against the same server.
const bin = process.env.WTBHOOK_BIN ?? join(root, "bin", "wtbhook.cjs");
const base = process.env.WTBHOOK_BASE;
if (!existsSync(join(root, "dist", "cli.js"))) {
  console.error("bench/send: dist/ is missing; run `npm run build` first");
  process.exit(2);
}

// The server on one core and the client being measured on another (taskset, where the machine has
// two cores and taskset): otherwise the scheduler may put both on one core in one run and not in
// the next, and the rates of a run differ from the next by a third.
const PIN = cpus().length >= 2 && existsSync("/usr/bin/taskset");
/** [command, args] running node with `args`, on `cpu` where pinning is possible. */
const node = (cpu, args) => (PIN ? ["/usr/bin/taskset", ["-c", String(cpu), process.execPath, ...args]] : [process.execPath, args]);

const SERVER = `
const http = require("node:http");
const server = http.createServer((req, res) => {
  req.on("data", () => {});
  req.on("end", () => { res.writeHead(200, { "content-type": "application/json" }); res.end('{"ok":true}'); });
});
server.keepAliveTimeout = 60000;
server.listen(0, "127.0.0.1", () => console.log(server.address().port));
`;

function startServer() {
  return new Promise((resolve, reject) => {
    const child = spawn(...node(0, ["-e", SERVER]), { stdio: ["ignore", "pipe", "inherit"] });
    child.stdout.setEncoding("utf8").once("data", (port) => resolve({ child, url: `http://127.0.0.1:${port.trim()}/webhooks` }));
    child.once("error", reject);
  });
}

/**
 * wtbhook's lines (one per delivery, 5 MB for 60,000) go to a file, as in a CI job's `2> send.log`.
 * Read through a pipe by this bench's own event loop, a third process on either core, they took
 * about 5% off wtbhook's ratio (two alternated runs on Node 22: 1.08× against 1.12×, 1.12×
 * against 1.18×), where `2>&1 | cat` costs nothing next to the file. autocannon prints its summary only.
 */
function runWtbhook(url, program = bin) {
  return new Promise((resolve, reject) => {
    const log = join(logDir, "send.log");
    const err = openSync(log, "w");
    const started = process.hrtime.bigint();
    const child = spawn(
      ...node(1, [program, "send", "user.created", "--repeat", String(amount), "--concurrency", String(connections), "--to", url]),
      {
        cwd: root,
        stdio: ["ignore", "ignore", err],
        env: { ...process.env, NO_COLOR: "1" },
      },
    );
    closeSync(err);
    child.once("error", reject);
    child.once("close", (code) => {
      const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
      // The summary is at the end of the log; its own rate is first delivery to last, without process start-up.
      const tail = readTail(log, 4000);
      const match = /(\d+)\/(\d+) delivered in [\d.]+m?s \(([\d.]+)\/s/.exec(tail);
      if (code !== 0 || !match) return reject(new Error(`wtbhook send exited ${code}: ${tail.slice(-500)}`));
      resolve({ perSecond: Number(match[3]), wallPerSecond: (amount / wallMs) * 1000 });
    });
  });
}

/** The last `bytes` of a file, as text. */
function readTail(path, bytes) {
  const fd = openSync(path, "r");
  try {
    const size = fstatSync(fd).size;
    const buffer = Buffer.alloc(Math.min(bytes, size));
    readSync(fd, buffer, 0, buffer.length, size - buffer.length);
    return buffer.toString("utf8");
  } finally {
    closeSync(fd);
  }
}

const BARE_UNDICI = `
const { Pool } = require(process.argv[1]);
const body = require("node:fs").readFileSync(process.argv[2]);
const url = new URL(process.argv[3]);
const total = Number(process.argv[4]);
const pool = new Pool(url.origin, { connections: 64, pipelining: 1 });
const headers = { "content-type": "application/json", "user-agent": "bare-undici" };
let next = 0;
const one = () => new Promise((resolve, reject) => pool.dispatch(
  { origin: url.origin, path: url.pathname, method: "POST", headers, body },
  { onRequestStart() {}, onResponseStart() {}, onResponseData() {}, onResponseEnd: resolve, onResponseError: (c, e) => reject(e) },
));
const worker = async () => { while (next < total) { next++; await one(); } };
const started = performance.now();
Promise.all(Array.from({ length: 64 }, worker)).then(() => {
  console.log(total / (performance.now() - started) * 1000);
  return pool.close();
});
`;

function runBareUndici(url, fixture) {
  return new Promise((resolve, reject) => {
    const child = spawn(...node(1, ["-e", BARE_UNDICI, join(root, "node_modules", "undici"), fixture, url, String(amount)]), {
      stdio: ["ignore", "pipe", "inherit"],
    });
    let out = "";
    child.stdout.setEncoding("utf8").on("data", (chunk) => (out += chunk));
    child.once("error", reject);
    child.once("close", (code) =>
      code === 0 ? resolve({ perSecond: Number(out.trim()) }) : reject(new Error(`bare undici exited ${code}`)),
    );
  });
}

/** autocannon as a process of its own (its command line), timed whole like wtbhook. */
function runAutocannon(url, fixture) {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const args = [join(root, "node_modules", "autocannon", "autocannon.js"), "-c", String(connections), "-a", String(amount)];
    args.push("-m", "POST", "-H", "content-type=application/json", "-H", "user-agent=autocannon", "-i", fixture, "-j", "-n", url);
    const child = spawn(...node(1, args), { stdio: ["ignore", "pipe", "inherit"] });
    let out = "";
    child.stdout.setEncoding("utf8").on("data", (chunk) => (out += chunk));
    child.once("error", reject);
    child.once("close", (code) => {
      const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
      if (code !== 0) return reject(new Error(`autocannon exited ${code}`));
      const result = JSON.parse(out);
      if (result.errors || result.non2xx) return reject(new Error(`autocannon: ${result.errors} errors, ${result.non2xx} non-2xx`));
      resolve({ perSecond: (result.requests.total / wallMs) * 1000 });
    });
  });
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

const fixture = join(root, "fixtures", "user.created.json");
const logDir = mkdtempSync(join(tmpdir(), "wtbhook-bench-send-"));
const { child, url } = await startServer();
console.log(PIN ? "server on CPU 0, clients on CPU 1 (taskset)" : "not pinned to cores (one core, or no taskset)");
try {
  const ours = [];
  const oursWall = [];
  const theirs = [];
  const bare = [];
  const ratios = [];
  const earlier = [];
  const earlierRatios = [];
  for (let round = 0; round < rounds; round++) {
    const a = await runAutocannon(url, fixture);
    // The two builds take turns going first: a run can be slowed by the one just before it.
    const earlierFirst = base !== undefined && round % 2 === 1;
    const e0 = earlierFirst ? await runWtbhook(url, base) : undefined;
    const w = await runWtbhook(url);
    const e = base === undefined ? undefined : (e0 ?? (await runWtbhook(url, base)));
    const u = await runBareUndici(url, fixture);
    if (e !== undefined) {
      earlier.push(e.wallPerSecond);
      earlierRatios.push(e.wallPerSecond / a.perSecond);
    }
    theirs.push(a.perSecond);
    ours.push(w.perSecond);
    oursWall.push(w.wallPerSecond);
    bare.push(u.perSecond);
    ratios.push(w.wallPerSecond / a.perSecond);
    console.log(
      `round ${round + 1}: autocannon ${a.perSecond.toFixed(0)}/s  wtbhook ${w.wallPerSecond.toFixed(0)}/s (${w.perSecond.toFixed(0)}/s by its own summary)` +
        (e === undefined ? "" : `  earlier build ${e.wallPerSecond.toFixed(0)}/s`) +
        `  bare undici ${u.perSecond.toFixed(0)}/s  ratio ${(w.wallPerSecond / a.perSecond).toFixed(2)}×` +
        (e === undefined ? "" : ` (earlier build ${(e.wallPerSecond / a.perSecond).toFixed(2)}×)`),
    );
  }
  const best = (values) => Math.max(...values);
  console.log(
    `autocannon -c ${connections} -a ${amount}                         median ${median(theirs).toFixed(0)} req/s  best ${best(theirs).toFixed(0)}`,
  );
  console.log(
    `wtbhook send --repeat ${amount} --concurrency ${connections}   median ${median(oursWall).toFixed(0)} deliveries/s  best ${best(oursWall).toFixed(0)}  (${median(ours).toFixed(0)}/s by its own summary, without start-up)`,
  );
  console.log(`bare undici Pool.dispatch, 64 connections       median ${median(bare).toFixed(0)} req/s  best ${best(bare).toFixed(0)}`);
  console.log(
    `ratio wtbhook/autocannon: median of rounds ${median(ratios).toFixed(2)}×, best vs best ${(best(oursWall) / best(theirs)).toFixed(2)}×  (target ≥ 0.85×)`,
  );
  if (base !== undefined) {
    console.log(
      `earlier build (WTBHOOK_BASE): median ${median(earlier).toFixed(0)} deliveries/s  best ${best(earlier).toFixed(0)}; ratio median of rounds ${median(earlierRatios).toFixed(2)}×, best vs best ${(best(earlier) / best(theirs)).toFixed(2)}×`,
    );
  }
  console.log(`ratio bare undici/autocannon: best vs best ${(best(bare) / best(theirs)).toFixed(2)}×`);
} finally {
  child.kill();
  rmSync(logDir, { recursive: true, force: true });
}

// Sender throughput: `wtbhook send user.created --repeat 20000 --concurrency 64` next to autocannon
// (64 connections, same body, 20000 requests) against the same bare node:http server (its own
// process), interleaved in one run. Prints deliveries per second for both and the ratio (target ≥ 0.8×).
// Usage: node bench/send.mjs [rounds] [amount]   (default 3 rounds of 20000)
import { spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

import autocannon from "autocannon";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const rounds = Number(process.argv[2] ?? 3);
const amount = Number(process.argv[3] ?? 20000);
const connections = 64;
const bin = join(root, "bin", "wtbhook.js");
if (!existsSync(join(root, "dist", "cli.js"))) {
  console.error("bench/send: dist/ is missing; run `npm run build` first");
  process.exit(2);
}

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
    const child = spawn(process.execPath, ["-e", SERVER], { stdio: ["ignore", "pipe", "inherit"] });
    child.stdout.setEncoding("utf8").once("data", (port) => resolve({ child, url: `http://127.0.0.1:${port.trim()}/webhooks` }));
    child.once("error", reject);
  });
}

function runWtbhook(url) {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(process.execPath, [bin, "send", "user.created", "--repeat", String(amount), "--concurrency", String(connections), "--to", url], {
      cwd: root,
      stdio: ["ignore", "ignore", "pipe"],
      env: { ...process.env, NO_COLOR: "1" },
    });
    let stderr = "";
    child.stderr.setEncoding("utf8").on("data", (chunk) => {
      // Keep only the tail: the summary is at the end.
      stderr = (stderr + chunk).slice(-4000);
    });
    child.once("error", reject);
    child.once("close", (code) => {
      const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
      // The summary's own rate: first delivery to last, without process start-up.
      const match = /(\d+)\/(\d+) delivered in [\d.]+m?s \(([\d.]+)\/s/.exec(stderr);
      if (code !== 0 || !match) return reject(new Error(`wtbhook send exited ${code}: ${stderr.slice(-500)}`));
      resolve({ perSecond: Number(match[3]), wallPerSecond: (amount / wallMs) * 1000 });
    });
  });
}

function runAutocannon(url, body) {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    autocannon(
      { url, connections, amount, method: "POST", headers: { "content-type": "application/json", "user-agent": "autocannon" }, body },
      (error, result) => {
        if (error) return reject(error);
        const ms = Number(process.hrtime.bigint() - started) / 1e6;
        if (result.errors || result.non2xx) return reject(new Error(`autocannon: ${result.errors} errors, ${result.non2xx} non-2xx`));
        resolve({ perSecond: (result.requests.total / ms) * 1000 });
      },
    );
  });
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

const body = readFileSync(join(root, "fixtures", "user.created.json"));
const { child, url } = await startServer();
try {
  const ours = [];
  const oursWall = [];
  const theirs = [];
  for (let round = 0; round < rounds; round++) {
    const a = await runAutocannon(url, body);
    const w = await runWtbhook(url);
    theirs.push(a.perSecond);
    ours.push(w.perSecond);
    oursWall.push(w.wallPerSecond);
    console.log(`round ${round + 1}: autocannon ${a.perSecond.toFixed(0)}/s  wtbhook ${w.perSecond.toFixed(0)}/s (${w.wallPerSecond.toFixed(0)}/s with start-up)`);
  }
  const a = median(theirs);
  const w = median(ours);
  console.log(`autocannon -c ${connections} -a ${amount}                         median ${a.toFixed(0)} req/s`);
  console.log(`wtbhook send --repeat ${amount} --concurrency ${connections}   median ${w.toFixed(0)} deliveries/s (${median(oursWall).toFixed(0)}/s including start-up)`);
  console.log(`ratio ${(w / a).toFixed(2)}×  (target ≥ 0.8×)`);
} finally {
  child.kill();
}

// Throughput of `wtbhook listen --json --record FILE > /dev/null` (its inspector on, as by default)
// next to a bare node:http server that reads the body and answers 200, both driven by autocannon
// in the same run. Prints req/s, the ratio (target ≥ 0.6×) and p99 latency, and (on Linux) each
// server's CPU time per request: steadier than req/s on a shared machine.
//
//   node bench/listen.mjs [--duration 10] [--rounds 3]     (needs a built dist/: npm run build)
import { bin, compare, numberArg, report } from "./lib-listen.mjs";

const BARE = `
const { createServer } = require("node:http");
const server = createServer((req, res) => {
  const chunks = [];
  req.on("data", (c) => chunks.push(c));
  req.on("end", () => { Buffer.concat(chunks); res.writeHead(200, { "content-length": 0 }); res.end(); });
});
server.listen(0, "127.0.0.1", () => process.stderr.write("Ready! Listening on http://127.0.0.1:" + server.address().port + "/\\n"));
`;

const options = { duration: numberArg("duration", 10), rounds: numberArg("rounds", 3) };
const results = await compare(
  [
    { name: "bare", args: () => ["-e", BARE] },
    { name: "listen", args: (record) => [bin, "listen", "-p", "0", "--ui-port", "0", "--json", "--record", record] },
  ],
  options,
);
report(results, ["bare", "listen"], ["bare node:http", "wtbhook listen --json --record"], "≥ 0.60×", options);

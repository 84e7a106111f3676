// What the inspector costs listen: `wtbhook listen --json --record FILE` with the inspector on
// (`--ui-port 0`, no page open) next to the same with `--no-ui`, driven by autocannon in
// alternating rounds. The inspector keeps a reference and a small entry per event; the target is
// a throughput ratio of at least 0.9×.
//
//   node bench/inspector.mjs [--duration 10] [--rounds 5]     (needs a built dist/: npm run build)
import { bin, compare, numberArg, report } from "./lib-listen.mjs";

const options = { duration: numberArg("duration", 10), rounds: numberArg("rounds", 5) };
const listen = (ui) => (record) => [bin, "listen", "-p", "0", ...ui, "--json", "--record", record];
const results = await compare(
  [
    { name: "no-ui", args: listen(["--no-ui"]) },
    { name: "ui", args: listen(["--ui-port", "0"]) },
  ],
  options,
);
report(results, ["no-ui", "ui"], ["wtbhook listen --no-ui", "wtbhook listen (inspector on)"], "≥ 0.90×", options);

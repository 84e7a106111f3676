// The throughput baseline for bench/validate.mjs: read the file, split lines, JSON.parse each and
// run the same compiled validator wtbhook uses. Nothing else: no positions, no reporting.
// Usage: node bench/lib-validate-baseline.mjs FILE   → prints "events valid invalid"
import { readFileSync } from "node:fs";

import { getValidator } from "../dist/catalog/validators.js";

const text = readFileSync(process.argv[2], "utf8");
let events = 0;
let valid = 0;
for (const line of text.split("\n")) {
  if (line === "") continue;
  const event = JSON.parse(line);
  events++;
  const validate = getValidator(event.type);
  if (validate && validate(event)) valid++;
}
console.log(`${events} ${valid} ${events - valid}`);

// Preloaded with `node --require`: notes, in the file named by $STREAM_LOG_FILE, which of
// process.stdout and process.stderr the program opened (Node builds each on first use), so that
// tests can tell which streams a run paid for.
"use strict";
const { appendFileSync } = require("node:fs");

const log = process.env.STREAM_LOG_FILE;
if (log) {
  for (const name of ["stdout", "stderr"]) {
    const own = Object.getOwnPropertyDescriptor(process, name);
    let noted = false;
    Object.defineProperty(process, name, {
      configurable: true,
      enumerable: own.enumerable,
      get() {
        if (!noted) {
          noted = true;
          appendFileSync(log, `${name}\n`);
        }
        return own.get.call(process);
      },
    });
  }
}

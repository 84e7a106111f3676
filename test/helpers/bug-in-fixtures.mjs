// Preloaded into the built CLI by a test (NODE_OPTIONS=--import): reading a fixture throws a
// TypeError, a stand-in for a bug in wtbhook, so that the exit path of internal errors runs for real.
import fs from "node:fs";
import { syncBuiltinESMExports } from "node:module";

const readFileSync = fs.readFileSync;
fs.readFileSync = function (path, ...rest) {
  if (String(path).includes("/fixtures/")) throw new TypeError("Cannot read properties of undefined (reading 'bytes')");
  return readFileSync.call(this, path, ...rest);
};
syncBuiltinESMExports();

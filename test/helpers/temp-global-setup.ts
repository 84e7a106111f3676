// vitest globalSetup: one temporary folder for the whole run, as TMPDIR for the test workers and
// every process they start, removed at the end. What a test or a command leaves there (check's
// files for reproducing a failure, the compile cache of the processes the tests start, a folder a
// failed test did not remove) goes with it, and a run neither fills the machine's temporary folder
// nor reads or writes the compile cache of the wtbhook that its developer runs.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export default function setup(): () => void {
  const before = process.env["TMPDIR"];
  const dir = mkdtempSync(join(tmpdir(), "wtbhook-tests-"));
  process.env["TMPDIR"] = dir;
  return () => {
    if (before === undefined) delete process.env["TMPDIR"];
    else process.env["TMPDIR"] = before;
    rmSync(dir, { recursive: true, force: true });
  };
}

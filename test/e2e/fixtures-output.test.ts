// `wtbhook fixtures <type> > DIR/<type>.json` with DIR as the fixture folder: the shell opens (and
// empties) the output before wtbhook reads the fixture, as with `cat f > f`. The real bin with its
// stdout on the file, as the shell leaves it.
import { spawnSync } from "node:child_process";
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { afterAll, describe, expect, it } from "vitest";

import { loadFixture } from "../../src/catalog/catalog.js";
import { BIN, cliEnv, ROOT } from "../helpers/run-cli.js";

const dir = mkdtempSync(join(tmpdir(), "wtbhook-fixture-output-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const fixture = join(dir, "user.created.json");
const mine = Buffer.concat([loadFixture("user.created"), Buffer.from("\n")]);

/** `wtbhook fixtures user.created --fixtures DIR` with stdout on `path`, opened with `flags` ("w" as `>`, "a" as `>>`). */
function fixturesInto(path: string, flags: "w" | "a") {
  const out = openSync(path, flags);
  try {
    return spawnSync(process.execPath, [BIN, "fixtures", "user.created", "--fixtures", dir], {
      cwd: ROOT,
      env: cliEnv(),
      encoding: "utf8",
      stdio: ["ignore", out, "pipe"],
    });
  } finally {
    closeSync(out);
  }
}

describe("wtbhook fixtures <type> into its own fixture file", () => {
  it("is refused (exit 2) with one line, and says when the shell had emptied it", () => {
    writeFileSync(fixture, mine);
    const truncated = fixturesInto(fixture, "w");
    expect([truncated.status, truncated.stderr]).toEqual([
      2,
      `✖ ${dir}/user.created.json is the fixture and also the output: the shell emptied it before wtbhook could read it\n  Write the fixture to another file.\n`,
    ]);
    writeFileSync(fixture, mine);
    const appended = fixturesInto(fixture, "a");
    expect(appended.status).toBe(2);
    expect(appended.stderr.split("\n")[0]).toBe(`✖ ${dir}/user.created.json is the fixture and also the output`);
    // Nothing was written into it.
    expect(readFileSync(fixture)).toEqual(mine);
  });

  it("prints the fixture's bytes into any other file", () => {
    writeFileSync(fixture, mine);
    const copy = join(dir, "..", `${dir.split("/").at(-1)}-copy.json`);
    try {
      const result = fixturesInto(copy, "w");
      expect([result.status, result.stderr]).toEqual([0, `${dir}/user.created.json (your fixture)\n`]);
      expect(readFileSync(copy)).toEqual(mine);
    } finally {
      rmSync(copy, { force: true });
    }
  });
});

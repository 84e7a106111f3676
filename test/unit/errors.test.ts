// File-system failures said in words, naming the file as the user typed it (9.21).
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { afterAll, describe, expect, it } from "vitest";

import { describeFileError, ExitCode, WtbhookError, type ErrorCode } from "../../src/errors.js";

const dir = mkdtempSync(join(tmpdir(), "wtbhook-errors-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The error Node throws for `call`. */
function thrown(call: () => unknown): unknown {
  try {
    call();
  } catch (error) {
    return error;
  }
  throw new Error("expected a failure");
}

describe("describeFileError", () => {
  it("names a missing file as typed, without Node's code, system call or absolute path", () => {
    const error = thrown(() => readFileSync(join(dir, "nope.ndjson")));
    expect((error as Error).message).toContain(dir);
    expect(describeFileError(error, "nope.ndjson")).toBe("no such file: nope.ndjson");
    expect(describeFileError(error, "s.json", "schema file")).toBe("no such schema file: s.json");
  });

  it("says a folder is a folder", () => {
    expect(
      describeFileError(
        thrown(() => readFileSync(dir)),
        "events/",
      ),
    ).toBe("events/ is a directory, not a file");
  });

  it("keeps the reason of other failures, in words, with the code at the end", () => {
    const error = Object.assign(new Error(`EIO: i/o error, read '${dir}/x'`), { code: "EIO" });
    expect(describeFileError(error, "x")).toBe("cannot read x: i/o error (EIO)");
    expect(describeFileError(new Error("odd"), "x")).toBe("cannot read x: odd");
  });
});

describe("WtbhookError (10.11)", () => {
  it("maps a code to its exit code: internal is a bug (70), the rest could not be done (2)", () => {
    expect(new WtbhookError("x", { code: "internal" }).exitCode).toBe(ExitCode.internal);
    expect(ExitCode.internal).toBe(70);
    expect(new WtbhookError("x", { code: "bad-flag" }).exitCode).toBe(ExitCode.usage);
    expect(new WtbhookError("x", { code: "unreachable", exitCode: ExitCode.failed }).exitCode).toBe(ExitCode.failed);
  });

  it("takes only the codes of ErrorCode: no free strings, no synonyms", () => {
    const codes: ErrorCode[] = ["bad-flag", "unknown-type", "no-input", "tunnel-missing-token", "internal"];
    for (const code of codes) expect(new WtbhookError("x", { code }).code).toBe(code);
    // The typecheck (npm run typecheck, which covers the tests) fails if any of these is accepted.
    // @ts-expect-error a synonym of bad-flag
    expect(new WtbhookError("x", { code: "bad-usage" }).code).toBe("bad-usage");
    // @ts-expect-error a synonym of bad-flag
    expect(new WtbhookError("x", { code: "bad-number" }).code).toBe("bad-number");
    // @ts-expect-error a tunnel failure that does not exist
    expect(new WtbhookError("x", { code: "tunnel-gone" }).code).toBe("tunnel-gone");
  });
});

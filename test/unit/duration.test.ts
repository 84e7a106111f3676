import { describe, expect, it } from "vitest";

import { MAX_DURATION_MS, parseDuration } from "../../src/duration.js";

describe("parseDuration", () => {
  it.each([
    ["500ms", 500],
    ["2s", 2000],
    ["1.5s", 1500],
    ["1m", 60_000],
    ["1h", 3_600_000],
    ["3", 3000],
    ["0", 0],
    ["0ms", 0],
    ["596h", 596 * 3_600_000],
  ])("%s", (text, ms) => {
    expect(parseDuration(text, "--timeout")).toBe(ms);
  });

  it("never turns a positive duration into 0 (no limit)", () => {
    expect(parseDuration("0.1ms", "--timeout")).toBe(1);
    expect(parseDuration("0.0001s", "--timeout")).toBe(1);
  });

  // Node.js fires a timer longer than 2^31-1 ms at once (TimeoutOverflowWarning): a huge
  // --timeout would time every attempt out immediately.
  it.each(["597h", "99999999999h", "2147483648ms"])("refuses %s as longer than a timer can wait", (text) => {
    expect(() => parseDuration(text, "--timeout")).toThrow(
      expect.objectContaining({ exitCode: 2, message: expect.stringContaining("--timeout takes at most 596h") }),
    );
  });

  it("accepts the longest timer", () => {
    expect(parseDuration(`${MAX_DURATION_MS}ms`, "--retry-interval")).toBe(MAX_DURATION_MS);
  });

  it.each(["abc", "-1s", "1e3ms", "1d", ""])("refuses %j", (text) => {
    expect(() => parseDuration(text, "--timeout")).toThrow(expect.objectContaining({ exitCode: 2 }));
  });
});

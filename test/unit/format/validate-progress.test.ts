import { describe, expect, it } from "vitest";

import { formatProgress } from "../../../src/format/validate-progress.js";
import { formatCount } from "../../../src/format/validate-text.js";

describe("formatProgress and formatCount", () => {
  it("says how far, with the share of a file's size", () => {
    expect(formatProgress({ file: "big.ndjson", bytes: 512 * 1024 * 1024, totalBytes: 1024 * 1024 * 1024, events: 1_234_567 })).toBe(
      "validating big.ndjson 50% of 1024 MB, 1,234,567 events checked",
    );
  });

  it("says how far, without a size for stdin", () => {
    expect(formatProgress({ file: "<stdin>", bytes: 3 * 1024 * 1024, totalBytes: undefined, events: 999 })).toBe(
      "validating <stdin> 3.0 MB, 999 events checked",
    );
    expect([0, 999, 1000, 1_234_567].map(formatCount)).toEqual(["0", "999", "1,000", "1,234,567"]);
  });
});

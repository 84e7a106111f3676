import { describe, expect, it } from "vitest";

import { plainStyle } from "../../../src/format/style.js";
import { formatProgress, ProgressLine } from "../../../src/format/validate-progress.js";
import { formatCount } from "../../../src/format/validate-text.js";

const progress = { file: "big.ndjson", bytes: 512 * 1024 * 1024, totalBytes: 1024 * 1024 * 1024, events: 1_234_567 };

describe("ProgressLine", () => {
  function setup() {
    let now = 0;
    const written: string[] = [];
    const line = new ProgressLine({ write: (text) => written.push(text), style: plainStyle, now: () => now, columns: 80 });
    return { line, written, advance: (ms: number) => (now += ms) };
  }

  it("stays quiet for the first second", () => {
    const { line, written, advance } = setup();
    advance(999);
    line.update(progress);
    line.clear();
    expect(written).toEqual([]);
  });

  it("then rewrites one line in place, at most every 100 ms, and clears it", () => {
    const { line, written, advance } = setup();
    advance(1000);
    line.update(progress);
    advance(50);
    line.update(progress);
    advance(50);
    line.update({ ...progress, events: 2_000_000 });
    line.clear();
    line.clear();
    expect(written).toEqual([
      "\rvalidating big.ndjson 50% of 1024 MB, 1,234,567 events checked\u001b[K",
      "\rvalidating big.ndjson 50% of 1024 MB, 2,000,000 events checked\u001b[K",
      "\r\u001b[K",
    ]);
  });

  it("fits the terminal width and keeps file names terminal-safe", () => {
    const { line, written, advance } = setup();
    advance(1000);
    line.update({ ...progress, file: `evil\u001b]0;title\u0007${"x".repeat(200)}` });
    expect(written[0]).not.toMatch(/\u001b\]|\u0007/);
    expect(written[0]!.length).toBeLessThan(100);
  });
});

describe("formatProgress and formatCount", () => {
  it("says how far, without a size for stdin", () => {
    expect(formatProgress({ file: "<stdin>", bytes: 3 * 1024 * 1024, totalBytes: undefined, events: 999 })).toBe(
      "validating <stdin> 3.0 MB, 999 events checked",
    );
    expect([0, 999, 1000, 1_234_567].map(formatCount)).toEqual(["0", "999", "1,000", "1,234,567"]);
  });
});

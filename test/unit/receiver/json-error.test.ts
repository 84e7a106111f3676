import { describe, expect, it } from "vitest";

import { firstJsonErrorOffset, locateJsonError } from "../../../src/receiver/json-error.js";

describe("firstJsonErrorOffset", () => {
  it.each([
    ['{"a":1}', -1],
    ['  [1, 2.5e3, "x\\n", true, false, null, {}]  ', -1],
    ['{"a":}', 5],
    ['{"a":1', 6],
    ["hello", 0],
    ['{"a":1,}', 7],
    ['{"a":1} x', 8],
    ['"bad \\q"', 6],
    ["", 0],
    ['{"a": tru}', 9],
  ])("%j → %d", (text, offset) => {
    expect(firstJsonErrorOffset(text)).toBe(offset);
    if (offset >= 0) expect(() => JSON.parse(text)).toThrow();
    else expect(() => JSON.parse(text)).not.toThrow();
  });
});

describe("locateJsonError", () => {
  it("gives the 1-based line and column of the first bad character", () => {
    const text = '{\n  "a": 1,\n  "b": }\n';
    expect(locateJsonError(text, "Unexpected token")).toEqual({ message: "Unexpected token", offset: 19, line: 3, column: 8 });
  });

  it("calls an empty body an empty body", () => {
    expect(locateJsonError("  ", "Unexpected end of JSON input").message).toBe("empty body");
  });
});

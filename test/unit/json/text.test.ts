import { describe, expect, it } from "vitest";

import { arrayElementOffsets, findSyntaxError, LineIndex, locatePointer } from "../../../src/json/text.js";

describe("findSyntaxError", () => {
  it.each([
    ['{"a":}', 5, 'unexpected character "}" (expected a value)'],
    ['{"a":1', 6, 'unexpected end of input (expected "," or "}")'],
    ['{"a":1,}', 7, 'unexpected character "}" (expected a property name in double quotes)'],
    ["[1,2", 4, 'unexpected end of input (expected "," or "]")'],
    ['"abc', 4, "unexpected end of input (unterminated string)"],
    ['{"a" 1}', 5, 'unexpected character "1" (expected ":" after the property name)'],
    ["tru", 3, 'unexpected end of input (expected "true")'],
    ["1.e", 2, 'unexpected character "e" in a number (expected a digit after the decimal point)'],
    ['{"a":"\\q"}', 6, 'invalid escape "\\q" in a string'],
    ['{"a":1}}', 7, 'unexpected character "}" (expected the end of the input after a complete value)'],
    ["", 0, "unexpected end of input (expected a value)"],
    ["{a:1}", 1, 'unexpected character "a" (expected a property name in double quotes)'],
    ['{"a":"x\u0007"}', 7, "unexpected character U+0007 in a string (control characters must be escaped)"],
    ["\u0000binary", 0, "unexpected character U+0000 (expected a value)"],
  ])("finds the error in %j", (text, offset, message) => {
    expect(() => JSON.parse(text)).toThrow();
    expect(findSyntaxError(text)).toEqual({ offset, message });
  });

  it("accepts what JSON.parse accepts", () => {
    for (const text of ['{"a": [1, -2.5e3, "x\\u00e9\\n", true, false, null, {}]}', " [] ", '"\\/"']) {
      expect(findSyntaxError(text)).toBeUndefined();
    }
  });

  it("handles 100,000 levels of nesting without recursion", () => {
    expect(findSyntaxError("[".repeat(100_000) + "]".repeat(100_000))).toBeUndefined();
    expect(findSyntaxError("[".repeat(100_000))).toEqual({ offset: 100_000, message: "unexpected end of input (expected a value)" });
  });
});

describe("locatePointer", () => {
  const text = '{"a": {"b": [1, 2, {"c": "x\\"}"}], "d\\u0041": 5, "e~/f": 6}, "z": [[], {"y": 1}], "z": {"w": 2}}';

  // Each case: the tokens, and what the text holds from the offset found.
  it.each([
    [[], '{"a"'],
    [["a"], '{"b"'],
    [["a", "b", "2", "c"], '"x\\"}"'],
    [["a", "dA"], "5,"],
    [["a", "e~/f"], "6}"],
    // The last of duplicate keys wins, as in JSON.parse.
    [["z", "w"], "2}}"],
    // Missing places stop at the deepest parent that exists.
    [["a", "nope"], '{"b"'],
    [["a", "b", "7"], "[1, 2"],
  ])("finds %j", (tokens, startsWith) => {
    const offset = locatePointer(text, tokens);
    expect(text.slice(offset, offset + startsWith.length)).toBe(startsWith);
  });

  it("goes 100,000 levels deep without recursion", () => {
    const deep = "[".repeat(100_000) + "]".repeat(100_000);
    expect(
      locatePointer(
        deep,
        Array.from({ length: 99_999 }, () => "0"),
      ),
    ).toBe(99_999);
  });
});

describe("arrayElementOffsets", () => {
  it("finds each element of a top-level array", () => {
    expect(arrayElementOffsets(' [ {"a":"]"} , 2, [3] ]')).toEqual([3, 15, 18]);
    expect(arrayElementOffsets("[]")).toEqual([]);
  });
});

describe("LineIndex", () => {
  it("turns offsets into lines and columns from 1", () => {
    const index = new LineIndex("ab\ncd\n\nef");
    expect([0, 4, 6, 7, 8].map((offset) => index.position(offset))).toEqual([
      { line: 1, column: 1 },
      { line: 2, column: 2 },
      { line: 3, column: 1 },
      { line: 4, column: 1 },
      { line: 4, column: 2 },
    ]);
  });
});

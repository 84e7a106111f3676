// The one JSON text scanner, on bytes: syntax errors with their place, pointers located in one pass,
// array elements, lines and columns, and NDJSON lines.
import { describe, expect, it } from "vitest";

import { LineSplitter, type LinePlace } from "../../../src/json/lines.js";
import { arrayElementOffsets, locatePointer, locatePointers } from "../../../src/json/locate.js";
import { LineIndex } from "../../../src/json/position.js";
import { JsonScanError, skipValue } from "../../../src/json/scan.js";
import { findSyntaxError, locateSyntaxError } from "../../../src/json/syntax.js";

const bytes = (text: string): Buffer => Buffer.from(text, "utf8");

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
    // Offsets count bytes: é is two.
    ['{"é":}', 6, 'unexpected character "}" (expected a value)'],
  ])("finds the error in %j", (text, offset, message) => {
    expect(() => JSON.parse(text)).toThrow();
    expect(findSyntaxError(bytes(text))).toEqual({ offset, message });
  });

  it("names bytes that are not UTF-8 as U+FFFD", () => {
    expect(findSyntaxError(Buffer.from([0x7b, 0xff]))).toEqual({
      offset: 1,
      message: "unexpected character U+FFFD (expected a property name in double quotes)",
    });
  });

  it("accepts what JSON.parse accepts", () => {
    for (const text of ['{"a": [1, -2.5e3, "x\\u00e9\\n", true, false, null, {}]}', " [] ", '"\\/"', '"😀"']) {
      expect(findSyntaxError(bytes(text))).toBeUndefined();
    }
  });

  it("handles 100,000 levels of nesting without recursion", () => {
    expect(findSyntaxError(bytes("[".repeat(100_000) + "]".repeat(100_000)))).toBeUndefined();
    expect(findSyntaxError(bytes("[".repeat(100_000)))).toEqual({ offset: 100_000, message: "unexpected end of input (expected a value)" });
  });
});

describe("locateSyntaxError (the receiver's and send's 'not JSON' place)", () => {
  it.each([
    ['{"a":}', 5, 1, 6, 'unexpected character "}" (expected a value)'],
    ['{"a":1', 6, 1, 7, 'unexpected end of input (expected "," or "}")'],
    ["hello", 0, 1, 1, 'unexpected character "h" (expected a value)'],
    ['{"a":1,}', 7, 1, 8, 'unexpected character "}" (expected a property name in double quotes)'],
    ['{"a":1} x', 8, 1, 9, 'unexpected character "x" (expected the end of the input after a complete value)'],
    ['"bad \\q"', 5, 1, 6, 'invalid escape "\\q" in a string'],
    ['{"a": tru}', 9, 1, 10, 'unexpected character "}" (expected "true")'],
    ['{"a":"x\ty"}', 7, 1, 8, "unexpected character U+0009 in a string (control characters must be escaped)"],
    ["\uFEFF{}", 0, 1, 1, "unexpected character U+FEFF (expected a value)"],
    // Offsets and columns count UTF-16 code units of the decoded text, not bytes: the emoji is two.
    ['["😀" 1]', 6, 1, 7, 'unexpected character "1" (expected "," or "]")'],
    ['{\n  "a": 1,\n  "b": }\n', 19, 3, 8, 'unexpected character "}" (expected a value)'],
    ['{\r\n  "a": 1\r\n  "b": 2\r\n}', 15, 3, 3, 'unexpected character "\\"" (expected "," or "}")'],
  ])("%j: offset %d, line %d, column %d", (text, offset, line, column, message) => {
    expect(() => JSON.parse(text)).toThrow();
    expect(locateSyntaxError(bytes(text))).toEqual({ message, offset, line, column });
  });
});

describe("locatePointers", () => {
  const text = '{"a": {"b": [1, 2, {"c": "x\\"}"}], "d\\u0041": 5, "e~/f": 6}, "z": [[], {"y": 1}], "z": {"w": 2}, "é": {"ü": 3}}';
  const data = bytes(text);

  // Each case: the tokens, and what the text holds from the offset found.
  it.each([
    [[], '{"a"'],
    [["a"], '{"b"'],
    [["a", "b", "2", "c"], '"x\\"}"'],
    [["a", "dA"], "5,"],
    [["a", "e~/f"], "6}"],
    [["é", "ü"], "3}"],
    // The last of duplicate keys wins, as in JSON.parse.
    [["z", "w"], "2}"],
    [["z", "1"], '{"w"'],
    // Missing places stop at the deepest parent that exists; indexes are canonical.
    [["a", "nope"], '{"b"'],
    [["a", "b", "7"], "[1, 2"],
    [["a", "b", "01"], "[1, 2"],
    [["a", "b", "0", "x"], "1, 2"],
  ])("finds %j", (tokens, startsWith) => {
    const offset = locatePointer(data, tokens);
    expect(data.subarray(offset, offset + Buffer.byteLength(startsWith)).toString()).toBe(startsWith);
  });

  it("locates many pointers in one pass, in the order asked", () => {
    const offsets = locatePointers(data, [["z", "w"], ["a", "b", "1"], ["a"], ["a", "b", "2", "c"]]);
    expect(offsets.map((offset) => text.slice(offset, offset + 3))).toEqual(["2},", "2, ", '{"b', '"x\\']);
  });

  it("finds 50,000 places in a 50,000-element array in linear time", () => {
    const list = bytes(JSON.stringify({ list: Array.from({ length: 50_000 }, (_, i) => `g${i}`) }));
    const pointers = Array.from({ length: 50_000 }, (_, i) => ["list", String(i)]);
    const started = performance.now();
    const offsets = locatePointers(list, pointers);
    expect(performance.now() - started).toBeLessThan(2_000);
    expect(list.subarray(offsets[49_999], offsets[49_999]! + 8).toString()).toBe('"g49999"');
  });

  it("does not let an earlier duplicate key's places stand", () => {
    const dup = bytes('{"a": {"b": 1}, "a": {"c": 2}}');
    const [b, c] = locatePointers(dup, [
      ["a", "b"],
      ["a", "c"],
    ]);
    expect(dup.subarray(b, b! + 8).toString()).toBe('{"c": 2}');
    expect(dup.subarray(c, c! + 1).toString()).toBe("2");
  });

  it("starts at an offset and goes 100,000 levels deep without recursion", () => {
    const deep = bytes("[".repeat(100_000) + "]".repeat(100_000));
    expect(
      locatePointer(
        deep,
        Array.from({ length: 99_999 }, () => "0"),
      ),
    ).toBe(99_999);
    expect(locatePointer(bytes('xx {"a": 1}'), ["a"], 2)).toBe(9);
  });
});

describe("arrayElementOffsets", () => {
  it("finds each element of a top-level array", () => {
    expect(arrayElementOffsets(bytes(' [ {"a":"]"} , 2, [3] ]'))).toEqual([3, 15, 18]);
    expect(arrayElementOffsets(bytes("[]"))).toEqual([]);
  });
});

describe("skipValue", () => {
  it("skips strings with escaped quotes, containers and literals, and refuses what is not JSON", () => {
    const text = bytes('["a\\"]", {"b": [1]}, true ]');
    expect(skipValue(text, 0)).toBe(text.length);
    expect(skipValue(text, 1)).toBe(7);
    expect(skipValue(text, 9)).toBe(19);
    expect(() => skipValue(bytes('"open'), 0)).toThrow(JsonScanError);
    expect(() => skipValue(bytes("[1, 2"), 0)).toThrow(JsonScanError);
  });
});

describe("LineIndex", () => {
  it("turns byte offsets into lines and columns from 1, columns in UTF-16 code units", () => {
    const index = new LineIndex(bytes("ab\ncd\n\nef"));
    expect([0, 4, 6, 7, 8].map((offset) => index.position(offset))).toEqual([
      { line: 1, column: 1 },
      { line: 2, column: 2 },
      { line: 3, column: 1 },
      { line: 4, column: 1 },
      { line: 4, column: 2 },
    ]);
    const wide = new LineIndex(bytes("é😀x\nz"));
    expect([2, 6, 7, 9, 0].map((offset) => wide.position(offset))).toEqual([
      { line: 1, column: 2 },
      { line: 1, column: 4 },
      { line: 1, column: 5 },
      { line: 2, column: 2 },
      { line: 1, column: 1 },
    ]);
  });
});

describe("LineSplitter", () => {
  function split(chunks: Buffer[], max = 1024): { lines: [string, LinePlace][]; tooLong: LinePlace[] } {
    const lines: [string, LinePlace][] = [];
    const tooLong: LinePlace[] = [];
    const splitter = new LineSplitter(
      {
        line: (chunk, start, end, place) => lines.push([chunk.toString("utf8", start, end), { ...place }]),
        tooLong: (place) => tooLong.push(place),
      },
      max,
    );
    for (const chunk of chunks) splitter.push(chunk);
    splitter.end();
    return { lines, tooLong };
  }

  it("hands over each line with its number and stream offset, across chunk boundaries", () => {
    const { lines } = split([bytes('{"a"'), bytes(":1}\n\n{"), bytes('"b":2}\r\n'), bytes("x")]);
    expect(lines).toEqual([
      ['{"a":1}', { number: 1, offset: 0, terminated: true }],
      ["", { number: 2, offset: 8, terminated: true }],
      ['{"b":2}\r', { number: 3, offset: 9, terminated: true }],
      ["x", { number: 4, offset: 18, terminated: false }],
    ]);
  });

  it("skips a byte order mark at the start, and marks only an unterminated last line", () => {
    const { lines } = split([Buffer.from([0xef, 0xbb, 0xbf]), bytes("{}\n{}\n")]);
    expect(lines).toEqual([
      ["{}", { number: 1, offset: 3, terminated: true }],
      ["{}", { number: 2, offset: 6, terminated: true }],
    ]);
  });

  it("skips a line longer than the limit to its end, and goes on", () => {
    const { lines, tooLong } = split([bytes("x".repeat(10)), bytes("y".repeat(10)), bytes("\nok\n")], 15);
    expect(tooLong).toEqual([{ number: 1, offset: 0, terminated: true }]);
    expect(lines).toEqual([["ok", { number: 2, offset: 21, terminated: true }]]);
  });
});

import { describe, expect, it } from "vitest";

import { locateJsonError } from "../../../src/receiver/inspect.js";

describe('locateJsonError (the receiver\'s "not JSON" warning)', () => {
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
    // Columns count UTF-16 code units of the decoded text, not bytes: the emoji is two.
    ['["😀" 1]', 6, 1, 7, 'unexpected character "1" (expected "," or "]")'],
    ['{\n  "a": 1,\n  "b": }\n', 19, 3, 8, 'unexpected character "}" (expected a value)'],
    ['{\r\n  "a": 1\r\n  "b": 2\r\n}', 15, 3, 3, 'unexpected character "\\"" (expected "," or "}")'],
  ])("%j: offset %d, line %d, column %d", (text, offset, line, column, message) => {
    let parserMessage = "";
    try {
      JSON.parse(text);
    } catch (error) {
      parserMessage = (error as Error).message;
    }
    expect(parserMessage).not.toBe("");
    expect(locateJsonError(text, parserMessage)).toEqual({ message, offset, line, column });
  });

  it.each(["", "  \n "])("calls %j an empty body", (text) => {
    expect(() => JSON.parse(text)).toThrow();
    expect(locateJsonError(text, "Unexpected end of JSON input")).toEqual({ message: "empty body", offset: 0, line: 1, column: 1 });
  });
});

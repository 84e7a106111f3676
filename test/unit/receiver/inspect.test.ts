import { describe, expect, it } from "vitest";

import { locateJsonError } from "../../../src/receiver/inspect.js";

// Where and why a body is not JSON comes from the JSON scanner (test/unit/json/scanner.test.ts);
// the receiver adds only its own word for an empty body.
describe('locateJsonError (the receiver\'s "not JSON" warning)', () => {
  it("places the error as the scanner does", () => {
    const text = '{\n  "a": 1,\n  "b": }\n';
    expect(locateJsonError(Buffer.from(text), text, "Unexpected token")).toEqual({
      message: 'unexpected character "}" (expected a value)',
      offset: 19,
      line: 3,
      column: 8,
    });
  });

  it.each(["", "  \n "])("calls %j an empty body", (text) => {
    expect(() => JSON.parse(text)).toThrow();
    expect(locateJsonError(Buffer.from(text), text, "Unexpected end of JSON input")).toEqual({
      message: "empty body",
      offset: 0,
      line: 1,
      column: 1,
    });
  });
});

import { describe, expect, it } from "vitest";

import { escapeUnsafeInJson, isUnsafeCodePoint, terminalSafe, terminalSafeTruncated } from "../../../src/terminal/safe-text.js";

describe("terminalSafe", () => {
  it("shows escape sequences instead of obeying them", () => {
    expect(terminalSafe("a\u001b]0;title\u0007b\u001b[2J")).toBe("a\\e]0;title\\x07b\\e[2J");
    expect(terminalSafe("line\nfake\r")).toBe("line\\nfake\\r");
  });

  it("keeps tabs and ordinary text, emoji and non-Latin scripts", () => {
    expect(terminalSafe("a\tb ünïcødé 😀 مرحبا")).toBe("a\tb ünïcødé 😀 مرحبا");
  });

  it.each([
    ["U+200B zero width space", "\u200b", "\\u200b"],
    ["U+200C zero width non-joiner", "\u200c", "\\u200c"],
    ["U+200D zero width joiner", "\u200d", "\\u200d"],
    ["U+200E left-to-right mark", "\u200e", "\\u200e"],
    ["U+200F right-to-left mark", "\u200f", "\\u200f"],
    ["U+2060 word joiner", "\u2060", "\\u2060"],
    ["U+FEFF zero width no-break space", "\ufeff", "\\ufeff"],
    ["U+061C Arabic letter mark", "\u061c", "\\u061c"],
    ["U+202E right-to-left override", "\u202e", "\\u202e"],
    ["U+2066 left-to-right isolate", "\u2066", "\\u2066"],
    ["U+2028 line separator", "\u2028", "\\u2028"],
    ["U+0085 next line (C1)", "\u0085", "\\x85"],
    ["U+007F delete", "\u007f", "\\x7f"],
  ])("escapes %s", (_name, char, shown) => {
    expect(terminalSafe(`a${char}b`)).toBe(`a${shown}b`);
    expect(isUnsafeCodePoint(char.codePointAt(0)!)).toBe(true);
  });

  it("cuts before escaping, so an escape is never split", () => {
    expect(terminalSafeTruncated("abc\u001bdef", 4)).toBe("abc\\e…");
  });
});

describe("escapeUnsafeInJson", () => {
  it("writes the unsafe characters that JSON allows raw as \\u escapes, keeping the value", () => {
    const json = JSON.stringify({ name: "a\u200bb\u202ec\u0085" });
    const safe = escapeUnsafeInJson(json);
    expect(safe).toBe('{"name":"a\\u200bb\\u202ec\\u0085"}');
    expect(JSON.parse(safe)).toEqual(JSON.parse(json));
  });
});

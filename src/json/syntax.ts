// Where and why bytes that JSON.parse refused stop being JSON, in words (V8's own messages often
// leave the position out and quote invisible characters raw). Used only after a parse failed.

import { isUnsafeCodePoint } from "../terminal/safe-text.js";
import { LineIndex, utf16Length } from "./position.js";
import { BACKSLASH, isSpace, QUOTE } from "./scan.js";
import { decodeCodePoint } from "./utf8.js";

export interface SyntaxProblem {
  /** Byte offset where the problem is. */
  offset: number;
  /** Such as `unexpected end of input` or `unexpected character "}" (expected a value)`. */
  message: string;
}

/** The code point at `at`, or U+FFFD where the bytes are not UTF-8 (as the decoded text shows them). */
function codePointAt(bytes: Uint8Array, at: number): number {
  return decodeCodePoint(bytes, at)?.code ?? 0xfffd;
}

/** A character as a person can read it in a message: "}" or U+0007. */
export function showChar(code: number): string {
  if (isUnsafeCodePoint(code) || code === 0xfffd) return `U+${code.toString(16).toUpperCase().padStart(4, "0")}`;
  return JSON.stringify(String.fromCodePoint(code));
}

const EXPECT_VALUE = 0;
const EXPECT_KEY = 1;
const AFTER_VALUE = 2;
const OBJECT = 1;
const ARRAY = 2;

/**
 * The first syntax error of the JSON bytes between `start` and `end` (one value, surrounded by
 * whitespace at most), or undefined if there is none. A state machine with an explicit stack
 * instead of recursion.
 */
export function findSyntaxError(bytes: Uint8Array, start = 0, end = bytes.length): SyntaxProblem | undefined {
  const stack: number[] = [];
  let state = EXPECT_VALUE;
  let i = start;
  const fail = (offset: number, expected: string): SyntaxProblem =>
    offset >= end
      ? { offset: end, message: `unexpected end of input (expected ${expected})` }
      : { offset, message: `unexpected character ${showChar(codePointAt(bytes, offset))} (expected ${expected})` };

  for (;;) {
    while (i < end && isSpace(bytes[i])) i++;
    if (state === AFTER_VALUE) {
      const top = stack.at(-1);
      if (top === undefined) return i < end ? fail(i, "the end of the input after a complete value") : undefined;
      const closer = top === OBJECT ? 0x7d : 0x5d;
      const shown = top === OBJECT ? "}" : "]";
      if (i >= end) return fail(i, `"," or "${shown}"`);
      const byte = bytes[i];
      if (byte === 0x2c) {
        i++;
        state = top === OBJECT ? EXPECT_KEY : EXPECT_VALUE;
      } else if (byte === closer) {
        stack.pop();
        i++;
      } else return fail(i, `"," or "${shown}"`);
      continue;
    }
    if (state === EXPECT_KEY) {
      if (i >= end || bytes[i] !== QUOTE) return fail(i, "a property name in double quotes");
      const result = scanString(bytes, i, end);
      if (typeof result !== "number") return result;
      i = result;
      while (i < end && isSpace(bytes[i])) i++;
      if (i >= end || bytes[i] !== 0x3a) return fail(i, '":" after the property name');
      i++;
      state = EXPECT_VALUE;
      continue;
    }
    // EXPECT_VALUE
    if (i >= end) return fail(i, "a value");
    const byte = bytes[i]!;
    if (byte === 0x7b || byte === 0x5b) {
      const kind = byte === 0x7b ? OBJECT : ARRAY;
      const closer = byte === 0x7b ? 0x7d : 0x5d;
      i++;
      while (i < end && isSpace(bytes[i])) i++;
      if (bytes[i] === closer && i < end) {
        i++;
        state = AFTER_VALUE;
      } else {
        stack.push(kind);
        state = kind === OBJECT ? EXPECT_KEY : EXPECT_VALUE;
      }
      continue;
    }
    let result: number | SyntaxProblem;
    if (byte === QUOTE) result = scanString(bytes, i, end);
    else if (byte === 0x2d || (byte >= 0x30 && byte <= 0x39)) result = scanNumber(bytes, i, end);
    else if (byte === 0x74 || byte === 0x66 || byte === 0x6e) {
      const word = byte === 0x74 ? "true" : byte === 0x66 ? "false" : "null";
      let k = 0;
      while (k < word.length && i + k < end && bytes[i + k] === word.charCodeAt(k)) k++;
      result = k === word.length ? i + k : fail(i + k, `"${word}"`);
    } else result = fail(i, "a value");
    if (typeof result !== "number") return result;
    i = result;
    state = AFTER_VALUE;
  }
}

const HEX = /^[0-9a-fA-F]{4}$/;
const SIMPLE_ESCAPES = new Set([0x22, 0x5c, 0x2f, 0x62, 0x66, 0x6e, 0x72, 0x74]);

function scanString(bytes: Uint8Array, i: number, end: number): number | SyntaxProblem {
  i++;
  for (;;) {
    if (i >= end) return { offset: end, message: "unexpected end of input (unterminated string)" };
    const byte = bytes[i]!;
    if (byte === QUOTE) return i + 1;
    if (byte < 0x20)
      return { offset: i, message: `unexpected character ${showChar(byte)} in a string (control characters must be escaped)` };
    if (byte === BACKSLASH) {
      if (i + 1 >= end) return { offset: end, message: "unexpected end of input (unterminated string)" };
      const next = bytes[i + 1]!;
      if (next === 0x75) {
        const hex = String.fromCharCode(...bytes.subarray(i + 2, Math.min(i + 6, end)));
        if (!HEX.test(hex)) return { offset: i, message: "invalid \\u escape in a string (expected 4 hex digits)" };
        i += 6;
      } else if (SIMPLE_ESCAPES.has(next)) i += 2;
      else {
        const code = codePointAt(bytes, i + 1);
        const shown = showChar(code).startsWith('"') ? `"\\${String.fromCodePoint(code)}"` : `"\\" followed by ${showChar(code)}`;
        return { offset: i, message: `invalid escape ${shown} in a string` };
      }
      continue;
    }
    i++;
  }
}

function scanNumber(bytes: Uint8Array, i: number, end: number): number | SyntaxProblem {
  const isDigit = (at: number): boolean => at < end && bytes[at]! >= 0x30 && bytes[at]! <= 0x39;
  const digits = (from: number): number => {
    let k = from;
    while (isDigit(k)) k++;
    return k;
  };
  const bad = (offset: number, what: string): SyntaxProblem =>
    offset >= end
      ? { offset: end, message: `unexpected end of input (expected ${what})` }
      : { offset, message: `unexpected character ${showChar(codePointAt(bytes, offset))} in a number (expected ${what})` };
  if (bytes[i] === 0x2d) i++;
  if (i < end && bytes[i] === 0x30) i++;
  else {
    const after = digits(i);
    if (after === i) return bad(i, "a digit");
    i = after;
  }
  if (i < end && bytes[i] === 0x2e) {
    const after = digits(i + 1);
    if (after === i + 1) return bad(i + 1, "a digit after the decimal point");
    i = after;
  }
  if (i < end && (bytes[i] === 0x65 || bytes[i] === 0x45)) {
    i++;
    if (i < end && (bytes[i] === 0x2b || bytes[i] === 0x2d)) i++;
    const after = digits(i);
    if (after === i) return bad(i, "a digit in the exponent");
    i = after;
  }
  return i;
}

/** A syntax error with its place: `offset` counts UTF-16 code units of the decoded text, as `column` does. */
export interface LocatedSyntaxError {
  message: string;
  offset: number;
  line: number;
  column: number;
}

/**
 * The first syntax error of JSON bytes with its line and column, or undefined when there is
 * none (JSON.parse and the scanner agree on what is JSON).
 */
export function locateSyntaxError(bytes: Uint8Array): LocatedSyntaxError | undefined {
  const syntax = findSyntaxError(bytes);
  if (!syntax) return undefined;
  const { line, column } = new LineIndex(bytes).position(syntax.offset);
  return { message: syntax.message, offset: utf16Length(bytes, 0, syntax.offset), line, column };
}

// Positions inside JSON text, computed only after a failure: where a pointer's value starts, where
// a syntax error is, and line/column of an offset. Every scan is iterative (no recursion), so a
// 100,000-deep nested array cannot overflow the stack.

import { isUnsafeCodePoint } from "../terminal/safe-text.js";

const QUOTE = 0x22;
const BACKSLASH = 0x5c;

function isSpace(code: number): boolean {
  return code === 0x20 || code === 0x0a || code === 0x0d || code === 0x09;
}

function isDelimiter(code: number): boolean {
  return isSpace(code) || code === 0x2c || code === 0x3a || code === 0x5d || code === 0x7d;
}

function skipSpace(text: string, i: number): number {
  while (i < text.length && isSpace(text.charCodeAt(i))) i++;
  return i;
}

/** Index just past the string starting at `i` (which holds a quote); text.length if unterminated. */
function skipString(text: string, i: number): number {
  let from = i + 1;
  for (;;) {
    const quote = text.indexOf('"', from);
    if (quote < 0) return text.length;
    let slashes = 0;
    while (text.charCodeAt(quote - 1 - slashes) === BACKSLASH) slashes++;
    if (slashes % 2 === 0) return quote + 1;
    from = quote + 1;
  }
}

/** Index just past the value starting at `i`, for text already known to be valid JSON. */
function skipValue(text: string, i: number): number {
  let depth = 0;
  while (i < text.length) {
    const code = text.charCodeAt(i);
    if (code === QUOTE) {
      i = skipString(text, i);
      if (depth === 0) return i;
    } else if (code === 0x7b || code === 0x5b) {
      depth++;
      i++;
    } else if (code === 0x7d || code === 0x5d) {
      depth--;
      i++;
      if (depth <= 0) return i;
    } else if (isSpace(code) || code === 0x2c || code === 0x3a) {
      i++;
    } else {
      // A number or a literal: runs until a delimiter.
      while (i < text.length && !isDelimiter(text.charCodeAt(i))) i++;
      if (depth === 0) return i;
    }
  }
  return i;
}

function decodeKey(text: string, start: number, end: number): string {
  const raw = text.slice(start + 1, end - 1);
  if (!raw.includes("\\")) return raw;
  try {
    return JSON.parse(text.slice(start, end)) as string;
  } catch {
    return raw;
  }
}

/**
 * Offset of the value a JSON Pointer (as tokens) names, in valid JSON text whose value starts
 * at or after `start`. Stops at the deepest value that exists (for a missing property: its parent).
 * With duplicate keys the last one wins, as in JSON.parse.
 */
export function locatePointer(text: string, tokens: readonly string[], start = 0): number {
  let pos = skipSpace(text, start);
  for (const token of tokens) {
    const code = text.charCodeAt(pos);
    if (code === 0x7b) {
      let i = skipSpace(text, pos + 1);
      let found = -1;
      while (i < text.length && text.charCodeAt(i) === QUOTE) {
        const keyEnd = skipString(text, i);
        const key = decodeKey(text, i, keyEnd);
        i = skipSpace(text, keyEnd);
        i = skipSpace(text, i + 1); // past the colon
        if (key === token) found = i;
        i = skipSpace(text, skipValue(text, i));
        if (text.charCodeAt(i) === 0x2c) i = skipSpace(text, i + 1);
        else break;
      }
      if (found < 0) return pos;
      pos = found;
    } else if (code === 0x5b) {
      if (!/^(0|[1-9][0-9]*)$/.test(token)) return pos;
      const index = Number(token);
      let i = skipSpace(text, pos + 1);
      if (text.charCodeAt(i) === 0x5d) return pos;
      let k = 0;
      for (; k < index && i < text.length; k++) {
        i = skipSpace(text, skipValue(text, i));
        if (text.charCodeAt(i) !== 0x2c) break;
        i = skipSpace(text, i + 1);
      }
      if (k < index) return pos;
      pos = i;
    } else {
      return pos;
    }
  }
  return pos;
}

/** Offsets of the elements of the array starting at or after `start`, in valid JSON text. */
export function arrayElementOffsets(text: string, start = 0): number[] {
  const offsets: number[] = [];
  let i = skipSpace(text, start);
  if (text.charCodeAt(i) !== 0x5b) return offsets;
  i = skipSpace(text, i + 1);
  if (text.charCodeAt(i) === 0x5d) return offsets;
  while (i < text.length) {
    offsets.push(i);
    i = skipSpace(text, skipValue(text, i));
    if (text.charCodeAt(i) !== 0x2c) break;
    i = skipSpace(text, i + 1);
  }
  return offsets;
}

export interface SyntaxProblem {
  /** Offset in the text where the problem is. */
  offset: number;
  /** Such as `unexpected end of input` or `unexpected character "}" (expected a value)`. */
  message: string;
}

/** A character as a person can read it in a message: "}" or U+0007. */
export function showChar(char: string): string {
  const code = char.codePointAt(0) ?? 0;
  if (isUnsafeCodePoint(code) || code === 0xfffd) {
    return `U+${code.toString(16).toUpperCase().padStart(4, "0")}`;
  }
  return JSON.stringify(String.fromCodePoint(code));
}

const EXPECT_VALUE = 0;
const EXPECT_KEY = 1;
const AFTER_VALUE = 2;
const OBJECT = 1;
const ARRAY = 2;

/**
 * The first syntax error of the JSON text between `start` and `end` (one value, surrounded by
 * whitespace at most), or undefined if there is none. Used only after JSON.parse has failed, to
 * say where and why in words, with a state machine and an explicit stack instead of recursion.
 */
export function findSyntaxError(text: string, start = 0, end = text.length): SyntaxProblem | undefined {
  const stack: number[] = [];
  let state = EXPECT_VALUE;
  let i = start;
  const fail = (offset: number, expected: string): SyntaxProblem =>
    offset >= end
      ? { offset: end, message: `unexpected end of input (expected ${expected})` }
      : { offset, message: `unexpected character ${showChar(String.fromCodePoint(text.codePointAt(offset)!))} (expected ${expected})` };

  for (;;) {
    while (i < end && isSpace(text.charCodeAt(i))) i++;
    if (state === AFTER_VALUE) {
      const top = stack.at(-1);
      if (top === undefined) return i < end ? fail(i, "the end of the input after a complete value") : undefined;
      const closer = top === OBJECT ? "}" : "]";
      if (i >= end) return fail(i, `"," or "${closer}"`);
      const char = text[i];
      if (char === ",") {
        i++;
        state = top === OBJECT ? EXPECT_KEY : EXPECT_VALUE;
      } else if (char === closer) {
        stack.pop();
        i++;
      } else return fail(i, `"," or "${closer}"`);
      continue;
    }
    if (state === EXPECT_KEY) {
      if (i >= end || text.charCodeAt(i) !== QUOTE) return fail(i, "a property name in double quotes");
      const result = scanString(text, i, end);
      if (typeof result !== "number") return result;
      i = result;
      while (i < end && isSpace(text.charCodeAt(i))) i++;
      if (i >= end || text[i] !== ":") return fail(i, '":" after the property name');
      i++;
      state = EXPECT_VALUE;
      continue;
    }
    // EXPECT_VALUE
    if (i >= end) return fail(i, "a value");
    const char = text[i]!;
    if (char === "{" || char === "[") {
      const kind = char === "{" ? OBJECT : ARRAY;
      const closer = char === "{" ? "}" : "]";
      i++;
      while (i < end && isSpace(text.charCodeAt(i))) i++;
      if (text[i] === closer) {
        i++;
        state = AFTER_VALUE;
      } else {
        stack.push(kind);
        state = kind === OBJECT ? EXPECT_KEY : EXPECT_VALUE;
      }
      continue;
    }
    let result: number | SyntaxProblem;
    if (char === '"') result = scanString(text, i, end);
    else if (char === "-" || (char >= "0" && char <= "9")) result = scanNumber(text, i, end);
    else if (char === "t" || char === "f" || char === "n") {
      const word = char === "t" ? "true" : char === "f" ? "false" : "null";
      let k = 0;
      while (k < word.length && i + k < end && text[i + k] === word[k]) k++;
      result = k === word.length ? i + k : fail(i + k, `"${word}"`);
    } else result = fail(i, "a value");
    if (typeof result !== "number") return result;
    i = result;
    state = AFTER_VALUE;
  }
}

function scanString(text: string, i: number, end: number): number | SyntaxProblem {
  i++;
  for (;;) {
    if (i >= end) return { offset: end, message: "unexpected end of input (unterminated string)" };
    const code = text.charCodeAt(i);
    if (code === QUOTE) return i + 1;
    if (code < 0x20)
      return { offset: i, message: `unexpected character ${showChar(text[i]!)} in a string (control characters must be escaped)` };
    if (code === BACKSLASH) {
      const next = text[i + 1];
      if (next === undefined || i + 1 >= end) return { offset: end, message: "unexpected end of input (unterminated string)" };
      if (next === "u") {
        const hex = text.slice(i + 2, Math.min(i + 6, end));
        if (!/^[0-9a-fA-F]{4}$/.test(hex)) return { offset: i, message: "invalid \\u escape in a string (expected 4 hex digits)" };
        i += 6;
      } else if ('"\\/bfnrt'.includes(next)) i += 2;
      else {
        const shown = showChar(next).startsWith('"') ? `"\\${next}"` : `"\\" followed by ${showChar(next)}`;
        return { offset: i, message: `invalid escape ${shown} in a string` };
      }
      continue;
    }
    i++;
  }
}

function scanNumber(text: string, i: number, end: number): number | SyntaxProblem {
  const digits = (from: number): number => {
    let k = from;
    while (k < end && text.charCodeAt(k) >= 0x30 && text.charCodeAt(k) <= 0x39) k++;
    return k;
  };
  const bad = (offset: number, what: string): SyntaxProblem =>
    offset >= end
      ? { offset: end, message: `unexpected end of input (expected ${what})` }
      : { offset, message: `unexpected character ${showChar(text[offset]!)} in a number (expected ${what})` };
  if (text[i] === "-") i++;
  if (text[i] === "0") i++;
  else {
    const after = digits(i);
    if (after === i) return bad(i, "a digit");
    i = after;
  }
  if (text[i] === ".") {
    const after = digits(i + 1);
    if (after === i + 1) return bad(i + 1, "a digit after the decimal point");
    i = after;
  }
  if (text[i] === "e" || text[i] === "E") {
    i++;
    if (text[i] === "+" || text[i] === "-") i++;
    const after = digits(i);
    if (after === i) return bad(i, "a digit in the exponent");
    i = after;
  }
  return i;
}

/** Line and column (both from 1; columns count UTF-16 code units) of offsets in one text. */
export class LineIndex {
  private starts: number[] | undefined;
  private readonly text: string;

  constructor(text: string) {
    this.text = text;
  }

  position(offset: number): { line: number; column: number } {
    if (!this.starts) {
      const starts = [0];
      for (let i = this.text.indexOf("\n"); i >= 0; i = this.text.indexOf("\n", i + 1)) starts.push(i + 1);
      this.starts = starts;
    }
    const starts = this.starts;
    let low = 0;
    let high = starts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (starts[mid]! <= offset) low = mid;
      else high = mid - 1;
    }
    return { line: low + 1, column: offset - starts[low]! + 1 };
  }
}

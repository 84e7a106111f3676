import { isUtf8 } from "node:buffer";

import { describe, expect, it } from "vitest";

import { firstInvalidUtf8Byte } from "../../../src/json/utf8.js";

describe("firstInvalidUtf8Byte", () => {
  it.each([
    ["valid ASCII and multi-byte", Buffer.from("aé€😀"), 10],
    ["a lone continuation byte", Buffer.from([0x61, 0x80, 0x61]), 1],
    ["a truncated sequence", Buffer.from([0x61, 0x62, 0xe2, 0x82]), 2],
    ["an overlong encoding", Buffer.from([0xc0, 0xaf]), 0],
    ["an encoded surrogate", Buffer.from([0x61, 0xed, 0xa0, 0x80]), 1],
    ["0xFF", Buffer.from([0x7b, 0xff]), 1],
  ])("%s", (_name, bytes, expected) => {
    expect(firstInvalidUtf8Byte(bytes)).toBe(expected);
    expect(isUtf8(bytes)).toBe(expected === bytes.length);
  });
});

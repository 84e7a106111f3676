import { describe, expect, it } from "vitest";

import { parseHttpUrl, parseSize, parseWholeNumber } from "../../../src/commands/flag-values.js";

describe("parseWholeNumber", () => {
  it.each([
    ["1", 1],
    ["20000", 20000],
    [" 3 ", 3],
    ["0", 0],
  ])("%j → %d", (text, value) => {
    expect(parseWholeNumber(text, "--repeat")).toBe(value);
  });
  it.each(["-1", "1.5", "abc", "", "1e3", "99999999999999999999"])("refuses %j", (text) => {
    expect(() => parseWholeNumber(text, "--repeat")).toThrow(expect.objectContaining({ exitCode: 2, code: "bad-flag" }));
  });
  it("says the range when there is a maximum, the minimum otherwise", () => {
    expect(() => parseWholeNumber("70000", "--port", { min: 0, max: 65535 })).toThrow(
      '--port takes a whole number from 0 to 65535; got "70000"',
    );
    expect(() => parseWholeNumber("0", "--repeat", { min: 1 })).toThrow('--repeat takes a whole number of at least 1; got "0"');
  });
});

describe("parseSize", () => {
  it.each([
    ["1048576", 1_048_576],
    ["1mb", 1_048_576],
    ["1MiB", 1_048_576],
    ["512kb", 524_288],
    ["10 b", 10],
  ])("%s → %d", (text, bytes) => {
    expect(parseSize(text, "--max-body")).toBe(bytes);
  });
  it.each(["0", "1tb", "mb", "-1kb"])("refuses %j", (text) => {
    expect(() => parseSize(text, "--max-body")).toThrow("--max-body takes a size");
  });
});

describe("parseHttpUrl", () => {
  it("keeps http(s) URLs and drops the fragment", () => {
    expect(parseHttpUrl(" https://example.com/hook#x ", "--to").href).toBe("https://example.com/hook");
  });
  it.each([
    ["localhost:3000/hook", "has no http:// or https:// scheme"],
    ["ftp://example.com/", "only http:// and https:// URLs are supported"],
    ["not a url", "is not a valid URL"],
  ])("refuses %j", (text, message) => {
    expect(() => parseHttpUrl(text, "--forward-to")).toThrow(message);
  });
});

import { execFileSync } from "node:child_process";

import { describe, expect, it } from "vitest";

import { segmentBytes, segmentText } from "../../../src/inspector/page/display-text.js";
import { prettyJson } from "../../../src/inspector/page/pretty-json.js";
import { bodyPipe, curlCommand, sendCommand, shellQuote } from "../../../src/inspector/page/shell-commands.js";

/** What bash writes to stdout for a pipeline stage: the bytes the command would send. */
function bashBytes(stage: string): Buffer {
  return execFileSync("bash", ["-c", stage]);
}

const HOSTILE = [
  `{"type":"user.created","name":"O'Brien"}`,
  `{"x":"$(touch /tmp/pwned) \`id\` $HOME \\\\ \\" '\\'' ; rm -rf ~"}`,
  `{"lines":"a\nb\n"}\n`,
  `{"tab":"\t","bidi":"\u202e","nul-free":"ok","emoji":"😀","esc":"\u001b[201~ echo pasted"}`,
  "",
];

describe("Copy as curl / wtbhook send: the body's exact bytes, safe to paste", () => {
  it.each(HOSTILE)("bodyPipe writes the exact bytes of %j", (text) => {
    expect(bashBytes(bodyPipe({ text })).toString("utf8")).toBe(text);
  });

  it("uses base64 for bytes that are not UTF-8 and for control characters, so nothing unsafe reaches a terminal", () => {
    const bytes = Buffer.from([0x7b, 0xff, 0x00, 0x1b, 0x7d]);
    expect(bashBytes(bodyPipe({ base64: bytes.toString("base64") })).equals(bytes)).toBe(true);
    const escape = bodyPipe({ text: '{"a":"\u001b]0;title\u0007"}' });
    expect(escape).toContain("base64 -d");
    expect(escape).not.toMatch(/[\u0000-\u0008\u000b-\u001f]/);
    expect(bodyPipe({ text: '{"a":"plain"}' })).toBe(`printf '%s' '{"a":"plain"}'`);
  });

  it("quotes every header and the URL, leaves out connection headers and ones with control characters", () => {
    const command = curlCommand(
      "http://localhost:3000/hook?a=1&b='2'",
      { host: "x", "content-length": "9", "content-type": "application/json", "x-evil": "$(id)'`", "x-bad": "a\u001bb" },
      { text: "{}" },
    );
    expect(command).toContain(`'http://localhost:3000/hook?a=1&b='\\''2'\\'''`);
    expect(command).toContain(`-H 'x-evil: $(id)'\\''\`'`);
    expect(command).not.toContain("host: x");
    expect(command).not.toContain("content-length");
    expect(command).toMatch(/^# left out the header "x-bad"/);
    expect(command).not.toContain("\u001b");
    expect(shellQuote("it's")).toBe(`'it'\\''s'`);
  });

  it("adds --no-validate to wtbhook send for an invalid event, which is sent as it came", () => {
    expect(sendCommand("http://h/", { text: "{}" }, true)).toBe(
      `printf '%s' '{}' \\\n  | wtbhook send --data - --to 'http://h/' --no-validate`,
    );
    expect(sendCommand("http://h/", { text: "{}" }, false)).not.toContain("--no-validate");
  });
});

describe("the page's body views", () => {
  it("lays out JSON one value per line with each line's pointer, keeping tokens as written", () => {
    const pretty = prettyJson('{"a":{"b~/c":[1, 12345678901234567890, "\\u00e9"]},"e":{},"f":[]}')!;
    const text = pretty.lines.map((line) => `${"  ".repeat(line.depth)}${line.tokens.map((token) => token.text).join("")}`);
    expect(text).toEqual([
      "{",
      '  "a": {',
      '    "b~/c": [',
      "      1,",
      "      12345678901234567890,",
      '      "\\u00e9"',
      "    ]",
      "  },",
      '  "e": {},',
      '  "f": []',
      "}",
    ]);
    expect(pretty.lineOf.get("/a/b~0~1c/1")).toBe(4);
    expect(pretty.lineOf.get("/e")).toBe(8);
    expect(prettyJson("{nope")).toBeUndefined();
    expect(prettyJson("[".repeat(300) + "]".repeat(300))).toBeUndefined();
  });

  it("shows bytes that are not UTF-8 and hidden characters as escapes, the rest as text", () => {
    expect(segmentBytes(Buffer.from([0x61, 0xff, 0xc3, 0xa9, 0xed, 0xa0, 0x80, 0x0a]))).toEqual([
      { kind: "text", text: "a" },
      { kind: "escape", text: "\\xff" },
      { kind: "text", text: "é" },
      { kind: "escape", text: "\\xed" },
      { kind: "escape", text: "\\xa0" },
      { kind: "escape", text: "\\x80" },
      { kind: "text", text: "\n" },
    ]);
    expect(segmentText("a\u202eb\tc\u001b")).toEqual([
      { kind: "text", text: "a" },
      { kind: "escape", text: "\\u202e" },
      { kind: "text", text: "b\tc" },
      { kind: "escape", text: "\\e" },
    ]);
  });
});

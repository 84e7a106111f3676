import { describe, expect, it } from "vitest";

import { WtbhookError } from "../../../src/errors.js";
import { formatRecordLine, parseRecordLine, type RecordEntry } from "../../../src/record/record.js";

describe("formatRecordLine", () => {
  it("writes every field of RecordEntry, in order, as valid JSON on one line", () => {
    const line = formatRecordLine({
      time: new Date(Date.UTC(2026, 0, 2, 3, 4, 5, 678)),
      method: "POST",
      path: '/h?q="x"',
      headers: { "content-type": "application/json", "X-Upper": "1", "set-cookie": ["a=1", "b=2"], skipped: undefined },
      body: Buffer.from('{\n  "type": "user.created", "s": "\u2028\u001b"\n}'),
      answer: { status: 201, ms: 3.456 },
      type: "user.created",
      id: 42,
    });
    expect(line.endsWith("}\n")).toBe(true);
    expect(line.slice(0, -1)).not.toContain("\n");
    const entry = JSON.parse(line) as RecordEntry;
    expect(Object.keys(entry)).toEqual(["kind", "v", "time", "method", "path", "headers", "body", "encoding", "answer", "type", "id"]);
    expect(entry).toEqual({
      kind: "request",
      v: 1,
      time: "2026-01-02T03:04:05.678Z",
      method: "POST",
      path: '/h?q="x"',
      headers: { "content-type": "application/json", "x-upper": "1", "set-cookie": "a=1, b=2" },
      body: '{\n  "type": "user.created", "s": "\u2028\u001b"\n}',
      encoding: "utf8",
      answer: { status: 201, ms: 3.5 },
      type: "user.created",
      id: 42,
    });
  });

  it("uses the caller's decoded text for a UTF-8 body, and times each line by its own millisecond", () => {
    const body = Buffer.from('{"a":"é"}');
    const times = [
      Date.UTC(2026, 0, 2, 3, 4, 5, 678),
      Date.UTC(2026, 0, 2, 3, 4, 5, 678),
      Date.UTC(2026, 0, 2, 3, 4, 5, 679),
      Date.UTC(2026, 0, 2, 3, 4, 5, 678),
    ];
    const entries = times.map(
      (ms) =>
        JSON.parse(
          formatRecordLine({
            time: new Date(ms),
            method: "POST",
            path: "/",
            headers: {},
            body,
            answer: { status: 200, ms: 0 },
            text: body.toString("utf8"),
          }),
        ) as RecordEntry,
    );
    expect(entries.map((e) => e.time)).toEqual(times.map((ms) => new Date(ms).toISOString()));
    expect(entries.every((e) => e.encoding === "utf8" && e.body === '{"a":"é"}')).toBe(true);
  });

  it("keeps bodies that are not UTF-8 as base64 and leaves type and id out when unknown", () => {
    const body = Buffer.from([0xc3, 0x28, 0x00]);
    const line = formatRecordLine({ time: new Date(0), method: "POST", path: "/", headers: {}, body, answer: { status: 400, ms: 0 } });
    const entry = JSON.parse(line) as RecordEntry;
    expect(entry.encoding).toBe("base64");
    expect("type" in entry || "id" in entry).toBe(false);
    expect(parseRecordLine(line, 1, "x")!.body.equals(body)).toBe(true);
  });
});

describe("parseRecordLine on hand-edited lines", () => {
  const entry = (extra: Record<string, unknown>): string =>
    JSON.stringify({
      kind: "request",
      v: 1,
      time: "t",
      method: "POST",
      path: "/",
      headers: {},
      body: '{"type":"user.created","id":1}',
      encoding: "utf8",
      answer: { status: 200, ms: 1 },
      ...extra,
    });

  it("ignores a type or id of the wrong kind and reads them from the body", () => {
    const item = parseRecordLine(entry({ type: 123, id: "abc" }), 1, "x.ndjson")!;
    expect(item).toMatchObject({ type: "user.created", id: 1 });
  });

  it("refuses an unknown body encoding instead of sending the text as it is", () => {
    expect(() => parseRecordLine(entry({ body: "AAAA", encoding: "bogus" }), 3, "x.ndjson")).toThrow(
      'x.ndjson:3: unknown body encoding "bogus" (expected "utf8" or "base64")',
    );
  });
});

describe("parseRecordLine on broken lines", () => {
  const line = formatRecordLine({
    time: new Date(0),
    method: "POST",
    path: "/",
    headers: {},
    body: Buffer.from('{"type":"user.created","id":1}'),
    answer: { status: 200, ms: 1 },
    type: "user.created",
    id: 1,
  }).trimEnd();

  it.each([
    ["cut short by a kill or a full disk", line.slice(0, 60), "rec.ndjson:17: incomplete line: it ends in the middle of a record"],
    ["cut short inside the body string", line.slice(0, line.indexOf('"body":') + 12), "rec.ndjson:17: incomplete line"],
    [
      "cut short, with the next record appended onto it",
      line.slice(0, 60) + line,
      "rec.ndjson:17: incomplete record, with the next record written onto the same line at column 61",
    ],
    [
      "glued inside a string",
      line.slice(0, line.indexOf('"body":') + 12) + line,
      `rec.ndjson:17: incomplete record, with the next record written onto the same line at column ${line.indexOf('"body":') + 13}`,
    ],
    [
      "not JSON at all",
      "{oops}",
      'rec.ndjson:17: not valid JSON: unexpected character "o" (expected a property name in double quotes) at column 2',
    ],
  ])("names the line and why: %s", (_, text, message) => {
    let error: unknown;
    try {
      parseRecordLine(text, 17, "rec.ndjson");
    } catch (thrown) {
      error = thrown;
    }
    expect(error).toBeInstanceOf(WtbhookError);
    expect((error as WtbhookError).message.startsWith(message)).toBe(true);
    expect(error).toMatchObject({ exitCode: 2, code: "bad-recording" });
    expect((error as WtbhookError).hint).toBeTruthy();
  });
});

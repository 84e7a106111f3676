import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { afterEach, describe, expect, it } from "vitest";

import { WtbhookError } from "../../../src/errors.js";
import { openRecordWriter, parseRecordLine } from "../../../src/record/record.js";

const dirs: string[] = [];
function tempFile(): string {
  const dir = mkdtempSync(join(tmpdir(), "wtbhook-record-"));
  dirs.push(dir);
  return join(dir, "events.ndjson");
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe("openRecordWriter", () => {
  it("appends one line per request, in the file as soon as write returns, readable by parseRecordLine", () => {
    const path = tempFile();
    const writer = openRecordWriter(path);
    const body = Buffer.from('{\n  "type": "user.created",\n  "id": 7\n}\n');
    const binary = Buffer.from([0xff, 0x00, 0x7b]);
    writer.write({
      time: new Date(0),
      method: "POST",
      path: "/h?x=1",
      headers: { "Content-Type": "application/json" },
      body,
      answer: { status: 200, ms: 1.234 },
      type: "user.created",
      id: 7,
    });
    // Before close: the line is already there (written with write(2), no buffering in the process).
    const lines = readFileSync(path, "utf8").split("\n");
    expect(lines).toHaveLength(2);
    writer.write({ time: new Date(0), method: "POST", path: "/h", headers: {}, body: binary, answer: { status: 400, ms: 0 } });
    writer.close();
    writer.close();
    const [first, second] = readFileSync(path, "utf8").trimEnd().split("\n");
    expect(JSON.parse(first!)).toMatchObject({
      kind: "request",
      path: "/h?x=1",
      headers: { "content-type": "application/json" },
      answer: { status: 200, ms: 1.2 },
    });
    const replay = parseRecordLine(first!, 1, path)!;
    expect(replay.body.equals(body)).toBe(true);
    expect(replay).toMatchObject({ type: "user.created", id: 7 });
    expect(parseRecordLine(second!, 2, path)!.body.equals(binary)).toBe(true);
  });

  it("appends to an existing recording", () => {
    const path = tempFile();
    for (let i = 0; i < 2; i++) {
      const writer = openRecordWriter(path);
      writer.write({ time: new Date(0), method: "POST", path: "/", headers: {}, body: Buffer.from("{}"), answer: { status: 200, ms: 0 } });
      writer.close();
    }
    expect(readFileSync(path, "utf8").trimEnd().split("\n")).toHaveLength(2);
  });

  it("fails with a usage error when the file cannot be opened", () => {
    expect(() => openRecordWriter(join(tempFile(), "missing-dir", "x.ndjson"))).toThrow(WtbhookError);
  });
});

describe("RecordWriter.append", () => {
  it("writes several formatted lines at once", () => {
    const path = tempFile();
    const writer = openRecordWriter(path);
    writer.append("");
    writer.append('{"a":1}\n{"b":2}\n');
    expect(readFileSync(path, "utf8")).toBe('{"a":1}\n{"b":2}\n');
    writer.close();
    expect(() => writer.append("x\n")).toThrow(/closed/);
  });
});

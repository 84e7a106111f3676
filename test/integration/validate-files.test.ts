// validateFiles on real files in a temp dir: modes, positions, directories, stdin, hostile input.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { loadFixture } from "../../src/catalog/catalog.js";
import { WtbhookError } from "../../src/errors.js";
import { formatRecordLine } from "../../src/record/record.js";
import { loadCustomSchema } from "../../src/validation/custom-schema.js";
import type { EventReport, FileReport, ValidateFilesOptions } from "../../src/validation/types.js";
import { validateFiles } from "../../src/validation/validate-files.js";

let dir: string;
const fixture = loadFixture("user.created").toString("utf8");
const event = (): Record<string, any> => JSON.parse(fixture) as Record<string, any>;
const compact = (value: unknown): string => JSON.stringify(value);
const badEvent = (): Record<string, any> => {
  const bad = event();
  bad["data"].object.userId = "181855";
  return bad;
};

function write(name: string, content: string | Buffer): string {
  const path = join(dir, name);
  mkdirSync(join(path, ".."), { recursive: true });
  writeFileSync(path, content);
  return path;
}

async function run(paths: string[], options: Partial<ValidateFilesOptions> = {}) {
  const events: EventReport[] = [];
  const files: FileReport[] = [];
  const summary = await validateFiles(paths, { cwd: dir, ...options }, { onEvent: (e) => events.push(e), onFile: (f) => files.push(f) });
  return { summary, events, files, problems: events.flatMap((e) => e.problems) };
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "wtbhook-validate-"));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe("validateFiles: what a file may hold", () => {
  it("checks NDJSON line by line, skipping blank lines, with real line numbers", async () => {
    const path = write("mixed.ndjson", [compact(event()), "", "  ", compact(badEvent()), '{"a":', "[1]", ""].join("\n"));
    const { summary, events } = await run([path]);
    expect(summary).toMatchObject({ files: 1, events: 4, valid: 1, invalid: 3 });
    expect(events.map((e) => [e.index, e.line, e.problems[0]?.message])).toEqual([
      [1, 4, 'expected integer, found "181855"'],
      [2, 5, "malformed JSON: unexpected end of input (expected a value)"],
      [3, 6, "expected an event object, found an array"],
    ]);
    const line4 = compact(badEvent());
    expect(events[0]!.problems[0]).toMatchObject({ line: 4, column: line4.indexOf('"181855"') + 1, pointer: "/data/object/userId" });
    expect(events[1]!.problems[0]).toMatchObject({ line: 5, column: 6 });
  });

  it("reads a pretty-printed event as one document, with the value's line and column", async () => {
    const text = JSON.stringify(badEvent(), null, 2);
    const { events } = await run([write("pretty.json", text)]);
    const before = text.slice(0, text.indexOf('"181855"')).split("\n");
    expect(events[0]!.problems[0]).toMatchObject({ line: before.length, column: before.at(-1)!.length + 1 });
  });

  it("reads an array of events, each checked and placed on its own", async () => {
    const text = JSON.stringify([event(), badEvent(), event()], null, 2);
    const { summary, events } = await run([write("array.json", text)]);
    expect(summary).toMatchObject({ events: 3, valid: 2, invalid: 1 });
    const at = text.split("\n").findIndex((line) => line.includes('"181855"')) + 1;
    expect(events).toEqual([
      expect.objectContaining({ index: 1, type: "user.created", problems: [expect.objectContaining({ line: at })] }),
    ]);
  });

  it("treats a .json file of compact lines as NDJSON", async () => {
    const { summary, events } = await run([write("lines.json", `${compact(event())}\n${compact(badEvent())}\n`)]);
    expect(summary).toMatchObject({ events: 2, invalid: 1 });
    expect(events[0]!.line).toBe(2);
  });

  it("accepts a UTF-8 byte order mark", async () => {
    const bom = Buffer.from([0xef, 0xbb, 0xbf]);
    const { summary } = await run([
      write("bom.json", Buffer.concat([bom, Buffer.from(JSON.stringify(event(), null, 2))])),
      write("bom.ndjson", Buffer.concat([bom, Buffer.from(`${compact(event())}\n${compact(event())}\n`)])),
    ]);
    expect(summary).toMatchObject({ files: 2, events: 3, valid: 3, invalid: 0 });
  });

  it("reads standard input for -", async () => {
    const stdin = Readable.from([
      Buffer.from(`${compact(event())}\n${compact(badEvent()).slice(0, 200)}`),
      Buffer.from(`${compact(badEvent()).slice(200)}\n`),
    ]);
    const { summary, events } = await run(["-"], { stdin: () => stdin });
    expect(summary).toMatchObject({ files: 1, events: 2, invalid: 1 });
    expect(events[0]).toMatchObject({ file: "<stdin>", line: 2 });
  });

  it("refuses an empty path (exit 2) rather than walk the current folder", async () => {
    write("here/event.json", compact(event()));
    await expect(run([""], { cwd: join(dir, "here") })).rejects.toMatchObject({ exitCode: 2, message: "an empty path was given" });
  });

  it("refuses - given twice (exit 2) rather than report the second, empty read as malformed JSON", async () => {
    const stdin = Readable.from([Buffer.from(`${compact(event())}\n`)]);
    await expect(run(["-", "-"], { stdin: () => stdin })).rejects.toMatchObject({
      exitCode: 2,
      message: expect.stringContaining("given twice"),
    });
  });

  it("keeps line numbers right across 1 MB read chunks", async () => {
    const lines: string[] = [];
    const padded = event();
    padded["data"].object.signature = "s".repeat(1000);
    for (let i = 0; i < 3000; i++) lines.push(compact(padded));
    lines.push(compact(badEvent()));
    const { summary, events } = await run([write("big.ndjson", `${lines.join("\n")}\n`)]);
    expect(summary).toMatchObject({ events: 3001, valid: 3000, invalid: 1 });
    expect(events[0]).toMatchObject({ line: 3001, index: 3000 });
  });

  it("checks the event inside each request of a listen --record file, placing problems at its body", async () => {
    const recorded = (body: Buffer, text?: string): string =>
      formatRecordLine({
        time: new Date(0),
        method: "POST",
        path: "/",
        headers: { "content-type": "application/json" },
        body,
        answer: { status: 200, ms: 1 },
        text,
      }).trimEnd();
    const good = Buffer.from(fixture);
    const bad = Buffer.from(compact(badEvent()));
    const lines = [
      recorded(good, fixture),
      recorded(bad),
      recorded(Buffer.from("not json")),
      recorded(Buffer.from([0xff, 0xfe])),
      compact(event()),
      compact({ ...badEvent(), kind: "request" }),
    ];
    const path = write("recording.ndjson", `${lines.join("\n")}\n`);
    const { summary, events } = await run([path], { reportValid: true });
    expect(summary).toMatchObject({ events: 6, valid: 2, invalid: 4 });
    expect(events.map((e) => [e.line, e.valid, e.type, e.problems[0]?.message])).toEqual([
      [1, true, "user.created", undefined],
      [2, false, "user.created", 'expected integer, found "181855"'],
      [3, false, undefined, 'the recorded body is malformed JSON: unexpected character "o" (expected "null")'],
      [4, false, undefined, "the recorded body is not UTF-8"],
      [5, true, "user.created", undefined],
      [6, false, "user.created", 'expected integer, found "181855"'],
    ]);
    // An event that merely has "kind": "request" is checked as itself, placed as any other line.
    expect(events[5]!.problems[0]).toMatchObject({ line: 6, column: lines[5]!.indexOf('"181855"') + 1 });
    expect(events[1]!.problems[0]).toMatchObject({ pointer: "/data/object/userId", line: 2, column: lines[1]!.indexOf('"body":') + 8 });
  });

  it("walks directories for *.json, *.jsonl and *.ndjson in name order, skipping node_modules", async () => {
    const tree = join(dir, "tree");
    write("tree/b/two.jsonl", `${compact(event())}\n`);
    write("tree/a.json", fixture);
    write("tree/b/c/three.ndjson", `${compact(badEvent())}\n`);
    write("tree/notes.txt", "not an event");
    write("tree/node_modules/pkg/package.json", "{}");
    const { files, summary } = await run([tree]);
    expect(files.map((f) => f.file)).toEqual([join(tree, "a.json"), join(tree, "b/c/three.ndjson"), join(tree, "b/two.jsonl")]);
    expect(summary).toMatchObject({ files: 3, events: 3, invalid: 1 });
  });
});

describe("validateFiles: options", () => {
  it("cuts problems at maxErrors and counts the rest", async () => {
    const bad = event();
    for (const key of ["userId", "username", "email", "name", "reputation"]) bad["data"].object[key] = [];
    const { events } = await run([write("many.json", compact(bad))], { maxErrors: 2 });
    expect(events[0]!.problems).toHaveLength(2);
    expect(events[0]!.omitted).toBe(3);
  });

  it("places every problem before cutting, so the first in the document are kept, in linear time", async () => {
    // 50,000 wrong items: each problem used to be placed by scanning the text from its start
    // (8,000 took 12 s; 200,000 never finished).
    const bad = event();
    bad["data"].object.userGroups = Array.from({ length: 50_000 }, (_, i) => `g${i}`);
    // After userGroups in the document, before it in pointer order: document order must win.
    bad["data"].object.reputation = "x";
    const text = JSON.stringify(bad, null, 2);
    const started = performance.now();
    const { events } = await run([write("many-groups.json", text)], { maxErrors: 3 });
    expect(performance.now() - started).toBeLessThan(15_000);
    expect(events[0]!.problems.map((p) => p.pointer)).toEqual([
      "/data/object/userGroups/0",
      "/data/object/userGroups/1",
      "/data/object/userGroups/2",
    ]);
    expect(events[0]!.omitted).toBe(49_998);
    const lines = text.split("\n");
    const at = lines.findIndex((line) => line.includes('"g1"'));
    expect(events[0]!.problems[1]).toMatchObject({ line: at + 1, column: lines[at]!.indexOf('"g1"') + 1 });
  });

  it("forces a type", async () => {
    const { events } = await run([write("forced.json", fixture)], { type: "post.created" });
    expect(events[0]!.type).toBe("post.created");
    expect(events[0]!.problems.map((p) => p.message)).toContain('expected "post.created", found "user.created"');
  });

  it("reports undeclared fields in strict mode only", async () => {
    const path = write("extra.ndjson", `${compact({ ...event(), nickname: "x" })}\n`);
    expect((await run([path])).summary.invalid).toBe(0);
    const strict = await run([path], { strict: true });
    expect(strict.problems).toEqual([expect.objectContaining({ pointer: "/nickname", keyword: "unknown-field", line: 1 })]);
  });

  it("validates against a schema of the user's own", async () => {
    write("schema.json", compact({ type: "object", required: ["id", "missing"], properties: { id: { type: "string" } } }));
    const schema = await loadCustomSchema("schema.json", dir);
    const { problems } = await run([write("own.json", fixture)], { schema });
    expect(problems.map((p) => p.message)).toEqual(['missing property "missing"', "expected string, found 1534"]);
  });

  it("checks the formats of a schema of the user's own (ajv-formats), and ignores formats it does not know", async () => {
    write(
      "formats.json",
      compact({
        type: "object",
        properties: { email: { type: "string", format: "email" }, at: { type: "string", format: "date-time" }, x: { format: "made-up" } },
      }),
    );
    const schema = await loadCustomSchema("formats.json", dir);
    const { problems } = await run(
      [
        write(
          "formats.ndjson",
          `${compact({ email: "nope", at: "yesterday", x: "y" })}\n${compact({ email: "a@b.example", at: "2026-11-28T07:00:00Z", x: 1 })}\n`,
        ),
      ],
      { schema },
    );
    expect(problems.map((p) => [p.line, p.pointer, p.message])).toEqual([
      [1, "/email", 'expected a valid email, found "nope"'],
      [1, "/at", 'expected a valid date-time, found "yesterday"'],
    ]);
  });

  it("reports the fields a schema of the user's own does not declare under --strict, as the catalogue's", async () => {
    write(
      "closed.json",
      compact({ type: "object", properties: { id: {}, data: { type: "object", properties: { object: { type: "object" } } } } }),
    );
    const path = write("closed-events.ndjson", `${compact({ id: 1, extra: 2, data: { object: { free: true }, more: 3 } })}\n`);
    const loose = await run([path], { schema: await loadCustomSchema("closed.json", dir) });
    expect(loose.summary.invalid).toBe(0);
    const strict = await run([path], { schema: await loadCustomSchema("closed.json", dir, { strict: true }), strict: true });
    expect(strict.problems.map((p) => [p.pointer, p.keyword])).toEqual([
      ["/extra", "unknown-field"],
      ["/data/more", "unknown-field"],
    ]);
  });

  it("checks a recursive schema on a 100,000-deep event as one invalid event, and the other events still", async () => {
    write("recursive.json", '{"$defs":{"a":{"type":"object","properties":{"x":{"$ref":"#/$defs/a"}}}},"$ref":"#/$defs/a"}');
    const schema = await loadCustomSchema("recursive.json", dir);
    const deep = `${'{"x":'.repeat(100_000)}{}${"}".repeat(100_000)}`;
    const path = write("deep-events.ndjson", [compact({ x: { x: {} } }), deep, compact({ x: 5 }), compact({ x: {} })].join("\n"));
    const { summary, events } = await run([path], { schema });
    expect(summary).toMatchObject({ events: 4, valid: 2, invalid: 2 });
    expect(events.map((e) => [e.line, e.problems[0]?.keyword])).toEqual([
      [2, "depth"],
      [3, "type"],
    ]);
    expect(events[0]!.problems[0]!.message).toMatch(/^nested too deeply to check against this schema/);
  });

  it("runs the patterns of a schema of the user's own in linear time, and says which it cannot", async () => {
    // With JavaScript's engine this pattern took 42 s on 32 characters, and doubles with each one more.
    write("catastrophic.json", compact({ type: "object", properties: { name: { type: "string", pattern: "^(a+)+$" } } }));
    const schema = await loadCustomSchema("catastrophic.json", dir);
    expect(schema.warnings).toEqual([]);
    const started = performance.now();
    const { problems } = await run(
      [write("catastrophic.ndjson", `${compact({ name: `${"a".repeat(40)}!` })}\n${compact({ name: "aaa" })}\n`)],
      {
        schema,
      },
    );
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(problems.map((p) => [p.line, p.pointer, p.keyword])).toEqual([[1, "/name", "pattern"]]);
    // Lookahead is beyond RE2: JavaScript's engine runs it, and the user is told.
    write("lookahead.json", compact({ type: "object", patternProperties: { "^(?=x)": { type: "integer" } } }));
    const lookahead = await loadCustomSchema("lookahead.json", dir);
    expect(lookahead.warnings).toEqual([expect.stringContaining('pattern "^(?=x)" uses lookaround or backreferences')]);
    const checked = await run([write("lookahead.ndjson", `${compact({ xa: "no", ya: "fine" })}\n`)], { schema: lookahead });
    expect(checked.problems.map((p) => p.pointer)).toEqual(["/xa"]);
  });

  it("refuses an unreadable or invalid schema with exit code 2", async () => {
    write("broken-schema.json", '{"type": ');
    write("wrong-schema.json", '{"type": 5}');
    for (const file of ["no-such-schema.json", "broken-schema.json", "wrong-schema.json"]) {
      await expect(loadCustomSchema(file, dir)).rejects.toMatchObject({ exitCode: 2 });
    }
  });

  it("lists valid events too when asked, in order", async () => {
    const events: EventReport[] = [];
    await validateFiles(
      [write("order.ndjson", [fixture, compact(badEvent()), fixture].map((t) => compact(JSON.parse(t))).join("\n"))],
      { cwd: dir, reportValid: true },
      { onEvent: (e) => events.push(e) },
    );
    expect(events.map((e) => [e.index, e.valid])).toEqual([
      [0, true],
      [1, false],
      [2, true],
    ]);
  });

  it("stops when the signal aborts and says so", async () => {
    const lines = Array.from({ length: 20_000 }, () => compact(event())).join("\n");
    const controller = new AbortController();
    const summary = await validateFiles(
      [write("abort.ndjson", lines)],
      { cwd: dir, signal: controller.signal },
      { onProgress: () => controller.abort() },
    );
    expect(summary.aborted).toBe(true);
    expect(summary.events).toBeGreaterThan(0);
    expect(summary.events).toBeLessThan(20_000);
  });

  it.each([
    [["no-such-file.json"], {}, "unreadable-input"],
    [["empty-dir"], {}, "no-input"],
    [["x.json"], { type: "user.craeted" }, "unknown-type"],
  ])("refuses %j with a usage error", async (paths, options, code) => {
    mkdirSync(join(dir, "empty-dir"), { recursive: true });
    write("x.json", fixture);
    const error = await run(paths, options).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WtbhookError);
    expect(error).toMatchObject({ code, exitCode: 2 });
  });
});

describe("validateFiles: hostile input", () => {
  it("explains malformed and truncated JSON with its position", async () => {
    const text = JSON.stringify(event(), null, 2);
    const truncated = text.slice(0, text.indexOf('"userGroups"') + 15);
    expect(truncated.endsWith("[")).toBe(true);
    const { problems } = await run([write("truncated.json", truncated)]);
    expect(problems).toEqual([
      expect.objectContaining({ keyword: "syntax", message: "malformed JSON: unexpected end of input (expected a value)" }),
    ]);
    expect(problems[0]).toMatchObject({ line: truncated.split("\n").length, column: truncated.split("\n").at(-1)!.length + 1 });
    const broken = await run([write("broken.json", '{\n  "a": 1,\n  }\n')]);
    expect(broken.problems[0]).toMatchObject({
      line: 3,
      column: 3,
      message: 'malformed JSON: unexpected character "}" (expected a property name in double quotes)',
    });
  });

  it("names a last line cut short mid-write (no newline ends it) as such, and checks every line before it", async () => {
    const whole = compact(event());
    const cut = whole.slice(0, 150);
    const ndjson = await run([write("cut.ndjson", `${whole}\n${compact(badEvent())}\n${whole}\n${cut}`)]);
    expect(ndjson.summary).toMatchObject({ events: 4, valid: 2, invalid: 2 });
    expect(ndjson.events.map((e) => [e.line, e.problems[0]?.keyword])).toEqual([
      [2, "type"],
      [4, "truncated"],
    ]);
    expect(ndjson.events[1]!.problems[0]).toMatchObject({
      line: 4,
      column: 151,
      message: expect.stringMatching(
        /^incomplete last line \(the file does not end with a newline: was it cut short mid-write\?\): unexpected end of input/,
      ),
    });
    // A recording (listen --record) killed mid-write, detected as NDJSON by its first line.
    const recorded = (body: string): string =>
      formatRecordLine({
        time: new Date(0),
        method: "POST",
        path: "/",
        headers: {},
        body: Buffer.from(body),
        answer: { status: 200, ms: 1 },
      }).trimEnd();
    const line = recorded(whole);
    const recording = await run([write("cut-recording.json", `${line}\n${line.slice(0, 300)}`)]);
    expect(recording.summary).toMatchObject({ events: 2, valid: 1, invalid: 1 });
    expect(recording.events[0]!.problems[0]).toMatchObject({ line: 2, keyword: "truncated" });
    // A complete last line without its newline is fine.
    expect((await run([write("no-newline.ndjson", `${whole}\n${whole}`)])).summary).toMatchObject({ events: 2, valid: 2 });
  });

  it("says where invalid UTF-8 is, by byte", async () => {
    const good = Buffer.from(`${compact(event())}\n`);
    const bad = Buffer.from(compact(event()).replace("john", "jo\u0000hn"));
    const at = bad.indexOf(0);
    bad[at] = 0xff;
    const { problems } = await run([write("latin1.ndjson", Buffer.concat([good, bad, Buffer.from("\n")]))]);
    expect(problems).toEqual([
      expect.objectContaining({ keyword: "encoding", message: `invalid UTF-8 at byte ${good.length + at}`, line: 2, column: at + 1 }),
    ]);
    const whole = await run([write("latin1.json", Buffer.concat([Buffer.from('{\n  "a": "'), Buffer.from([0xe9]), Buffer.from('"\n}')]))]);
    expect(whole.problems[0]).toMatchObject({ message: "invalid UTF-8 at byte 10", line: 2, column: 9 });
  });

  it("reports binary garbage as invalid, not as a crash", async () => {
    const garbage = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256));
    const { summary, problems } = await run([write("garbage.bin", garbage)]);
    expect(summary.invalid).toBe(1);
    expect(problems[0]!.keyword).toMatch(/^(encoding|syntax)$/);
  });

  it("handles a 100,000-deep nested array, in a document and inside an event", async () => {
    const deep = "[".repeat(100_000) + "]".repeat(100_000);
    const doc = await run([write("deep.json", deep)]);
    expect(doc.problems[0]).toMatchObject({ message: "expected an event object, found an array", line: 1, column: 2 });
    const unclosed = await run([write("deep-open.json", "[".repeat(100_000))]);
    expect(unclosed.problems[0]).toMatchObject({ keyword: "syntax", column: 100_001 });
    const inside = compact({ ...event(), data: { object: { ...event()["data"].object, userGroups: null } } }).replace(
      '"userGroups":null',
      `"userGroups":${deep}`,
    );
    const nested = await run([write("deep-field.ndjson", `${inside}\n`)], { strict: true });
    expect(nested.problems).toEqual([
      expect.objectContaining({ pointer: "/data/object/userGroups/0", message: "expected integer, found an array [[[…]]]" }),
    ]);
  });

  it("handles a 50 MB string", async () => {
    const big = event();
    big["data"].object.signature = "x".repeat(50 * 1024 * 1024);
    big["data"].object.userId = -1.5;
    const { problems } = await run([write("big-string.json", compact(big))]);
    expect(problems).toEqual([expect.objectContaining({ pointer: "/data/object/userId", found: "-1.5" })]);
  });

  it("treats __proto__ and constructor keys as data", async () => {
    const text = compact(event()).replace(/}$/, ',"__proto__":{"type":"x","polluted":true},"constructor":{"prototype":{"polluted":true}}}');
    const { summary } = await run([write("proto.json", text)]);
    expect(summary.valid).toBe(1);
    const strict = await run([write("proto.ndjson", `${text}\n`)], { strict: true });
    expect(strict.problems.map((p) => p.pointer)).toEqual(["/__proto__", "/constructor"]);
    expect(({} as Record<string, unknown>)["polluted"]).toBeUndefined();
  });

  // Looking "constructor" up in a plain object of validators found Object itself, which
  // "validated" the event; "__proto__" and "hasOwnProperty" crashed with a TypeError.
  it.each(["constructor", "toString", "__proto__", "hasOwnProperty", "valueOf"])(
    "an event of type %j is an unknown type (a warning, its envelope checked), never a known one and never a crash",
    async (type) => {
      const { summary, events } = await run([
        write(`type-${type}.ndjson`, `${compact({ ...event(), type })}\n{"type":${JSON.stringify(type)}}\n`),
      ]);
      expect(summary).toMatchObject({ events: 2, valid: 1, warned: 1, invalid: 1 });
      const unknown = (e: EventReport): string[] =>
        e.problems.filter((p) => p.severity === "warning").map((p) => `${p.pointer} ${p.message.split(":")[0]}`);
      expect(events.map(unknown)).toEqual([[`/type unknown event type "${type}"`], [`/type unknown event type "${type}"`]]);
      // The bare line's envelope is what makes it invalid.
      expect(events[1]!.problems.filter((p) => p.severity === "error").map((p) => p.message)).toEqual([
        'missing properties "api_version", "data", "object", "id", "mode"',
      ]);
    },
  );
});

// `wtbhook drift` on a recording made by a real `listen --record` run: added fields, changed types,
// missing fields and an unknown type, each reported with its pointer and count, in every format,
// and never an email address or a name in what it prints unless --no-redact.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { loadFixture } from "../../src/catalog/catalog.js";
import { postStatus, startListen } from "../helpers/listen-cli.js";
import { runInProcess } from "../helpers/run-in-process.js";

const dir = mkdtempSync(join(tmpdir(), "wtbhook-drift-e2e-"));
const recording = join(dir, "real.ndjson");
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The fixture of `type` with `edit` applied to its data.object (and a fresh id). */
function event(type: string, id: number, edit: (object: Record<string, unknown>) => void = () => {}): string {
  const value = JSON.parse(loadFixture(type).toString("utf8")) as { id: number; data: { object: Record<string, unknown> } };
  value.id = id;
  edit(value.data.object);
  return JSON.stringify(value);
}

/** What must never be printed by a redacted report: the personal values the events carry. */
const PERSONAL = ["maria.keller@example.org", "Maria", "Keller", "johnDoe@gmail.com", "John Doe", "Berlin", "Zoë Ünal", "zu@web.de"];

beforeAll(async () => {
  const listen = startListen(["-p", "0", "--json", "--record", recording]);
  const url = await listen.ready;
  const bodies = [
    // Added fields: a string in 2 of 3 user.created, an object with a name and an address in 1.
    event("user.created", 1, (object) => {
      object["favouriteColour"] = "Maria Keller";
      object["profile"] = { city: "Berlin", contact: "Zoë Ünal, zu@web.de" };
    }),
    event("user.created", 2, (object) => {
      object["favouriteColour"] = "maria.keller@example.org";
      object["userId"] = "181855";
    }),
    // A changed type: userId as a string in 2 events.
    event("user.created", 3, (object) => {
      object["userId"] = "181856";
    }),
    // A missing field: title in 1 of 2 topic.created.
    event("topic.created", 4, (object) => {
      delete object["title"];
    }),
    event("topic.created", 5),
    // A type the catalogue does not know.
    JSON.stringify({
      api_version: "1",
      object: "event",
      id: 6,
      type: "forum.renamed",
      mode: "live",
      data: { object: { forumId: 3, title: "Maria Keller's forum", owner: "maria.keller@example.org" } },
    }),
  ];
  for (const body of bodies) expect(await postStatus(url, body)).toBe(200);
  listen.child.kill("SIGINT");
  expect(await listen.exited).toEqual({ code: 0, signal: null });
  expect(readFileSync(recording, "utf8").trimEnd().split("\n")).toHaveLength(bodies.length);
}, 30_000);

interface Report {
  events: number;
  redacted: boolean;
  types: {
    type: string;
    known: boolean;
    events: number;
    invalid: number;
    warned: number;
    undeclared: { pointer: string; types: Record<string, number>; events: number; example: string }[];
    mismatches: { pointer: string; expected: string; seen: Record<string, number>; events: number; severity: string }[];
    missing: { pointer: string; severity: string; events: number; of: number }[];
    neverSeen: { pointer: string; confidence: string }[];
    confirmed: { pointer: string; confidence: string; events: number }[];
  }[];
}

describe("wtbhook drift", () => {
  it("--format json: each added field, changed type and missing field with its pointer and count", async () => {
    const result = await runInProcess(["drift", recording, "--format", "json"]);
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as Report;
    expect(report).toMatchObject({ events: 6, redacted: true });
    expect(report.types.map((type) => [type.type, type.events, type.known])).toEqual([
      ["user.created", 3, true],
      ["topic.created", 2, true],
      ["forum.renamed", 1, false],
    ]);
    const [user, topic, renamed] = report.types;
    expect(user!.undeclared).toEqual([
      { pointer: "/data/object/favouriteColour", types: { string: 2 }, events: 2, example: '"Xxxxx Xxxxxx"' },
      {
        pointer: "/data/object/profile",
        types: { object: 1 },
        events: 1,
        example: '{"city": "Xxxxxx", "contact": "Xxx Xxxx, xx@example.com"}',
      },
    ]);
    expect(user!.mismatches).toEqual([
      { pointer: "/data/object/userId", expected: "integer", seen: { string: 2 }, events: 2, severity: "error" },
    ]);
    expect(user!.invalid).toBe(2);
    expect(user!.neverSeen.map((field) => field.pointer)).toContain("/data/object/customFields");
    expect(topic!.missing).toEqual([{ pointer: "/data/object/title", severity: "warning", events: 1, of: 2 }]);
    expect(topic!.warned).toBe(1);
    expect(topic!.confirmed).toContainEqual({ pointer: "/data/object/author/userTitle", confidence: "seen-in-code", events: 2 });
    expect(renamed!.undeclared.map((field) => [field.pointer, field.types, field.events])).toEqual([
      ["/data/object/forumId", { integer: 1 }, 1],
      ["/data/object/owner", { string: 1 }, 1],
      ["/data/object/title", { string: 1 }, 1],
    ]);
  });

  it("text: a section per type with the same pointers and counts", async () => {
    const result = await runInProcess(["drift", recording]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^drift: 6 events of 3 types in 1 file \(values redacted; --no-redact shows them\)\n/);
    expect(result.stdout).toMatch(/user\.created {2}3 events {2}\(2 invalid, 0 with warnings\)\n {2}not in the schema\n/);
    expect(result.stdout).toMatch(/\/data\/object\/favouriteColour +string ×2 +2 of 3 \(67%\) +e\.g\. "Xxxxx Xxxxxx"\n/);
    expect(result.stdout).toMatch(/✗ \/data\/object\/userId +expects integer +seen string ×2 +in 2 of 3 \(67%\)\n/);
    expect(result.stdout).toMatch(/⚠ \/data\/object\/title +missing in 1 of 2 \(50%\)\n/);
    expect(result.stdout).toMatch(/forum\.renamed {2}1 event {2}\(not in the catalogue/);
  });

  it("--format markdown: tables ready to paste, no file names", async () => {
    const result = await runInProcess(["drift", recording, "--format", "markdown"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^# wtbhook drift report\n\n6 real events of 3 types/);
    expect(result.stdout).toContain('| `/data/object/favouriteColour` | string ×2 | 2 of 3 (67%) | `"Xxxxx Xxxxxx"` |');
    expect(result.stdout).toContain("| `/data/object/userId` | `integer` | string ×2 | 2 of 3 (67%) | error |");
    expect(result.stdout).toContain("| `/data/object/title` | warning | 1 of 2 (50%) |");
    expect(result.stdout).not.toContain(dir);
  });

  it.each(["text", "json", "markdown"])("--format %s never prints an email address or a name; --no-redact does", async (format) => {
    const result = await runInProcess(["drift", recording, "--format", format]);
    expect(result.code).toBe(0);
    for (const value of PERSONAL) expect(result.stdout).not.toContain(value);
    expect(result.stdout).not.toMatch(/[^\s@]+@(?!example\.com)[^\s@]+\.[a-z]+/);
    const open = await runInProcess(["drift", recording, "--format", format, "--no-redact"]);
    expect(open.stdout).toContain("maria.keller@example.org");
    expect(open.stdout).toContain("Maria Keller");
  });

  it("exit 2 with one line for a file it cannot read, or one that holds no event", async () => {
    const missing = await runInProcess(["drift", join(dir, "nope.ndjson")]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("no such file");
    expect(missing.stderr).not.toMatch(/\n\s+at /);
    const junk = join(dir, "junk.ndjson");
    writeFileSync(junk, "not json\n{also not\n");
    const none = await runInProcess(["drift", junk]);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain(`✖ no event could be read from ${junk} (2 line(s) or document(s) held none)`);
    const empty = join(dir, "empty.ndjson");
    writeFileSync(empty, "");
    const nothing = await runInProcess(["drift", empty]);
    expect(nothing.code).toBe(2);
    expect(nothing.stderr).toContain(`✖ no event could be read from ${empty}\n`);
  });
});

// `wtbhook fixtures import`: a recording's events saved as the user's fixtures, the newest of each
// type (or every shape with --all), redacted unless asked, existing files kept unless --force; and
// what it wrote is what `send --fixtures DIR` then sends.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { afterAll, describe, expect, it } from "vitest";

import { loadFixture } from "../../src/catalog/catalog.js";
import { formatRecordLine } from "../../src/record/record.js";
import { runInProcess } from "../helpers/run-in-process.js";

/** A user.created as the forum sent it, with this id, member name and extra members. */
function user(id: number, name: string, extra = ""): string {
  return loadFixture("user.created")
    .toString("utf8")
    .replace('"id": 1534', `"id": ${id}`)
    .replace('"name": "John Doe"', `"name": "${name}"${extra}`);
}

function line(body: string, time: string): string {
  return formatRecordLine({
    time: new Date(time),
    method: "POST",
    path: "/",
    headers: { "content-type": "application/json" },
    body: Buffer.from(body),
    answer: { status: 200, ms: 1 },
  });
}

/** A folder with a recording: three user.created (two shapes, times out of order), a topic, an unknown type, a hostile type. */
const folders: string[] = [];
afterAll(() => {
  for (const folder of folders) rmSync(folder, { recursive: true, force: true });
});

function recording(): { cwd: string; file: string } {
  const cwd = mkdtempSync(join(tmpdir(), "wtbhook-import-"));
  folders.push(cwd);
  const lines = [
    line(user(11, "Maria Keller"), "2026-12-01T10:00:02.000Z"),
    line(user(12, "Zoë Ünal", ',\n      "city": "Berlin"'), "2026-12-01T10:00:03.000Z"),
    // Recorded last, received first: not the newest.
    line(user(10, "Old Name"), "2026-12-01T10:00:01.000Z"),
    line(loadFixture("topic.created").toString("utf8"), "2026-12-01T10:00:04.000Z"),
    line(
      '{"api_version":"1","object":"event","id":5,"type":"forum.renamed","mode":"live","data":{"object":{"forumId":3}}}',
      "2026-12-01T10:00:05.000Z",
    ),
    line(
      '{"api_version":"1","object":"event","id":6,"type":"../../escape","mode":"live","data":{"object":{}}}',
      "2026-12-01T10:00:06.000Z",
    ),
  ];
  writeFileSync(join(cwd, "real.ndjson"), lines.join(""));
  return { cwd, file: "real.ndjson" };
}

describe("wtbhook fixtures import", () => {
  it("the newest event of each type, redacted, the other bytes kept; hostile types left out", async () => {
    const { cwd, file } = recording();
    const result = await runInProcess(["fixtures", "import", file, "--dir", "mine"], { cwd, program: "src" });
    expect(result.code).toBe(0);
    expect(readdirSync(join(cwd, "mine")).sort()).toEqual(["forum.renamed.json", "topic.created.json", "user.created.json"]);
    const written = readFileSync(join(cwd, "mine/user.created.json"), "utf8");
    // The newest by the recording's time is id 12; its member name and email are placeholders of the same shape.
    expect(written).toBe(
      user(12, "Xxx Xxxx", ',\n      "city": "Xxxxxx"')
        .replace('"Thanks, John."', '"Xxxxxx, Xxxx."')
        .replace('"Power User"', '"Xxxxx Xxxx"')
        .replace('"username": "john"', '"username": "xxxx"')
        .replace('"johnDoe@gmail.com"', '"xxxxxxx@example.com"')
        .replace('"https://test.com/images/avatar.png"', '"https://example.com/xxxxxx/xxxxxx.xxx"'),
    );
    expect(result.stderr).toContain("✓ mine/user.created.json  from real.ndjson:2 (2026-12-01T10:00:03.000Z), 7 strings redacted\n");
    expect(result.stderr).toContain("⚠ mine/forum.renamed.json  from real.ndjson:5");
    expect(result.stderr).toContain('⚠ real.ndjson:6: left out, its type "../../escape" cannot name a file\n');
    expect(result.stderr).toContain("3 fixtures written from 6 events\n");
    expect(existsSync(join(cwd, "escape.json"))).toBe(false);
  });

  it("--all: every distinct shape, newest first; --no-redact keeps the bytes exactly", async () => {
    const { cwd, file } = recording();
    const result = await runInProcess(["fixtures", "import", file, "--dir", "mine", "--all", "--no-redact"], { cwd, program: "src" });
    expect(result.code).toBe(0);
    expect(readdirSync(join(cwd, "mine")).sort()).toEqual([
      "forum.renamed.json",
      "topic.created.json",
      "user.created.json",
      "user.created.shape-2.json",
    ]);
    expect(readFileSync(join(cwd, "mine/user.created.json"), "utf8")).toBe(user(12, "Zoë Ünal", ',\n      "city": "Berlin"'));
    expect(readFileSync(join(cwd, "mine/user.created.shape-2.json"), "utf8")).toBe(user(11, "Maria Keller"));
  });

  it("keeps existing files unless --force", async () => {
    const { cwd, file } = recording();
    await runInProcess(["fixtures", "import", file, "--dir", "mine"], { cwd, program: "src" });
    writeFileSync(join(cwd, "mine/user.created.json"), "mine, edited by hand");
    const again = await runInProcess(["fixtures", "import", file, "--dir", "mine"], { cwd, program: "src" });
    expect(again.code).toBe(0);
    expect(again.stderr).toContain("• mine/user.created.json exists: kept (--force replaces it)\n");
    expect(readFileSync(join(cwd, "mine/user.created.json"), "utf8")).toBe("mine, edited by hand");
    const forced = await runInProcess(["fixtures", "import", file, "--dir", "mine", "--force"], { cwd, program: "src" });
    expect(forced.stderr).toContain("3 fixtures written from 6 events\n");
    expect(readFileSync(join(cwd, "mine/user.created.json"), "utf8")).toContain('"name": "Xxx Xxxx"');
  });

  it("what it wrote is what send --fixtures sends; exit 2 for input without events", async () => {
    const { cwd, file } = recording();
    await runInProcess(["fixtures", "import", file, "--dir", "mine"], { cwd, program: "src" });
    const dry = await runInProcess(["send", "user.created", "--fixtures", "mine", "--dry-run"], { cwd, program: "src" });
    expect(dry.code).toBe(0);
    expect(dry.stderr).toContain("• user.created: mine/user.created.json (your fixture)\n");
    expect(dry.stdout).toContain('"name": "Xxx Xxxx"');
    writeFileSync(join(cwd, "junk.ndjson"), "nothing here\n");
    const junk = await runInProcess(["fixtures", "import", "junk.ndjson", "--dir", "other"], { cwd, program: "src" });
    expect(junk.code).toBe(2);
    expect(junk.stderr).toContain("✖ no event to import from junk.ndjson (junk.ndjson:1: not JSON)\n");
    expect(existsSync(join(cwd, "other"))).toBe(false);
    const notFolder = await runInProcess(["fixtures", "import", file, "--dir", "real.ndjson"], { cwd, program: "src" });
    expect(notFolder.code).toBe(2);
    expect(notFolder.stderr).toBe("✖ --dir: real.ndjson is not a folder\n");
  });
});

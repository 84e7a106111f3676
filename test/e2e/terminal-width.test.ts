// Lines fitted to a real terminal (9.14): tmux at a fixed width runs the built CLI; no line of
// listen, send, validate or check is wider than the terminal, and the status, the id and the
// verdict survive. Piped output stays whole; a resize applies to the next line.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";

import { ROOT } from "../helpers/run-cli.js";
import { runInProcess } from "../helpers/run-in-process.js";
import { startTargetServer, type TargetServer } from "../helpers/target-server.js";
import { columnsOf, runInTerminal, wtbhook, type Terminal } from "../helpers/terminal.js";

/** An app whose answers are long enough to need shortening; user.deleted fails. */
const ANSWER = JSON.stringify({ ok: true, note: "an answer long enough that its preview has to give way on a narrow terminal" });

let target: TargetServer;
const terminals: Terminal[] = [];
const dir = mkdtempSync(join(tmpdir(), "wtbhook-width-"));

beforeAll(async () => {
  target = await startTargetServer((_index, request) =>
    request.body.includes('"user.deleted"')
      ? { kind: "status", status: 500, body: '{"error":"the user still owns 42 topics in the forum database"}' }
      : { kind: "status", status: 200, body: ANSWER },
  );
});
afterAll(async () => {
  await target.close();
  rmSync(dir, { recursive: true, force: true });
});
afterEach(() => {
  for (const terminal of terminals.splice(0)) terminal.close();
});

function open(command: string, columns: number): Terminal {
  const terminal = runInTerminal(command, columns);
  terminals.push(terminal);
  return terminal;
}

/** The lines wider than `columns`, with their widths (none expected). */
function tooWide(lines: string[], columns: number): string[] {
  return lines.filter((line) => columnsOf(line) > columns).map((line) => `${columnsOf(line)}: ${line}`);
}

const EVENT_LINE = /\bid \d+ {2}#\d+/;

describe("on a terminal 60 columns wide", () => {
  it("listen fits every line, keeping the status, the id and the schema verdict", async () => {
    const terminal = open(wtbhook(`listen -p 0 --fail-first 1 --forward-to ${target.url}`), 60);
    const ready = await terminal.waitForScreen((lines) => lines.some((line) => /Listening on http/.test(line)));
    const url = /Listening on (http:\/\/127\.0\.0\.1:\d+\/)/.exec(ready.join("\n"))![1]!;
    // Sent from here (in-process), not through the terminal: only listen's output is on the screen.
    expect((await runInProcess(["send", "--all", "--to", url])).code).toBe(1);
    await runInProcess(["send", "user.created", "--id", "42", "--to", url]);
    await runInProcess(["send", "user.created", "--id", "42", "--to", url]);
    const lines = await terminal.waitForScreen((screen) => screen.filter((line) => EVENT_LINE.test(line)).length === 19);
    expect(tooWide(lines, 60)).toEqual([]);
    const events = lines.filter((line) => EVENT_LINE.test(line));
    for (const line of events) expect(line).toMatch(/ (200|500)\b.*schema ✓$/);
    // The first delivery of each id got 500 from --fail-first, the redelivery the app's 200.
    expect(events.at(-2)).toMatch(/id 42 {2}#1 .*→ app 200.*→ sender 500/);
    expect(events.at(-1)).toMatch(/id 42 {2}#2 ↻ .*→ app 200 .*schema ✓/);
    // The ready lines are wrapped at words, not cut.
    expect(lines.join(" ")).toMatch(/the URL\s+must be public: add --tunnel\./);
  });

  it("send fits every attempt line and the summary, keeping the mark, the id and the status", async () => {
    const terminal = open(wtbhook(`send --all -v --to ${target.url}`), 60);
    await terminal.ended;
    const lines = await terminal.screen();
    expect(tooWide(lines, 60)).toEqual([]);
    const attempts = lines.filter((line) => /^[✔✖] {2}/.test(line));
    expect(attempts).toHaveLength(17);
    for (const line of attempts) expect(line).toMatch(/^(✔ .* id \d+ {2}#1 {2}200\b|✖ .*user\.deleted {2}id \d+ {2}#1 {2}500\b)/);
    expect(lines.some((line) => /16\/17 delivered, 1 failed/.test(line))).toBe(true);
  });

  it("validate wraps its problems at words, keeping each file's verdict", async () => {
    const file = join(dir, "events-from-the-forum.ndjson");
    const bad = '{"api_version":"2024-01-01","id":1,"object":"event","type":"user.created","mode":"live","data":{"object":{"userId":"x"}}}';
    writeFileSync(file, `${bad}\n${bad}\n`);
    // In the file's folder, its 28-character name puts the break right after the padded pointer column.
    const terminal = open(
      `cd ${dir} && ${wtbhook(`validate events-from-the-forum.ndjson ${join(ROOT, "fixtures", "user.created.json")}`)}`,
      60,
    );
    await terminal.ended;
    const lines = await terminal.screen();
    expect(tooWide(lines, 60)).toEqual([]);
    // A break after the padded pointer column leaves no padding at the end of the line.
    expect(lines.filter((line) => line.endsWith(" "))).toEqual([]);
    expect(lines.some((line) => line.startsWith("✗ ") && line.includes("events-from-the-forum.ndjson"))).toBe(true);
    expect(lines.some((line) => line.startsWith("✓ ") && line.includes("user.created.json"))).toBe(true);
    expect(lines.some((line) => /2 events: 0 valid, 2 invalid/.test(line))).toBe(true);
  });

  it("check wraps its reasons, keeping the verdict and the id; the reproduction commands stay whole", async () => {
    const terminal = open(wtbhook(`check --only all-types,unknown-type,duplicate --to ${target.url}`), 60);
    await terminal.ended;
    const lines = await terminal.screen();
    const commands = lines.filter((line) => line.trimStart().startsWith("$ wtbhook"));
    expect(
      tooWide(
        lines.filter((line) => !commands.includes(line)),
        60,
      ),
    ).toEqual([]);
    for (const id of ["all-types", "unknown-type", "duplicate"]) {
      expect(lines.some((line) => new RegExp(`^[✔⚠✖] (pass|warn|fail) {2}${id} `).test(line))).toBe(true);
    }
    expect(lines.some((line) => /3 checks in .*: /.test(line))).toBe(true);
  });

  it("piped output is not shortened", async () => {
    const terminal = open(`${wtbhook(`send user.created --to ${target.url}`)} 2>&1 | cat`, 60);
    await terminal.ended;
    const lines = await terminal.screen();
    const attempt = lines.find((line) => line.startsWith("✔ "));
    expect(attempt).toContain(ANSWER.slice(0, 60));
    expect(columnsOf(attempt!)).toBeGreaterThan(60);
  });
});

describe("a resized terminal", () => {
  it("fits the next line to the new width", async () => {
    const terminal = open(wtbhook(`listen -p 0 --forward-to ${target.url}`), 120);
    const ready = await terminal.waitForScreen((lines) => lines.some((line) => /Listening on http/.test(line)));
    const url = /Listening on (http:\/\/127\.0\.0\.1:\d+\/)/.exec(ready.join("\n"))![1]!;
    await runInProcess(["send", "post.created", "--to", url]);
    const wide = await terminal.waitForScreen((lines) => lines.some((line) => EVENT_LINE.test(line)));
    const first = wide.find((line) => EVENT_LINE.test(line))!;
    expect(columnsOf(first)).toBeGreaterThan(70);
    terminal.resize(70);
    await runInProcess(["send", "post.created", "--to", url]);
    const narrow = await terminal.waitForScreen((lines) => lines.filter((line) => EVENT_LINE.test(line)).length === 2);
    const second = narrow.filter((line) => EVENT_LINE.test(line))[1]!;
    expect(columnsOf(second)).toBeLessThanOrEqual(70);
    expect(second).toMatch(/post\.created {2}id \d+ {2}#1 .*→ app 200.*schema ✓$/);
  });
});

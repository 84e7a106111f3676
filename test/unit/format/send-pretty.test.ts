import { describe, expect, it } from "vitest";

import { formatAttemptJson, formatRequestJson } from "../../../src/format/send-json.js";
import {
  bodyPreview,
  formatAttempt,
  formatProgress,
  formatRequest,
  formatScenarioList,
  formatSummary,
  stepChain,
} from "../../../src/format/send-pretty.js";
import { plainStyle } from "../../../src/format/style.js";
import { terminalLayout } from "../../../src/terminal/fit.js";

/** The layout of a terminal `columns` wide. */
const terminal = (columns: number) => terminalLayout({ isTTY: true, columns, write: () => true });

const base = {
  time: new Date(2026, 0, 2, 3, 4, 5, 6),
  type: "user.created",
  id: 1795841125229000,
  attempt: 1,
  maxAttempts: 1,
  status: 200,
  ok: true,
  ms: 4.25,
  error: undefined,
  fault: undefined,
  location: undefined,
  body: Buffer.from('{"ok":true}'),
  truncated: false,
};

describe("send output", () => {
  it("shows one line per attempt", () => {
    expect(formatAttempt(base, plainStyle)).toMatchInlineSnapshot(
      `"✔  03:04:05.006  user.created  id 1795841125229000  #1  200 OK  4.3ms  {"ok":true}"`,
    );
    expect(
      formatAttempt(
        { ...base, ok: false, status: 302, attempt: 2, maxAttempts: 73, location: "https://x/\u001b[2J", body: Buffer.alloc(0), ms: 12 },
        plainStyle,
      ),
    ).toMatchInlineSnapshot(
      `"✖  03:04:05.006  user.created  id 1795841125229000  #2/73  302 Found  12ms  → https://x/\\e[2J (not followed)"`,
    );
    expect(
      formatAttempt(
        { ...base, ok: false, status: undefined, fault: "refused", error: "connection refused by 127.0.0.1:9", body: Buffer.alloc(0) },
        plainStyle,
      ),
    ).toMatchInlineSnapshot(`"✖  03:04:05.006  user.created  id 1795841125229000  #1  refused  4.3ms  connection refused by 127.0.0.1:9"`);
  });

  it("shows at most 200 bytes of the answer, terminal-safe", () => {
    expect(bodyPreview(Buffer.from("a".repeat(300)), false)).toBe(`${"a".repeat(200)}…`);
    expect(bodyPreview(Buffer.from("line\n\u001b]0;title\u0007"), false)).toBe("line\\n\\e]0;title\\x07");
    expect(bodyPreview(Buffer.from("short"), true)).toBe("short…");
  });

  it("gives each line its own time, type and answer, however the lines before it went", () => {
    const line = (time: Date, type: string, body: string): string =>
      formatAttempt({ ...base, time, type, body: Buffer.from(body) }, plainStyle);
    expect(line(new Date(2026, 0, 2, 3, 4, 5, 6), "user.created", '{"ok":true}')).toMatch(
      /^✔ {2}03:04:05\.006 {2}user\.created .* {2}\{"ok":true\}$/,
    );
    expect(line(new Date(2026, 0, 2, 3, 4, 5, 999), "user.created", '{"ok":true}')).toMatch(
      /^✔ {2}03:04:05\.999 {2}user\.created .* {2}\{"ok":true\}$/,
    );
    expect(line(new Date(2026, 0, 2, 3, 4, 6, 0), "post.created", '{"ok":false}')).toMatch(
      /^✔ {2}03:04:06\.000 {2}post\.created .* {2}\{"ok":false\}$/,
    );
    expect(line(new Date(2025, 11, 31, 23, 59, 59, 1), "user.created", '{"ok":fals}')).toMatch(
      /^✔ {2}23:59:59\.001 {2}user\.created .* {2}\{"ok":fals\}$/,
    );
    expect(line(new Date(2025, 11, 31, 23, 59, 59, 1), "a\u001b[2Jb", "\u001b[2J")).toMatch(
      /^✔ {2}23:59:59\.001 {2}a\\e\[2Jb .* {2}\\e\[2J$/,
    );
  });

  it("prints --json attempts with exactly the documented keys", () => {
    expect(formatAttemptJson({ ...base, error: undefined })).toBe(
      '{"type":"user.created","id":1795841125229000,"attempt":1,"status":200,"ok":true,"ms":4.3,"error":null}\n',
    );
    expect(
      JSON.parse(formatAttemptJson({ ...base, ok: false, status: 301, location: "/x", error: "301 Moved Permanently: …" })),
    ).toMatchObject({
      status: 301,
      location: "/x",
    });
  });

  it("prints the dry-run request", () => {
    const request = {
      method: "POST",
      url: new URL("http://localhost:3000/hook?a=1"),
      headers: { "Content-Type": "application/json" },
      body: Buffer.from('{"id":1}'),
    };
    expect(formatRequest(request, false)).toMatchInlineSnapshot(`
      "POST http://localhost:3000/hook?a=1
      Host: localhost:3000
      Connection: keep-alive
      Content-Type: application/json
      Content-Length: 8

      {"id":1}
      "
    `);
    expect(JSON.parse(formatRequestJson(request))).toMatchObject({
      method: "POST",
      url: "http://localhost:3000/hook?a=1",
      body: '{"id":1}',
    });
  });

  it("sums up a run", () => {
    const summary = {
      deliveries: 10,
      delivered: 8,
      failed: 2,
      notFinished: 0,
      attempts: 12,
      byOutcome: { "200": 8, "503": 1, timeout: 1 },
      latency: { p50: 3.2, p95: 40, p99: 120, max: 200 },
      elapsedMs: 1500,
      perSecond: 6.7,
      interrupted: false,
    };
    expect(formatSummary(summary, plainStyle)).toMatchInlineSnapshot(`
      "✖ 8/10 delivered, 2 failed in 1.5s (6.7/s, 12 attempts)
        status   200: 8  503: 1  timeout: 1
        latency  p50 3.2ms  p95 40ms  p99 120ms  max 200ms
      "
    `);
    expect(formatProgress(5, 20, 1000, 10)).toBe("[###-------] 5/20 25% 5/s");
  });

  it("sums up a run stopped while its only delivery waited to retry: its last outcome, and no rate", () => {
    const summary = {
      deliveries: 1,
      delivered: 0,
      failed: 0,
      notFinished: 1,
      attempts: 1,
      byOutcome: { refused: 1 },
      latency: { p50: 2, p95: 2, p99: 2, max: 2 },
      elapsedMs: 1200,
      perSecond: 0,
      interrupted: true,
    };
    expect(formatSummary(summary, plainStyle)).toMatchInlineSnapshot(`
      "✖ 0/1 delivered, 1 not finished (interrupted) in 1.2s (1 attempt)
        status   refused: 1
        latency  p50 2.0ms  p95 2.0ms  p99 2.0ms  max 2.0ms
      "
    `);
  });

  it.each([
    [["a", "b", "c"], 100, "a → b → c"],
    [["aaaa", "bbbb", "cccc", "dddd", "eeee", "ffff"], 30, "aaaa → bbbb → … → eeee → ffff"],
    [["aaaa", "bbbb", "cccc", "dddd", "eeee", "ffff"], 20, "aaaa → … → ffff"],
    [["aaaa", "bbbb", "cccc", "dddd", "eeee", "ffff"], 5, "aaaa → … → ffff"],
    [["aaaa", "bbbb"], 5, "aaaa → bbbb"],
  ])("shortens a chain of steps to fit: %j in %i", (types, width, chain) => {
    expect(stepChain(types, width)).toBe(chain);
  });

  it.each([
    [200, '✔  03:04:05.006  user.paid_subscription.started  id 1795841125229000  #2/73  200 OK  4.3ms  {"ok":true}'],
    [90, "✔  03:04:05.006  user.paid_subscription.started  id 1795841125229000  #2/73  200 OK  4.3ms"],
    [80, "✔  user.paid_subscription.started  id 1795841125229000  #2/73  200  4.3ms"],
    [70, "✔  user.paid_subscription.started  id 1795841125229000  #2/73  200"],
    [60, "✔  user.paid_subscription.…  id 1795841125229000  #2/73  200"],
  ])("on a terminal %i columns wide, an attempt keeps its mark, id, attempt and status", (columns, line) => {
    const view = { ...base, type: "user.paid_subscription.started", attempt: 2, maxAttempts: 73 };
    expect(formatAttempt(view, plainStyle, terminal(columns))).toBe(line);
  });

  it("on a narrow terminal, a failure's reason gives way before the type", () => {
    const refused = {
      ...base,
      ok: false,
      status: undefined,
      fault: "refused",
      error: "connection refused by 127.0.0.1:9",
      body: Buffer.alloc(0),
    };
    expect(formatAttempt(refused, plainStyle, terminal(64))).toBe("✖  user.created  id 1795841125229000  #1  refused  connection r…");
  });

  it("on a terminal, wraps descriptions at words to the width", () => {
    const text = formatScenarioList(
      [{ name: "s", description: "one two three four five six", steps: [{ type: "a" }] }],
      plainStyle,
      terminal(23),
    );
    expect(text).toBe("s  one two three four\n   five six\n   a\n");
  });

  it("lists scenarios with long chains shortened and outside text escaped", () => {
    const steps = Array.from({ length: 17 }, (_, i) => ({ type: `type.number${i}` }));
    const text = formatScenarioList(
      [
        { name: "long", description: "seventeen steps", steps },
        { name: "x\u001b[2J", description: "bad\u0007", steps: [{ type: "a" }] },
      ],
      plainStyle,
      terminal(50),
    );
    expect(text).toBe("long    seventeen steps\n" + "        type.number0 → … → type.number16\n" + "x\\e[2J  bad\\x07\n" + "        a\n");
  });
});

import { describe, expect, it } from "vitest";

import { formatEventJson, formatReadyJson } from "../../../src/format/listen-json.js";
import { eventTypes, loadFixture } from "../../../src/catalog/catalog.js";
import {
  formatEventPretty,
  formatReady,
  formatStrayPretty,
  formatSummary,
  indentJson,
  PAYLOAD_LIMITS,
} from "../../../src/format/listen-pretty.js";
import { plainStyle, type Style } from "../../../src/format/style.js";
import type { ReceivedEvent } from "../../../src/receiver/types.js";
import { displayWidth, terminalLayout } from "../../../src/terminal/fit.js";
import { validateEvent } from "../../../src/validation/validate-event.js";

const time = new Date(2026, 0, 2, 3, 4, 5);

function event(payload: Record<string, unknown>, extra: Partial<ReceivedEvent> = {}): ReceivedEvent {
  const body = Buffer.from(JSON.stringify(payload, null, 2));
  return {
    seq: 1,
    time,
    method: "POST",
    path: "/",
    headers: { "content-type": "application/json" },
    body,
    outcome: "event",
    payload,
    jsonError: undefined,
    type: payload["type"] as string,
    id: payload["id"] as number,
    knownType: true,
    check: {
      type: payload["type"] as string,
      id: payload["id"] as number,
      knownType: true,
      valid: true,
      severity: undefined,
      problems: [],
      omitted: 0,
      estimated: false,
    },
    delivery: 1,
    answer: { status: 200, ms: 3.21, by: "wtbhook" },
    forward: undefined,
    ...extra,
  };
}

const user = { type: "user.created", id: 1534, data: { object: { username: "john", email: "john@example.com" } } };

/** An event whose forward to the app failed, so wtbhook answered the sender 502 itself. */
function failedForward(url: string, failure: NonNullable<NonNullable<ReceivedEvent["forward"]>["failure"]>, ms: number): ReceivedEvent {
  return event(user, { answer: { status: 502, ms, by: "wtbhook" }, forward: { url, status: undefined, ms, bodyStart: "", failure } });
}

describe("formatEventPretty", () => {
  it.each([
    [user, "user.created  id 1534  #1  john <john@example.com>"],
    [{ type: "topic.created", id: 2, data: { object: { title: "Welcome" } } }, 'topic.created  id 2  #1  "Welcome"'],
    [
      { type: "post.created", id: 3, data: { object: { author: { username: "ann" }, topicId: 12804902 } } },
      "post.created  id 3  #1  by ann in topic 12804902",
    ],
    [
      { type: "post.approved", id: 4, data: { object: { author: { username: "ann" }, topic: { title: "Hi" } } } },
      'post.approved  id 4  #1  by ann in "Hi"',
    ],
    [{ type: "conversation.created", id: 5, data: { object: { subject: "Lunch?" } } }, 'conversation.created  id 5  #1  "Lunch?"'],
    [{ type: "message.created", id: 6, data: { object: { sender: { username: "bob" } } } }, "message.created  id 6  #1  from bob"],
  ])("shows the key facts of %j", (payload, expected) => {
    expect(formatEventPretty(event(payload), plainStyle)).toBe(`03:04:05  ${expected}  → 200 3.2ms  schema ✓\n`);
  });

  it("shows the first schema problem, a redelivery and the fail-first answer", () => {
    const line = formatEventPretty(
      event(user, {
        check: {
          type: "user.created",
          id: 1534,
          knownType: true,
          valid: false,
          severity: "error",
          problems: [
            { pointer: "/data/object/email", severity: "error", message: "expected string, found 42", keyword: "type" },
            { pointer: "/mode", severity: "error", message: "missing", keyword: "required" },
          ],
          omitted: 0,
          estimated: false,
        },
        delivery: 2,
        answer: { status: 500, ms: 12, by: "fail-first" },
      }),
      plainStyle,
    );
    expect(line).toBe(
      "03:04:05  user.created  id 1534  #2 ↻  john <john@example.com>  → 500 (--fail-first) 12ms  schema ✗ /data/object/email: expected string, found 42 (+1 more)\n",
    );
  });

  it("marks an unknown type with a warning but shows it, and a typo of a known type as an error", () => {
    const payload = { api_version: "1", object: "event", type: "user.banned", id: 9, mode: "live", data: { object: {} } };
    const unknown = event(payload, { knownType: false, check: validateEvent(payload) });
    expect(formatEventPretty(unknown, plainStyle)).toBe(
      "03:04:05  user.banned  id 9  #1  → 200 3.2ms  schema ⚠ unknown type (answered as usual)\n",
    );
    const typo = { ...payload, type: "user.craeted" };
    expect(formatEventPretty(event(typo, { knownType: false, check: validateEvent(typo) }), plainStyle)).toBe(
      '03:04:05  user.craeted  id 9  #1  → 200 3.2ms  schema ✗ /type: unknown event type "user.craeted"; did you mean user.created?\n',
    );
  });

  it("marks an event with warnings ⚠ with the first of them, and lists each with its mark under -v", () => {
    const payload = {
      api_version: "1",
      object: "event",
      type: "topic.created",
      id: 3,
      mode: "live",
      data: { object: { topicId: 1, title: 7 } },
    };
    const warned = event(payload, { check: validateEvent(payload) });
    const lines = formatEventPretty(warned, plainStyle, { verbose: true }).split("\n");
    expect(lines[0]).toMatch(/ {2}schema ⚠ \/data\/object: missing properties "categoryId", "author", .*… \(\+1 more\)$/);
    expect(lines.filter((line) => /^ {4}⚠ /.test(line))).toEqual([
      expect.stringMatching(/^ {4}⚠ \/data\/object: missing properties "categoryId", /),
      "    ⚠ /data/object/title: expected string, found 7",
    ]);
  });

  it("shows what the app answered, and a clear line when it is down or slow", () => {
    const forwarded = event(user, {
      answer: { status: 201, ms: 20, by: "app" },
      forward: { url: "http://localhost:3000/w", status: 201, ms: 19.5, bodyStart: '{"ok":\ntrue}' },
    });
    expect(formatEventPretty(forwarded, plainStyle)).toBe(
      '03:04:05  user.created  id 1534  #1  john <john@example.com>  → app 201 20ms {"ok": true}  schema ✓\n',
    );
    const down = failedForward("http://localhost:3000/w", { kind: "unreachable", message: "connect ECONNREFUSED 127.0.0.1:3000" }, 2);
    expect(formatEventPretty(down, plainStyle)).toBe(
      "03:04:05  user.created  id 1534  #1  john <john@example.com>  ✗ app unreachable → 502 2.0ms  schema ✓\n" +
        "    ✗ http://localhost:3000/w: connect ECONNREFUSED 127.0.0.1:3000 (502 to the sender)\n",
    );
    const cut = failedForward("http://localhost:3000/w", { kind: "error", message: "wtbhook was stopped before the app answered" }, 2);
    expect(formatEventPretty(cut, plainStyle)).toContain("✗ forward failed → 502");
  });

  it("names a refused certificate as such, not as an app that is down", () => {
    const tls = failedForward(
      "https://localhost:3443/w",
      { kind: "tls", message: "TLS handshake with localhost:3443 failed: self-signed certificate; --insecure accepts it" },
      2,
    );
    const text = formatEventPretty(tls, plainStyle);
    expect(text).toContain("✗ app's TLS check failed → 502");
    expect(text).not.toContain("unreachable");
    expect(text).toContain("self-signed certificate; --insecure accepts it");
  });

  it("-v shows the app's answer: status line, headers and the first KB of its body, escaped, and what was left out", () => {
    const answer = {
      statusText: "Created\u001b[2J",
      headers: ["X-Request-Id", "r-1", "Set-Cookie", "a=1", "Set-Cookie", "b=2"],
      body: Buffer.from('{"stored":\ntrue}\u001b]0;x\u0007'),
      bodyBytes: 9000,
      truncated: false,
    };
    const forwarded = event(user, {
      answer: { status: 201, ms: 20, by: "app" },
      forward: { url: "http://localhost:3000/w", status: 201, ms: 19.5, bodyStart: '{"stored":', answer },
    });
    const text = formatEventPretty(forwarded, plainStyle, { verbose: true });
    expect(text).toContain(
      [
        "    app answered: 201 Created\\e[2J",
        "    X-Request-Id: r-1",
        "    Set-Cookie: a=1",
        "    Set-Cookie: b=2",
        "",
        '    {"stored":',
        "    true}\\e]0;x\\x07",
        "    … 8,978 more bytes not shown",
      ].join("\n"),
    );
    expect(text).not.toMatch(/[\u001b\u0007]/);
    // Without -v, none of it.
    expect(formatEventPretty(forwarded, plainStyle)).not.toContain("X-Request-Id");
  });

  it("says so when a request could not be recorded (and was answered 500)", () => {
    const text = formatEventPretty(
      event(user, { answer: { status: 500, ms: 1, by: "wtbhook" }, recordError: "ENOSPC: no space left on device, write" }),
      plainStyle,
    );
    expect(text).toContain("✗ not recorded → 500");
    expect(text).toContain("\n    ✗ could not record: ENOSPC: no space left on device, write (500 to the sender)\n");
    const json = JSON.parse(formatEventJson(event(user, { recordError: "ENOSPC" }))) as Record<string, unknown>;
    expect(json["recordError"]).toBe("ENOSPC");
    const summary = formatSummary(
      {
        byType: new Map([["user.created", 1]]),
        events: 1,
        invalid: 0,
        warned: 0,
        failed: 1,
        rejected: 0,
        busy: 0,
        redeliveries: 0,
        unknownTypes: 0,
        strays: 0,
        clientErrors: 0,
        unrecorded: 1,
      },
      plainStyle,
    );
    expect(summary).toContain("1 could not be recorded (answered 500)");
  });

  it("warns about a body that is not JSON with the position", () => {
    const line = formatEventPretty(
      event(
        {},
        {
          outcome: "not-json",
          payload: undefined,
          type: undefined,
          id: undefined,
          check: undefined,
          jsonError: { message: "Unexpected token", offset: 5, line: 1, column: 6 },
          answer: { status: 400, ms: 1, by: "wtbhook" },
        },
      ),
      plainStyle,
    );
    expect(line).toBe("03:04:05  ⚠ not JSON  Unexpected token at line 1, column 6 → 400\n");
  });

  it("never lets a payload or header drive the terminal", () => {
    const evil = { type: "user.created\u001b[2J", id: 1, data: { object: { username: "x\u001b]0;pwned\u0007", email: "a\nb@c\r" } } };
    const out = formatEventPretty(event(evil, { headers: { "x-evil": "\u001b[31mred" } }), plainStyle, { verbose: true });
    expect(out).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f]/);
    expect(out).toContain("x\\e]0;pwned\\x07");
    expect(out).toContain("user.created\\e[2J");
    expect(out).toContain("<a\\nb@c\\r>");
    expect(out).toContain("x-evil: \\e[31mred");
  });

  it("--verbose shows the payload as sent: big ids, 1.10 and duplicate keys are not re-serialised", () => {
    const body = Buffer.from('{"type":"user.created","id":12345678901234567890,"n":1.10,"a":1,"a":2,"e":"\\u001b[2J"}');
    const out = formatEventPretty(event({ type: "user.created", id: 1 }, { body, text: body.toString("utf8") }), plainStyle, {
      verbose: true,
    });
    expect(out).toContain(
      '      "id": 12345678901234567890,\n      "n": 1.10,\n      "a": 1,\n      "a": 2,\n      "e": "\\u001b[2J"\n    }',
    );
  });

  it("indentJson re-indents like JSON.stringify(value, null, 2)", () => {
    for (const type of eventTypes()) {
      const value = JSON.parse(loadFixture(type).toString("utf8")) as unknown;
      expect(indentJson(JSON.stringify(value)).text).toBe(JSON.stringify(value, null, 2));
      expect(indentJson(loadFixture(type).toString("utf8").trim()).text).toBe(JSON.stringify(value, null, 2));
    }
    const odd = { a: [], b: {}, c: [[], [{}], 'x,y:{z}[]"\\'], d: [1, -2.5e3, true, null], 'k"ey': { " ": " \t\n" } };
    expect(indentJson(JSON.stringify(odd)).text).toBe(JSON.stringify(odd, null, 2));
    expect(indentJson('{ "a" : [ ] , "b" : { } }').text).toBe('{\n  "a": [],\n  "b": {}\n}');
  });

  it("adds headers and the pretty payload with --verbose", () => {
    const out = formatEventPretty(event({ type: "user.created", id: 1 }), plainStyle, { verbose: true });
    expect(out).toBe(
      [
        "03:04:05  user.created  id 1  #1  → 200 3.2ms  schema ✓",
        "    POST /",
        "    content-type: application/json",
        "",
        "    {",
        '      "type": "user.created",',
        '      "id": 1',
        "    }",
        "",
        "",
      ].join("\n"),
    );
  });

  it("--verbose is bounded: 17,000 nested arrays or 10,000 nested objects cost neither time nor megabytes, and the cut is said", () => {
    const arrays = `${"[".repeat(17_000)}${"]".repeat(17_000)}`;
    const objects = `${'{"a":'.repeat(10_000)}1${"}".repeat(10_000)}`;
    for (const text of [arrays, objects]) {
      const started = performance.now();
      const out = formatEventPretty(
        event({}, { type: undefined, id: undefined, body: Buffer.from(text), text, payload: undefined, check: undefined }),
        plainStyle,
        { verbose: true },
      );
      expect(performance.now() - started).toBeLessThan(500);
      expect(out.length).toBeLessThan(PAYLOAD_LIMITS.chars + 2_000);
      expect(out).toContain(`(nested deeper than ${PAYLOAD_LIMITS.depth} levels: shown without line breaks)`);
      expect(out).toMatch(/… cut: [\d,]+ more characters not shown \(--record and --json keep the whole body\)/);
      // Indentation stops growing at the depth limit.
      expect(Math.max(...out.split("\n").map((line) => line.length - line.trimStart().length))).toBeLessThanOrEqual(
        4 + 2 * PAYLOAD_LIMITS.depth,
      );
    }
  });

  it("--verbose cuts a long payload, and a long body that is not JSON, saying how much is left out", () => {
    const long = JSON.stringify({ type: "user.created", id: 1, signature: "s".repeat(100_000) });
    const out = formatEventPretty(event({ type: "user.created", id: 1 }, { body: Buffer.from(long), text: long }), plainStyle, {
      verbose: true,
    });
    expect(out.length).toBeLessThan(PAYLOAD_LIMITS.chars + 2_000);
    expect(out).toMatch(/\n {4}… cut: \d{2},\d{3} more characters not shown \(--record and --json keep the whole body\)\n/);
    const notJson = "x".repeat(200_000);
    const rejected = formatEventPretty(
      event(
        {},
        { outcome: "not-json", body: Buffer.from(notJson), text: notJson, check: undefined, answer: { status: 400, ms: 1, by: "wtbhook" } },
      ),
      plainStyle,
      { verbose: true },
    );
    expect(rejected).toContain(`… cut: ${(200_000 - PAYLOAD_LIMITS.chars).toLocaleString("en-US")} more characters not shown`);
  });

  it("lists at most the kept problems with --verbose and says how many more there are", () => {
    const problems = Array.from({ length: 20 }, (_, i) => ({
      pointer: `/data/object/userGroups/${i}`,
      severity: "error" as const,
      message: "expected integer",
      keyword: "type",
    }));
    const out = formatEventPretty(
      event(user, {
        check: {
          type: "user.created",
          id: 1534,
          knownType: true,
          valid: false,
          severity: "error",
          problems,
          omitted: 199_980,
          estimated: true,
        },
      }),
      plainStyle,
      {
        verbose: true,
      },
    );
    expect(out.split("\n")[0]).toContain("schema ✗ /data/object/userGroups/0: expected integer (+about 199,999 more)");
    expect(out.match(/✗ \/data\/object\/userGroups\/\d+: expected integer$/gm)).toHaveLength(20);
    expect(out).toContain("… and about 199,980 more problems");
  });

  it("shows both verdicts of --fail-first with --forward-to: the app's status and what the sender got", () => {
    const line = formatEventPretty(
      event(user, {
        delivery: 2,
        answer: { status: 500, ms: 4, by: "fail-first" },
        forward: { url: "http://localhost:3000/w", status: 200, ms: 3.5, bodyStart: '{"ok":true}' },
      }),
      plainStyle,
    );
    expect(line).toBe(
      '03:04:05  user.created  id 1534  #2 ↻  john <john@example.com>  → app 200 3.5ms {"ok":true} → sender 500 (--fail-first)  schema ✓\n',
    );
  });

  it("says when the sender got no answer (it hung up while the app took its time)", () => {
    const line = formatEventPretty(
      event(user, {
        answer: { status: undefined, ms: 1500, by: "app" },
        forward: { url: "http://localhost:3000/w", status: 200, ms: 1500, bodyStart: "" },
      }),
      plainStyle,
    );
    expect(line).toBe(
      "03:04:05  user.created  id 1534  #1  john <john@example.com>  → app 200 1.5s → sender ✗ no answer (the sender hung up)  schema ✓\n",
    );
    expect(JSON.parse(formatEventJson(event(user, { answer: { status: undefined, ms: 1, by: "app" } })))).toMatchObject({ status: null });
  });

  it("a request refused while busy", () => {
    const line = formatEventPretty(
      event({}, { outcome: "busy", body: Buffer.alloc(0), text: "", check: undefined, answer: { status: 503, ms: 0, by: "wtbhook" } }),
      plainStyle,
    );
    expect(line).toBe("03:04:05  ⚠ busy  too many bodies in flight, not read → 503\n");
    expect(
      JSON.parse(formatEventJson(event({}, { outcome: "busy", body: Buffer.alloc(0), answer: { status: 503, ms: 0, by: "wtbhook" } }))),
    ).toMatchObject({
      kind: "rejected",
      reason: "busy",
      status: 503,
    });
  });

  it("colours the type by family", () => {
    const tagged: Style = { ...plainStyle, enabled: true, cyan: (t) => `<cyan>${t}</cyan>`, magenta: (t) => `<magenta>${t}</magenta>` };
    expect(formatEventPretty(event(user), tagged)).toContain("<cyan>user.created</cyan>");
    expect(formatEventPretty(event({ type: "post.deleted", id: 1 }), tagged)).toContain("<magenta>post.deleted</magenta>");
  });
});

describe("fitted to a terminal (9.14)", () => {
  const terminal = (columns: number) => terminalLayout({ isTTY: true, columns, write: () => true });
  const redelivery = event(
    {
      type: "user.paid_subscription.started",
      id: 1796194700083000,
      data: { object: { username: "maria", email: "maria.keller@example.org" } },
    },
    {
      delivery: 2,
      answer: { status: 500, ms: 44.2, by: "fail-first" },
      forward: {
        url: "http://localhost:3000/w",
        status: 200,
        ms: 43.9,
        bodyStart: '{"ok":true,"received":"user.paid_subscription.started"}',
      },
    },
  );
  const invalid = event(user, {
    check: {
      ...event(user).check!,
      valid: false,
      severity: "error",
      problems: [{ severity: "error", pointer: "/data/object/email", message: 'must match format "email"', keyword: "format" }],
    },
  });

  it("keeps the whole line where it fits", () => {
    const line = formatEventPretty(redelivery, plainStyle, { layout: terminal(200) });
    expect(line).toBe(formatEventPretty(redelivery, plainStyle));
    expect(line).toContain("maria <maria.keller@example.org>");
  });

  it.each([160, 100, 80, 60])(
    "at %i columns: the preview and facts give way first; the id, the statuses and the verdict stay",
    (columns) => {
      const line = formatEventPretty(redelivery, plainStyle, { layout: terminal(columns) }).trimEnd();
      expect(displayWidth(line)).toBeLessThanOrEqual(columns);
      expect(line).toMatch(/id 1796194700083000 {2}#2 ↻ .*→ app 200\b.*→ sender 500\b.*schema ✓$/);
    },
  );

  it("shortens in RANK's order: preview, facts, notes, time, duration, then the type", () => {
    const at = (columns: number): string => formatEventPretty(redelivery, plainStyle, { layout: terminal(columns) }).trimEnd();
    expect(at(200)).toBe(
      '03:04:05  user.paid_subscription.started  id 1796194700083000  #2 ↻  maria <maria.keller@example.org>  → app 200 44ms {"ok":true,"received":"user.paid_subscri… → sender 500 (--fail-first)  schema ✓',
    );
    expect(at(160)).toBe(
      "03:04:05  user.paid_subscription.started  id 1796194700083000  #2 ↻  maria <maria.keller@example.org>  → app 200 44ms → sender 500 (--fail-first)  schema ✓",
    );
    expect(at(120)).toBe("03:04:05  user.paid_subscription.started  id 1796194700083000  #2 ↻  → app 200 44ms → sender 500  schema ✓");
    expect(at(100)).toBe("user.paid_subscription.started  id 1796194700083000  #2 ↻  → app 200 44ms → sender 500  schema ✓");
    expect(at(80)).toBe("user.paid_subscrip…  id 1796194700083000  #2 ↻  → app 200 → sender 500  schema ✓");
    // No room left for any of the type: what stays is what must.
    expect(at(60)).toBe("id 1796194700083000  #2 ↻  → app 200 → sender 500  schema ✓");
  });

  it("cuts the schema problem after the notes and the duration, and keeps the ✗", () => {
    const at = (columns: number): string => formatEventPretty(invalid, plainStyle, { layout: terminal(columns) }).trimEnd();
    expect(at(120)).toBe(
      '03:04:05  user.created  id 1534  #1  john <john@ex…  → 200 3.2ms  schema ✗ /data/object/email: must match format "email"',
    );
    expect(at(80)).toBe("user.created  id 1534  #1  → 200  schema ✗ /data/object/email: must match forma…");
    expect(at(60)).toBe("user.created  id 1534  #1  → 200  schema ✗ /data/object/ema…");
  });

  it("wraps the explanation under a failed forward at words", () => {
    const failed = failedForward(
      "http://localhost:3000/webhooks",
      { kind: "unreachable", message: "connect ECONNREFUSED 127.0.0.1:3000 (nothing listens there)" },
      1,
    );
    expect(formatEventPretty(failed, plainStyle, { layout: terminal(50) })).toBe(
      "id 1534  #1  ✗ app unreachable → 502  schema ✓\n" +
        "    ✗ http://localhost:3000/webhooks: connect\n" +
        "      ECONNREFUSED 127.0.0.1:3000 (nothing listens\n" +
        "      there) (502 to the sender)\n",
    );
  });

  it("fits a stray request's line, the status first to stay", () => {
    const stray = formatStrayPretty({ time, method: "GET", path: `/${"a".repeat(100)}`, status: 404 }, "/", plainStyle, terminal(40));
    expect(stray).toBe(`⚠ 404 GET /${"a".repeat(28)}…\n`);
  });
});

describe("other lines", () => {
  it("stray requests", () => {
    expect(formatStrayPretty({ time, method: "GET", path: "/favicon.ico", status: 404 }, "/hooks", plainStyle)).toBe(
      "03:04:05  ⚠ 404 GET /favicon.ico (not the receiving path /hooks)\n",
    );
  });

  it("ready lines say where to paste the URL", () => {
    const local = formatReady(
      {
        localUrl: "http://127.0.0.1:4010/",
        publicUrl: undefined,
        tunnelName: undefined,
        forwardTo: undefined,
        forwardTimeoutMs: 30_000,
        record: undefined,
        events: undefined,
      },
      plainStyle,
    );
    expect(local).toContain("Ready! Listening on http://127.0.0.1:4010/");
    expect(local).toContain("Integrate → Webhook");
    const tunnel = formatReady(
      {
        localUrl: "http://127.0.0.1:4010/wtb-x",
        publicUrl: "https://a.ngrok-free.dev/wtb-x",
        tunnelName: "ngrok",
        forwardTo: "http://localhost:3000/",
        forwardTimeoutMs: 0,
        record: "e.ndjson",
        events: "user.*",
      },
      plainStyle,
    );
    expect(tunnel.split("\n")[0]).toBe("Ready! Webhook URL: https://a.ngrok-free.dev/wtb-x");
    expect(tunnel).toContain("Forwarding to http://localhost:3000/ (timeout none;");
    expect(tunnel).toContain("Recording to e.ndjson");
    expect(tunnel).not.toContain("Inspector");
  });

  it("ready lines name the inspector's URL, and the port asked for when it was taken", () => {
    const base = {
      localUrl: "http://127.0.0.1:4010/",
      publicUrl: undefined,
      tunnelName: undefined,
      forwardTo: undefined,
      forwardTimeoutMs: 0,
      record: undefined,
      events: undefined,
    };
    const url = "http://127.0.0.1:4011/#token=abc";
    expect(formatReady({ ...base, inspector: { url, takenPort: undefined } }, plainStyle)).toContain(
      `\n  Inspector: ${url}\n  Press Ctrl+C to stop.`,
    );
    expect(formatReady({ ...base, inspector: { url: "http://127.0.0.1:39000/#token=abc", takenPort: 4011 } }, plainStyle)).toContain(
      "  Inspector: http://127.0.0.1:39000/#token=abc (port 4011 was taken)\n",
    );
  });

  it("ready lines on every interface (--host 0.0.0.0) list each address, and --fail-first with --forward-to is said", () => {
    const text = formatReady(
      {
        localUrl: "http://127.0.0.1:4010/",
        localUrls: ["http://127.0.0.1:4010/", "http://192.168.1.5:4010/", "http://10.0.0.7:4010/"],
        host: "0.0.0.0",
        publicUrl: undefined,
        tunnelName: undefined,
        forwardTo: "http://localhost:3000/",
        forwardTimeoutMs: 30_000,
        failFirst: 2,
        record: undefined,
        events: undefined,
      },
      plainStyle,
    );
    expect(text.split("\n").slice(0, 4)).toEqual([
      "Ready! Listening on http://127.0.0.1:4010/",
      "  On all interfaces (--host 0.0.0.0):",
      "    http://192.168.1.5:4010/",
      "    http://10.0.0.7:4010/",
    ]);
    expect(text).toContain("(timeout 30s; the sender gets the app's status, after 500 to the first 2 of each id (--fail-first))");
  });

  it("summary", () => {
    const text = formatSummary(
      {
        byType: new Map([
          ["user.created", 2],
          ["post.created", 5],
        ]),
        events: 7,
        invalid: 1,
        warned: 2,
        failed: 2,
        rejected: 0,
        busy: 0,
        redeliveries: 1,
        unknownTypes: 0,
        strays: 3,
        clientErrors: 0,
        unrecorded: 0,
      },
      plainStyle,
    );
    expect(text).toBe(
      "Stopped. 7 events received.\n  post.created  5\n  user.created  2\n  1 invalid · 2 with warnings · 2 failed (not 2xx) · 1 redeliveries · 3 to other paths or methods\n",
    );
  });

  it("summary: rejected bodies on their own, hostile types escaped, cut and aligned", () => {
    const hostile = `user.\u001b[2J${"x".repeat(100)}`;
    const text = formatSummary(
      {
        byType: new Map([
          ["user.created", 1],
          [hostile, 1],
        ]),
        events: 2,
        invalid: 0,
        warned: 0,
        failed: 0,
        rejected: 2,
        busy: 0,
        redeliveries: 0,
        unknownTypes: 1,
        strays: 0,
        clientErrors: 0,
        unrecorded: 0,
      },
      plainStyle,
    );
    const shown = `user.\\e[2J${"x".repeat(31)}…`;
    expect(text).toBe(
      `Stopped. 2 events received.\n  ${shown}  1\n  ${"user.created".padEnd(shown.length)}  1\n` +
        "  0 invalid · 0 failed (not 2xx) · 0 redeliveries · 1 of unknown type · 2 not JSON or too large (400/413)\n",
    );
  });
});

describe("formatEventJson", () => {
  it("gives the check's severity and each problem's: valid with warnings, or invalid", () => {
    const topic = { api_version: "1", object: "event", type: "topic.created", id: 3, mode: "live", data: { object: { topicId: 1 } } };
    const warned = JSON.parse(formatEventJson(event(topic, { check: validateEvent(topic) }))) as Record<string, any>;
    expect(warned).toMatchObject({ valid: true, severity: "warning", moreErrors: 0 });
    expect(warned["errors"]).toEqual([expect.objectContaining({ severity: "warning", pointer: "/data/object", keyword: "required" })]);
    const broken = { ...topic, data: { object: {} } };
    const invalid = JSON.parse(formatEventJson(event(broken, { check: validateEvent(broken) }))) as Record<string, any>;
    expect(invalid).toMatchObject({ valid: false, severity: "error" });
    expect(invalid["errors"].map((problem: { severity: string }) => problem.severity)).toEqual(["error", "warning"]);
  });

  it("is one line with the documented fields and the body's exact values", () => {
    // The id is beyond 2^64 on purpose: the line must keep its digits, which JSON.parse cannot.
    const body = Buffer.from('{\n  "type": "user.created",\n  "id": 12345678901234567890,\n  "s": "a\\nb"\n}\n');
    const line = formatEventJson(event({ type: "user.created", id: 1 }, { body, id: undefined }));
    expect(line.endsWith("\n")).toBe(true);
    expect(line.trimEnd()).not.toContain("\n");
    const parsed = JSON.parse(line) as Record<string, unknown>;
    expect(parsed).toMatchObject({
      kind: "event",
      type: "user.created",
      id: null,
      valid: true,
      severity: null,
      errors: [],
      status: 200,
      ms: 3.2,
      headers: { "content-type": "application/json" },
    });
    // eslint-disable-next-line no-loss-of-precision -- compared after the same lossy parse
    expect(parsed["body"]).toEqual({ type: "user.created", id: 12345678901234567890, s: "a\nb" });
    expect(line).toContain('"id": 12345678901234567890');
  });

  it("escapes C1 controls, bidi overrides and line separators (valid raw in JSON strings) so the line is terminal-safe", () => {
    const hostile = "\u202eevil\u2028fake\u009b31m\u007f";
    const payload = { type: "user.created", id: 1, data: { object: { username: hostile } } };
    const raw = /[\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;
    const line = formatEventJson(event(payload, { headers: { "x-evil": "a\u009bb" } }));
    expect(line).not.toMatch(raw);
    expect(JSON.parse(line)).toMatchObject({ body: payload, headers: { "x-evil": "a\u009bb" } });
    const rejected = formatEventJson(
      event({}, { outcome: "not-json", body: Buffer.from(hostile), answer: { status: 400, ms: 0, by: "wtbhook" } }),
    );
    expect(rejected).not.toMatch(raw);
    expect(JSON.parse(rejected)).toMatchObject({ body: hostile });
  });

  it("escapes DEL in an otherwise ASCII body, and a hostile header next to a clean body", () => {
    const payload = { type: "user.created", id: 1, data: { object: { username: "a\u007fb" } } };
    const withDel = formatEventJson(event(payload));
    expect(withDel).not.toContain("\u007f");
    expect(withDel).toContain("a\\u007fb");
    expect(JSON.parse(withDel)).toMatchObject({ body: payload });
    const clean = { type: "user.created", id: 1 };
    const evilHeader = formatEventJson(event(clean, { headers: { "x-evil": "\u009b2J" } }));
    expect(evilHeader).not.toContain("\u009b");
    expect(JSON.parse(evilHeader)).toMatchObject({ body: clean, headers: { "x-evil": "\u009b2J" } });
  });

  it("reports rejected bodies", () => {
    const line = formatEventJson(
      event(
        {},
        {
          outcome: "not-json",
          body: Buffer.from("nope"),
          jsonError: { message: "bad", offset: 0, line: 1, column: 1 },
          answer: { status: 400, ms: 0, by: "wtbhook" },
        },
      ),
    );
    expect(JSON.parse(line)).toMatchObject({
      kind: "rejected",
      reason: "not-json",
      status: 400,
      error: { line: 1, column: 1 },
      body: "nope",
    });
  });

  it("ready line", () => {
    expect(JSON.parse(formatReadyJson("https://x/p", "http://127.0.0.1:1/p"))).toEqual({
      kind: "ready",
      url: "https://x/p",
      localUrl: "http://127.0.0.1:1/p",
    });
    expect(JSON.parse(formatReadyJson("https://x/p", "http://127.0.0.1:1/p", "http://127.0.0.1:4011/#token=t"))).toEqual({
      kind: "ready",
      url: "https://x/p",
      localUrl: "http://127.0.0.1:1/p",
      inspector: "http://127.0.0.1:4011/#token=t",
    });
  });
});

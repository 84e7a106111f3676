// `send` against real local servers on port 0: every Website Toolbox delivery rule and every fault.
import { readFileSync } from "node:fs";

import { afterEach, describe, expect, it } from "vitest";

import { planFromTypes } from "../../src/delivery/plan.js";
import { retryPolicy } from "../../src/delivery/retry.js";
import { runDeliveries } from "../../src/delivery/run.js";
import { closedPort, startTargetServer, type Behaviour, type ReceivedRequest, type TargetServer } from "../helpers/target-server.js";
import { sendInProcess, VERSION } from "./send-in-process.js";

const FIXTURE = readFileSync(new URL("../../fixtures/user.created.json", import.meta.url));

const servers: TargetServer[] = [];
async function target(behave?: (index: number, request: ReceivedRequest) => Behaviour): Promise<TargetServer> {
  const server = await startTargetServer(behave);
  servers.push(server);
  return server;
}
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

/** The fixture's bytes with only the id's digits changed. */
function fixtureWithId(id: number | string): Buffer {
  return Buffer.from(FIXTURE.toString("utf8").replace('"id": 1534,', `"id": ${id},`));
}

function bodyId(body: Buffer): number {
  return (JSON.parse(body.toString("utf8")) as { id: number }).id;
}

describe("send: what a delivery looks like", () => {
  it("POSTs the fixture's exact bytes with a fresh id, JSON content type and wtbhook user agent", async () => {
    const server = await target();
    const before = Date.now() * 1000;
    const result = await sendInProcess(["user.created", "--to", `${server.url}/webhooks?x=1`]);
    expect(result.code).toBe(0);
    const [request] = server.requests;
    expect(request?.method).toBe("POST");
    expect(request?.url).toBe("/webhooks?x=1");
    expect(request?.headers["content-type"]).toBe("application/json");
    expect(request?.headers["user-agent"]).toBe(`wtbhook/${VERSION}`);
    const id = bodyId(request!.body);
    expect(id).toBeGreaterThanOrEqual(before);
    expect(request!.body.equals(fixtureWithId(id))).toBe(true);
    expect(result.stderr).toMatch(new RegExp(`✔ .*user\\.created  id ${id}  #1  200 OK .*\\{"ok":true\\}`));
  });

  it("adds -H headers and lets them replace the defaults", async () => {
    const server = await target();
    const result = await sendInProcess(["user.created", "--to", server.url, "-H", "X-Test: 1", "-H", "user-agent: custom/1"]);
    expect(result.code).toBe(0);
    expect(server.requests[0]?.headers["x-test"]).toBe("1");
    expect(server.requests[0]?.headers["user-agent"]).toBe("custom/1");
  });

  it("sends the user:password of --to as Basic auth (they were silently dropped), and -H Authorization wins", async () => {
    const server = await target();
    const withCredentials = server.url.replace("http://", "http://alice:s%40cret@");
    const result = await sendInProcess(["user.created", "--to", `${withCredentials}/hook`]);
    expect(result.code).toBe(0);
    expect(server.requests[0]?.headers["authorization"]).toBe(`Basic ${Buffer.from("alice:s@cret").toString("base64")}`);
    expect(server.requests[0]?.url).toBe("/hook");
    const own = await sendInProcess(["user.created", "--to", withCredentials, "-H", "Authorization: Bearer t"]);
    expect(own.code).toBe(0);
    expect(server.requests[1]?.headers["authorization"]).toBe("Bearer t");
    const dry = await sendInProcess(["user.created", "--to", withCredentials, "--dry-run"]);
    expect(dry.stdout).not.toContain("s%40cret@");
    expect(dry.stdout).toContain("Authorization: Basic ");
  });

  it("takes the target from WTBHOOK_TO", async () => {
    const server = await target();
    const result = await sendInProcess(["user.created"], { env: { WTBHOOK_TO: `${server.url}/hook` } });
    expect(result.code).toBe(0);
    expect(server.requests[0]?.url).toBe("/hook");
  });

  it("names WTBHOOK_TO, not --to, when the URL in the environment is bad (exit 2)", async () => {
    const result = await sendInProcess(["user.created"], { env: { WTBHOOK_TO: "localhost:3000/hook" } });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('WTBHOOK_TO "localhost:3000/hook"');
    expect(result.stderr).not.toContain('--to "');
  });

  it("sends --id N as the envelope id, changing nothing else", async () => {
    const server = await target();
    expect((await sendInProcess(["user.created", "--id", "42", "--to", server.url])).code).toBe(0);
    expect(server.requests[0]!.body.equals(fixtureWithId(42))).toBe(true);
  });

  it("--set id=N fixes the id like --id does", async () => {
    const server = await target();
    expect((await sendInProcess(["user.created", "--set", "id=77", "--repeat", "2", "--to", server.url])).code).toBe(0);
    expect(server.requests.map((request) => request.body.equals(fixtureWithId(77)))).toEqual([true, true]);
  });

  it("applies --set and --unset in place and lists every override", async () => {
    const server = await target();
    const result = await sendInProcess([
      "user.created",
      "--to",
      server.url,
      "--id",
      "7",
      "--set",
      "data.object.username=alice",
      "--set",
      "data.object.postCount=99",
      "--unset",
      "data.object.avatarUrl",
      "--no-validate",
    ]);
    expect(result.code).toBe(0);
    const expected = fixtureWithId(7)
      .toString("utf8")
      .replace('"username": "john"', '"username": "alice"')
      .replace('"postCount": 32', '"postCount": 99')
      .replace('      "avatarUrl": "https://test.com/images/avatar.png",\n', "");
    expect(server.requests[0]!.body.toString("utf8")).toBe(expected);
    expect(result.stderr).toContain('set data.object.username = "alice"');
    expect(result.stderr).toContain("set data.object.postCount = 99");
    expect(result.stderr).toContain("unset data.object.avatarUrl");
  });

  it("sends the user's own --data bytes unchanged", async () => {
    const server = await target();
    const own = `{"api_version":"1","data":{"object":${JSON.stringify(JSON.parse(FIXTURE.toString()).data.object)}},"object":"event","id":5,"type":"user.created","mode":"live"}`;
    const result = await sendInProcess(["--data", "-", "--to", server.url], { stdin: own });
    expect(result.code).toBe(0);
    expect(server.requests[0]!.body.toString("utf8")).toBe(own);
  });

  it("drops a UTF-8 byte order mark from --data and sends the rest of the bytes unchanged", async () => {
    const server = await target();
    const own = FIXTURE.toString("utf8").replaceAll("\n", "\r\n");
    const result = await sendInProcess(["--data", "-", "--to", server.url], { stdin: `\uFEFF${own}` });
    expect(result.stderr).not.toContain("not valid JSON");
    expect(result.code).toBe(0);
    expect(server.requests[0]!.body.toString("utf8")).toBe(own);
  });

  it("--id with a --data event that has no id is exit 2, not silently ignored", async () => {
    const server = await target();
    const result = await sendInProcess(["--data", "-", "--id", "5", "--no-validate", "--to", server.url], {
      stdin: '{"type":"user.created"}',
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--id: stdin has no top-level "id" to replace');
    expect(server.requests).toHaveLength(0);
  });

  it("--data that is not JSON says where, in words, and nothing is sent (exit 1)", async () => {
    const server = await target();
    const broken = await sendInProcess(["--data", "-", "--to", server.url], { stdin: '{"a":1,}' });
    expect(broken.code).toBe(1);
    expect(broken.stderr).toContain("stdin is not valid JSON; nothing was sent");
    expect(broken.stderr).toContain('not valid JSON at line 1, column 8: unexpected character "}"');
    const ndjson = `${FIXTURE.toString("utf8").replaceAll("\n", "")}\n${FIXTURE.toString("utf8").replaceAll("\n", "")}\n`;
    const two = await sendInProcess(["--data", "-", "--to", server.url], { stdin: ndjson });
    expect(two.code).toBe(1);
    expect(two.stderr).toContain("not valid JSON at line 2, column 1");
    expect(two.stderr).toContain("--from replays NDJSON");
    expect(server.requests).toHaveLength(0);
  });

  it("validates before sending: an invalid event is shown and not sent (exit 1); --no-validate sends it", async () => {
    const server = await target();
    const invalid = await sendInProcess(["user.created", "--to", server.url, "--set", 'data.object.userId="abc"']);
    expect(invalid.code).toBe(1);
    expect(invalid.stderr).toContain("/data/object/userId");
    expect(invalid.stderr).toContain("nothing was sent");
    expect(server.requests).toHaveLength(0);
    const forced = await sendInProcess(["user.created", "--to", server.url, "--set", 'data.object.userId="abc"', "--no-validate"]);
    expect(forced.code).toBe(0);
    expect(server.requests).toHaveLength(1);
  });

  it("--dry-run prints the exact request and sends nothing", async () => {
    const server = await target();
    const result = await sendInProcess(["user.created", "--id", "9", "--dry-run", "--to", `${server.url}/w`]);
    expect(result.code).toBe(0);
    expect(server.requests).toHaveLength(0);
    expect(result.stdout).toContain(`POST ${server.url}/w\nHost: 127.0.0.1:${server.port}\n`);
    expect(result.stdout).toContain(
      `Content-Type: application/json\nUser-Agent: wtbhook/${VERSION}\nContent-Length: ${fixtureWithId(9).length}\n\n`,
    );
    expect(result.stdout).toContain(fixtureWithId(9).toString("utf8"));
  });
});

describe("send: only a 2xx counts", () => {
  it.each([200, 201, 202, 204])("%i is delivered (exit 0)", async (status) => {
    const server = await target(() => ({ kind: "status", status }));
    const result = await sendInProcess(["user.created", "--to", server.url]);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain(` ${status} `);
  });

  it.each([301, 302, 307, 308] as const)("%i is a failure; Location shown, never followed", async (status) => {
    const elsewhere = await target();
    const server = await target(() => ({ kind: "redirect", status, location: `${elsewhere.url}/moved` }));
    const result = await sendInProcess(["user.created", "--to", server.url]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`${status} `);
    expect(result.stderr).toContain(`→ ${elsewhere.url}/moved (not followed)`);
    expect(server.requests).toHaveLength(1);
    expect(elsewhere.requests).toHaveLength(0);
  });

  it("304 is a failure", async () => {
    const server = await target(() => ({ kind: "not-modified" }));
    const result = await sendInProcess(["user.created", "--to", server.url, "--json"]);
    expect(result.code).toBe(1);
    const line = JSON.parse(result.stdout) as { status: number; ok: boolean; error: string };
    expect(line).toMatchObject({ status: 304, ok: false });
    expect(line.error).toContain("304 Not Modified");
  });

  it.each([400, 404, 410, 500, 503])("%i is a failure (exit 1) with the answer's body shown", async (status) => {
    const server = await target(() => ({ kind: "status", status, body: '{"error":"nope\\u001b[2J"}' }));
    const result = await sendInProcess(["user.created", "--to", server.url]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(new RegExp(`✖ .* ${status} `));
    expect(result.stderr).toContain('{"error":"nope\\u001b[2J"}');
  });
});

describe("send: faults are one clear line, exit 1", () => {
  it("a hanging target times out (--timeout)", async () => {
    const server = await target(() => ({ kind: "hang" }));
    const result = await sendInProcess(["user.created", "--to", server.url, "--timeout", "200ms"]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`timed out after 200ms waiting for a response from 127.0.0.1:${server.port}`);
  });

  it("the timeout covers the body too", async () => {
    const server = await target(() => ({ kind: "slow-body", chunkDelayMs: 100, chunks: 50 }));
    const result = await sendInProcess(["user.created", "--to", server.url, "--timeout", "300ms"]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("timed out after 300ms while reading the response body");
  });

  it("a slow answer within the timeout is delivered", async () => {
    const server = await target(() => ({ kind: "slow", delayMs: 150 }));
    const result = await sendInProcess(["user.created", "--to", server.url, "--timeout", "5s", "--json"]);
    expect(result.code).toBe(0);
    expect((JSON.parse(result.stdout) as { ms: number }).ms).toBeGreaterThanOrEqual(140);
  });

  it("a reset", async () => {
    const server = await target(() => ({ kind: "reset" }));
    const result = await sendInProcess(["user.created", "--to", server.url]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`connection reset by 127.0.0.1:${server.port} before it answered`);
  });

  it("a refused connection", async () => {
    const port = await closedPort();
    const result = await sendInProcess(["user.created", "--to", `http://127.0.0.1:${port}/`]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`connection refused by 127.0.0.1:${port}`);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it("a close mid-response", async () => {
    const server = await target(() => ({ kind: "close-mid-response" }));
    const result = await sendInProcess(["user.created", "--to", server.url]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/connection closed mid-response after \d+ bytes of the body/);
  });

  it("a 1 GB answer is read only up to a bounded prefix, then the connection is dropped", async () => {
    const server = await target(() => ({ kind: "huge", bytes: 1024 ** 3 }));
    const result = await sendInProcess(["user.created", "--to", server.url]);
    await server.hugeClosed;
    expect(result.code).toBe(0);
    expect(result.stderr).toContain("answer over 64 KiB");
    // Socket buffers hold some more, but nowhere near the gigabyte.
    expect(server.hugeBytesWritten()).toBeLessThan(32 * 1024 * 1024);
  });

  it("an unresolvable host is a DNS failure", async () => {
    const result = await sendInProcess(["user.created", "--to", "http://wtbhook-test.invalid/", "--timeout", "5s"]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/cannot resolve wtbhook-test\.invalid \(DNS E[A-Z_]+\)/);
  });
});

describe("send: retries on a compressed clock", () => {
  it("fails twice, succeeds the third time: 3 attempts with the same id and bytes, exit 0", async () => {
    const server = await target((index) => (index < 2 ? { kind: "status", status: 500 } : { kind: "status", status: 200 }));
    const result = await sendInProcess(["user.created", "--to", server.url, "--retry", "--retry-interval", "50ms", "--json"]);
    expect(result.code).toBe(0);
    expect(server.requests).toHaveLength(3);
    expect(server.requests[1]!.body.equals(server.requests[0]!.body)).toBe(true);
    expect(server.requests[2]!.body.equals(server.requests[0]!.body)).toBe(true);
    const lines = result.stdout
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as { attempt: number; id: number; ok: boolean });
    expect(lines.map((line) => [line.attempt, line.ok])).toEqual([
      [1, false],
      [2, false],
      [3, true],
    ]);
    expect(new Set(lines.map((line) => line.id)).size).toBe(1);
    expect(result.stderr).toContain("retry in 50ms (attempt 2 of 73)");
  });

  it("always failing with --max-attempts 3: 3 attempts, exit 1", async () => {
    const server = await target(() => ({ kind: "status", status: 503 }));
    const result = await sendInProcess(["user.created", "--to", server.url, "--retry", "--retry-interval", "20ms", "--max-attempts", "3"]);
    expect(result.code).toBe(1);
    expect(server.requests).toHaveLength(3);
    expect(result.stderr).toContain("#3/3");
    expect(result.stderr).toContain("0/1 delivered, 1 failed");
  });

  it("Ctrl+C during the hour-long wait stops at once", async () => {
    const server = await target(() => ({ kind: "status", status: 500 }));
    const controller = new AbortController();
    const waits: number[] = [];
    const started = performance.now();
    const summary = await runDeliveries({
      target: new URL(server.url),
      headers: { "content-type": "application/json" },
      items: planFromTypes(["user.created"], false, []),
      retry: retryPolicy({ retry: true }),
      signal: controller.signal,
      onRetryWait: (_report, waitMs) => {
        waits.push(waitMs);
        // Abort once the wait has begun, as a Ctrl+C would.
        setImmediate(() => controller.abort());
      },
    });
    expect(waits).toEqual([3_600_000]);
    expect(performance.now() - started).toBeLessThan(5000);
    expect(server.requests).toHaveLength(1);
    expect(summary).toMatchObject({ deliveries: 1, delivered: 0, notFinished: 1, interrupted: true });
    // The attempt that was made is counted with its outcome, not lost as "-".
    expect(summary.byOutcome).toEqual({ "500": 1 });
  });

  it("Ctrl+C while a refused delivery waits to retry: the summary counts it as refused, not finished, with no rate", async () => {
    const port = await closedPort();
    const controller = new AbortController();
    const result = await sendInProcess(["user.created", "--retry", "--to", `http://127.0.0.1:${port}/`], {
      signal: controller.signal,
      onStderr: (text) => {
        if (text.includes("retry in 1h")) controller.abort();
      },
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/0\/1 delivered, 1 not finished \(interrupted\) in [\d.]+m?s \(1 attempt\)/);
    expect(result.stderr).toMatch(/status\s+refused: 1\n/);
    expect(result.stderr).not.toContain("0.0/s");
  });

  it("a failed delivery's retry does not hold back the events after it (lifecycle, user.created failing once)", async () => {
    let failedOnce = false;
    const server = await target((_index, request) => {
      const type = (JSON.parse(request.body.toString("utf8")) as { type: string }).type;
      if (type === "user.created" && !failedOnce) {
        failedOnce = true;
        return { kind: "status", status: 503 };
      }
      return { kind: "status", status: 200 };
    });
    const started = performance.now();
    const result = await sendInProcess(["--scenario", "lifecycle", "--retry", "--retry-interval", "2s", "--to", server.url, "--json"]);
    const ms = performance.now() - started;
    expect(result.code).toBe(0);
    const types = server.requests.map((request) => (JSON.parse(request.body.toString("utf8")) as { type: string }).type);
    const { loadScenario } = await import("../../src/delivery/scenarios.js");
    const steps = loadScenario("lifecycle").steps.map((step) => step.type);
    // Every first attempt in the scenario's order, then user.created's second attempt once due.
    expect(types).toEqual([...steps, "user.created"]);
    expect(result.stderr).toContain("17/17 delivered");
    // About one retry interval, not one per event.
    expect(ms).toBeLessThan(10_000);
  });
});

describe("send: load mode", () => {
  it("--repeat 60 --concurrency 8 sends 60 deliveries with 60 unique ids and a summary", async () => {
    const server = await target();
    const result = await sendInProcess(["user.created", "--to", server.url, "--repeat", "60", "--concurrency", "8", "--json"]);
    expect(result.code).toBe(0);
    expect(server.requests).toHaveLength(60);
    const ids = server.requests.map((request) => bodyId(request.body));
    expect(new Set(ids).size).toBe(60);
    for (const request of server.requests) expect(request.body.equals(fixtureWithId(bodyId(request.body)))).toBe(true);
    const lines = result.stdout.trim().split("\n");
    expect(lines).toHaveLength(60);
    for (const line of lines) {
      expect(Object.keys(JSON.parse(line) as object)).toEqual(["type", "id", "attempt", "status", "ok", "ms", "error"]);
    }
    expect(result.stderr).toContain("60/60 delivered");
    expect(result.stderr).toMatch(/status\s+200: 60/);
    expect(result.stderr).toMatch(/latency\s+p50 [\d.]+m?s\s+p95 [\d.]+m?s\s+p99 [\d.]+m?s/);
  });

  it("--same-id gives every delivery one id", async () => {
    const server = await target();
    const result = await sendInProcess(["user.created", "--to", server.url, "--repeat", "5", "--same-id"]);
    expect(result.code).toBe(0);
    expect(new Set(server.requests.map((request) => bodyId(request.body))).size).toBe(1);
    expect(server.requests).toHaveLength(5);
  });

  it("--same-id keeps one id per event, never one id for different events", async () => {
    const server = await target();
    const result = await sendInProcess(["user.created", "topic.created", "--to", server.url, "--repeat", "3", "--same-id"]);
    expect(result.code).toBe(0);
    const idsByType = new Map<string, Set<number>>();
    for (const request of server.requests) {
      const event = JSON.parse(request.body.toString("utf8")) as { type: string; id: number };
      idsByType.set(event.type, (idsByType.get(event.type) ?? new Set()).add(event.id));
    }
    expect([...idsByType.keys()].sort()).toEqual(["topic.created", "user.created"]);
    expect(idsByType.get("user.created")!.size).toBe(1);
    expect(idsByType.get("topic.created")!.size).toBe(1);
    expect([...idsByType.get("user.created")!][0]).not.toBe([...idsByType.get("topic.created")!][0]);
  });

  it("ids keep increasing from one run to the next", async () => {
    const server = await target();
    await sendInProcess(["user.created", "--to", server.url, "--repeat", "20"]);
    await sendInProcess(["user.created", "--to", server.url]);
    const ids = server.requests.map((request) => bodyId(request.body));
    expect(ids[20]).toBeGreaterThan(Math.max(...ids.slice(0, 20)));
  });

  it("on a terminal, more deliveries than rows: failures and the bar only; -v lists every one", async () => {
    const server = await target((index) => ({ kind: "status", status: index === 7 ? 500 : 200 }));
    const tty = { rows: 20, columns: 120 };
    const quiet = await sendInProcess(["user.created", "--to", server.url, "--repeat", "40"], { tty });
    expect(quiet.stderr).toContain("Showing failures only: 40 deliveries are more than a screenful (-v shows every one).");
    expect(quiet.stderr.match(/✔ +\d\d:/g)).toBeNull();
    expect(quiet.stderr.match(/✖ +\d\d:.* 500 /g)).toHaveLength(1);
    expect(quiet.stderr).toContain("39/40 delivered, 1 failed");
    const all = await sendInProcess(["user.created", "--to", server.url, "--repeat", "40", "-v"], { tty });
    expect(all.stderr.match(/✔ +\d\d:/g)).toHaveLength(40);
  });

  it("counts mixed outcomes by status", async () => {
    const server = await target((index) => ({ kind: "status", status: index % 2 === 0 ? 200 : 500 }));
    const result = await sendInProcess(["user.created", "--to", server.url, "--repeat", "6"]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/status\s+200: 3\s+500: 3/);
  });
});

describe("send: several events", () => {
  it("--all sends every type in catalogue order", async () => {
    const server = await target();
    const { eventTypes } = await import("../../src/catalog/catalog.js");
    const result = await sendInProcess(["--all", "--to", server.url]);
    expect(result.code).toBe(0);
    expect(server.requests.map((request) => (JSON.parse(request.body.toString()) as { type: string }).type)).toEqual([...eventTypes()]);
  });

  it("--scenario forum sends its steps in order with ids that refer to each other", async () => {
    const server = await target();
    const result = await sendInProcess(["--scenario", "forum", "--to", server.url]);
    expect(result.code).toBe(0);
    const events = server.requests.map(
      (request) => JSON.parse(request.body.toString()) as { type: string; id: number; data: { object: Record<string, unknown> } },
    );
    expect(events.map((event) => event.type)).toEqual([
      "topic.created",
      "post.created",
      "post.approved",
      "post.updated",
      "post.deleted",
      "topic.deleted",
    ]);
    const topicId = events[0]!.data.object["topicId"];
    const postId = events[1]!.data.object["postId"];
    for (const event of events.slice(1)) expect(event.data.object["topicId"]).toBe(topicId);
    for (const event of events.slice(2, 5)) expect(event.data.object["postId"]).toBe(postId);
    const ids = events.map((event) => event.id);
    expect([...ids].sort((a, b) => a - b)).toEqual(ids);
  });

  it("--dry-run shows what a run sends: a fresh id per event, references resolved alike", async () => {
    const all = await sendInProcess(["--all", "--dry-run", "--json", "--to", "http://127.0.0.1:9/"]);
    expect(all.code).toBe(0);
    const allIds = all.stdout
      .trim()
      .split("\n")
      .map((line) => bodyId(Buffer.from((JSON.parse(line) as { body: string }).body)));
    expect(allIds).toHaveLength(17);
    expect(new Set(allIds).size).toBe(17);

    const server = await target();
    const dry = await sendInProcess(["--scenario", "signup", "--dry-run", "--json", "--to", server.url]);
    const real = await sendInProcess(["--scenario", "signup", "--to", server.url]);
    expect(real.code).toBe(0);
    const withoutId = (text: string): string => text.replace(/"id": \d+,/, '"id": 0,');
    const dryBodies = dry.stdout
      .trim()
      .split("\n")
      .map((line) => (JSON.parse(line) as { body: string }).body);
    expect(new Set(dryBodies.map((body) => bodyId(Buffer.from(body)))).size).toBe(3);
    expect(dryBodies.map(withoutId)).toEqual(server.requests.map((request) => withoutId(request.body.toString("utf8"))));
  });

  it("--help's replay example reads the file listen --record writes in the examples", async () => {
    const help = await sendInProcess(["--help"]);
    expect(help.stdout).toContain("wtbhook send --from events.ndjson");
    expect(help.stdout).toContain("(listen --record events.ndjson)");
    expect(help.stdout).not.toContain("history.jsonl");
  });

  it("--scenario list names them all", async () => {
    const result = await sendInProcess(["--scenario", "list"]);
    expect(result.code).toBe(0);
    for (const name of ["signup", "forum", "messages", "paid", "lifecycle"]) expect(result.stdout).toMatch(new RegExp(`^${name}\\s`, "m"));
    // The 17 steps of lifecycle on one line, as the README shows them.
    expect(result.stdout).toContain("           user.created → user.email.verified → … → user.paid_subscription.ended → user.deleted\n");
    for (const line of result.stdout.split("\n").filter((text) => text.startsWith(" "))) expect(line.length).toBeLessThanOrEqual(120);
  });
});

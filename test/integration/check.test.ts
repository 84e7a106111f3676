// `check` against real consumers on 127.0.0.1, each written to fail the checks one way: each fails
// exactly the checks it should, and the good one passes them all.
import { fileURLToPath } from "node:url";

import { afterEach, describe, expect, it } from "vitest";

import { CHECKS } from "../../src/check/checks.js";
import { startConsumer, startScript, type ConsumerProcess, type Flaw } from "../helpers/consumer-process.js";
import { checkJson, statuses } from "./check-in-process.js";

const consumers: ConsumerProcess[] = [];
async function consumer(flaw: Flaw): Promise<ConsumerProcess> {
  const started = await startConsumer(flaw);
  consumers.push(started);
  return started;
}
afterEach(async () => {
  await Promise.all(consumers.splice(0).map((one) => one.close()));
});

/** Every check passing, but for the ones named. */
function allPassBut(changes: Record<string, "warn" | "fail">): Record<string, string> {
  return Object.fromEntries(CHECKS.map((check) => [check.id, changes[check.id] ?? "pass"]));
}

describe("check against consumers with one flaw each", () => {
  it("a good consumer passes every check, exit 0, in a few seconds", async () => {
    const good = await consumer("none");
    const { code, report } = await checkJson(["--to", good.url]);
    expect(statuses(report)).toEqual(allPassBut({}));
    expect(code).toBe(0);
    expect(report.summary).toMatchObject({ checks: 16, passed: 16, warnings: 0, failed: 0, interrupted: false });
    // response-time shows (and lists) the slowest answer it judged, which is never a burst's.
    const responseTime = report.checks.find((check) => check.id === "response-time")!;
    expect(responseTime.deliveries).toHaveLength(1);
    expect(responseTime.deliveries[0]!.check).not.toBe("burst");
    expect(responseTime.slowestMs).toBe(responseTime.deliveries[0]!.ms);
    // The whole suite against a quick consumer: seconds, not minutes (about 0.3 s on a quiet machine).
    expect(report.summary.elapsedMs).toBeLessThan(5_000);
  });

  it("a redirecting consumer fails no-redirect (naming Location) and every check that needs a 2xx", async () => {
    const redirecting = await consumer("redirect");
    const { code, report } = await checkJson(["--to", redirecting.url]);
    const sending = CHECKS.filter((check) => check.stage !== "judge").map((check) => check.id);
    const expected = Object.fromEntries(sending.map((id) => [id, "fail"]));
    expect(statuses(report)).toEqual({
      ...expected,
      "null-fields": "warn",
      "out-of-order": "warn",
      // Anything but a 5xx or no answer: a redirect is no-redirect's business.
      "no-data": "pass",
      "no-redirect": "fail",
      "response-time": "pass",
    });
    expect(code).toBe(1);
    const noRedirect = report.checks.find((check) => check.id === "no-redirect")!;
    expect(noRedirect.reason).toContain("308 to /webhooks/");
    expect(noRedirect.reason).toContain("does not follow redirects");
    expect(noRedirect.deliveries.length).toBe(report.summary.deliveries);
  });

  it("a consumer that 500s on unknown types fails unknown-type only", async () => {
    const strict = await consumer("unknown-type");
    const { code, report } = await checkJson(["--to", strict.url]);
    expect(statuses(report)).toEqual(allPassBut({ "unknown-type": "fail" }));
    expect(code).toBe(1);
    const check = report.checks.find((one) => one.id === "unknown-type")!;
    expect(check.reason).toContain("answered 500 Internal Server Error (unhandled event type topic.moved)");
    expect(check.reproduce).toEqual([`wtbhook send topic.created --set type=topic.moved --no-validate --to ${strict.url}`]);
  });

  it("a consumer that reads a missing optional field fails minimal-payload and warns on null-fields", async () => {
    const careless = await consumer("optional-field");
    const { code, report } = await checkJson(["--to", careless.url]);
    expect(statuses(report)).toEqual(allPassBut({ "minimal-payload": "fail", "null-fields": "warn" }));
    expect(code).toBe(1);
    const minimal = report.checks.find((one) => one.id === "minimal-payload")!;
    expect(minimal.reason).toMatch(
      /^4 of 17 event types with only their required fields did not get a 2xx: post\.created, post\.approved and 2 more answered 500/,
    );
    // postId is the post's identity key, an error when missing: minimal-payload keeps it.
    expect(minimal.reproduce[0]).toMatch(/^wtbhook send post\.created --unset data\.object\.message .*--unset data\.object\.author /);
    expect(minimal.reproduce[0]).not.toContain("postId");
  });

  it("a consumer that fails under concurrency fails burst and concurrent-duplicate only", async () => {
    const racy = await consumer("concurrency");
    const { report } = await checkJson(["--to", racy.url]);
    expect(statuses(report)).toEqual(allPassBut({ burst: "fail", "concurrent-duplicate": "fail" }));
    const burst = report.checks.find((one) => one.id === "burst")!;
    expect(burst.deliveries).toHaveLength(20);
    expect(burst.reason).toContain("503 Service Unavailable (connection pool exhausted)");
    expect(burst.reproduce).toEqual([`wtbhook send post.created --repeat 20 --concurrency 20 --to ${racy.url}`]);
  });

  it("a consumer that 500s on a duplicate id fails duplicate, concurrent-duplicate and retry-after-failure", async () => {
    const once = await consumer("duplicate");
    const { report } = await checkJson(["--to", once.url]);
    expect(statuses(report)).toEqual(allPassBut({ duplicate: "fail", "concurrent-duplicate": "fail", "retry-after-failure": "fail" }));
    const duplicate = report.checks.find((one) => one.id === "duplicate")!;
    const [first, second] = duplicate.deliveries;
    expect(first!.id).toBe(second!.id);
    expect([first!.ok, second!.ok]).toEqual([true, false]);
    expect(duplicate.reproduce).toEqual([`wtbhook send user.created --same-id --repeat 2 --to ${once.url}`]);
  });

  it("a slow consumer gets a warning from response-time only, exit 0", async () => {
    const slow = await consumer("slow");
    const { code, report } = await checkJson(["--to", slow.url, "--slow", "150ms"]);
    expect(statuses(report)).toEqual(allPassBut({ "response-time": "warn" }));
    expect(code).toBe(0);
    const check = report.checks.find((one) => one.id === "response-time")!;
    // The slowest is whichever user event the machine made slowest, labelled as its check names it
    // ("user.created without data", "user.created (same id, at the same time)").
    expect(check.reason).toMatch(
      /answers took longer than --slow 150ms \(the slowest: user\.[a-z_.]+(?: [a-z ]+| \([a-z ,]+\))? of [a-z-]+, \d+ms\)/,
    );
    expect(check.reason).toContain("Website Toolbox's own time limit is not documented");
    // Every answer to a user event took over 300 ms, and each is named.
    const userDeliveries = report.checks
      .flatMap((one) => one.deliveries)
      .filter((delivery) => delivery.check !== "response-time" && delivery.check !== "burst" && delivery.type?.startsWith("user."));
    expect(userDeliveries.length).toBeGreaterThan(20);
    for (const delivery of userDeliveries) expect(check.deliveries).toContainEqual(delivery);
  });

  it("a slow consumer past --timeout fails response-time and the check that waited; the rest of that check is not sent", async () => {
    const slow = await consumer("slow");
    const { code, report } = await checkJson([
      "--to",
      slow.url,
      "--timeout",
      "100ms",
      "--slow",
      "50ms",
      "--only",
      "all-types,response-time",
    ]);
    expect(statuses(report)).toEqual({ "all-types": "fail", "response-time": "fail" });
    expect(code).toBe(1);
    const allTypes = report.checks.find((one) => one.id === "all-types")!;
    // user.created, the first type, timed out: the other 16 types were not sent.
    expect(allTypes.deliveries.filter((delivery) => delivery.sent)).toHaveLength(1);
    expect(allTypes.reason).toMatch(
      /^17 of 17 event types did not get a 2xx: user\.created not answered: timed out after 100ms .*; user\.approved, user\.updated and 14 more not sent/,
    );
    const responseTime = report.checks.find((one) => one.id === "response-time")!;
    expect(responseTime.reason).toContain("got no answer within --timeout 100ms (user.created of all-types)");
    expect(responseTime.reproduce).toEqual([`wtbhook send user.created --timeout 100ms --to ${slow.url}`]);
  });

  it("a consumer that crashes mid-run (after answering no-data's event) fails still-alive, which names what it answered last", async () => {
    const fragile = await consumer("crash");
    const { code, report } = await checkJson(["--to", fragile.url]);
    expect(statuses(report)).toEqual(allPassBut({ "still-alive": "fail" }));
    expect(code).toBe(1);
    expect(await fragile.exited).not.toBe(0);
    expect(fragile.stderr()).toContain("TypeError");
    const check = report.checks.find((one) => one.id === "still-alive")!;
    expect(check.reason).toMatch(/got no answer \(connection (refused|reset) by 127\.0\.0\.1:\d+/);
    expect(check.reason).toContain(
      "the consumer stopped during the run, probably a crash; the last delivery it answered was no-data's user.created without data",
    );
  });

  it("examples/node-http, the consumer people copy, passes every check", async () => {
    const example = await startScript(fileURLToPath(new URL("../../examples/node-http/server.js", import.meta.url)));
    consumers.push(example);
    expect(example.url).toMatch(/^http:\/\/localhost:\d+\/webhooks$/);
    const { code, report } = await checkJson(["--to", example.url]);
    expect(statuses(report)).toEqual(allPassBut({}));
    expect(code).toBe(0);
  });
});

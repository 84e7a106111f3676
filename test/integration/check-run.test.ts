// How `check` runs: what goes on the wire (send's bytes, fresh ids, the schema flags its commands
// carry), how many deliveries are in flight, TLS, and Ctrl+C.
import { afterEach, describe, expect, it } from "vitest";

import { SIDE_BY_SIDE } from "../../src/check/runner.js";
import { createTemplate } from "../../src/delivery/event-body.js";
import { validateEvent } from "../../src/index.js";
import { startTargetServer, type Behaviour, type ReceivedRequest, type TargetServer } from "../helpers/target-server.js";
import { checkInProcess, checkJson, statuses } from "./check-in-process.js";
import { VERSION } from "./send-in-process.js";

const servers: TargetServer[] = [];
async function target(behave?: (index: number, request: ReceivedRequest) => Behaviour, tls = false): Promise<TargetServer> {
  const server = await startTargetServer(behave, { tls });
  servers.push(server);
  return server;
}
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

const idOf = (body: Buffer): number => createTemplate(body).id!;

describe("check: what it sends", () => {
  it("POSTs JSON with send's headers and -H; a command without --no-validate sends a valid event (send would refuse others)", async () => {
    const server = await target();
    const { code, report } = await checkJson(["--to", `${server.url}/webhooks`, "-H", "X-Token: t1"]);
    expect(code).toBe(0);
    const request = server.requests[0]!;
    expect(request.method).toBe("POST");
    expect(request.url).toBe("/webhooks");
    expect(request.headers["content-type"]).toBe("application/json");
    expect(request.headers["user-agent"]).toBe(`wtbhook/${VERSION}`);
    expect(request.headers["x-token"]).toBe("t1");
    const bodies = new Map(server.requests.map((one) => [idOf(one.body), one.body]));
    const deliveries = report.checks.flatMap((check) => check.deliveries).filter((delivery) => delivery.command !== null);
    expect(deliveries.length).toBeGreaterThan(90);
    const flagged = new Set<string>();
    for (const delivery of deliveries) {
      expect(delivery.command).toContain("-H 'X-Token: t1'");
      if (delivery.command!.includes("--no-validate")) {
        flagged.add(delivery.check);
        continue;
      }
      const valid = validateEvent(JSON.parse(bodies.get(delivery.id!)!.toString("utf8"))).valid;
      expect({ label: delivery.label, check: delivery.check, valid }).toEqual({
        label: delivery.label,
        check: delivery.check,
        valid: true,
      });
    }
    // The events that break their schema on purpose (a null where a number goes may still be valid in a loose schema).
    expect([...flagged].sort()).toEqual(["no-data", "null-fields", "unknown-type"]);
    // The 200 KB post is sent whole, and needs no command when it passed.
    const large = report.checks.find((check) => check.id === "large-payload")!.deliveries[0]!;
    expect(bodies.get(large.id!)!.length).toBeGreaterThan(200 * 1024);
    expect(large.command).toBeNull();
  });

  it("ids are fresh in every run and above the previous run's; only the duplicate checks repeat one", async () => {
    const server = await target();
    await checkJson(["--to", server.url]);
    const first = server.requests.map((request) => idOf(request.body));
    const { report } = await checkJson(["--to", server.url]);
    const second = server.requests.slice(first.length).map((request) => idOf(request.body));
    expect(Math.min(...second)).toBeGreaterThan(Math.max(...first));
    const repeated = new Map<number, number>();
    for (const id of second) repeated.set(id, (repeated.get(id) ?? 0) + 1);
    const shared = [...repeated].filter(([, count]) => count > 1).map(([id]) => id);
    // The checks that sent them: response-time also lists the slowest delivery it judged, which may be one of these.
    const owners = report.checks
      .filter((check) => check.deliveries.some((delivery) => delivery.check === check.id && shared.includes(delivery.id!)))
      .map((check) => check.id);
    expect(owners.sort()).toEqual(["concurrent-duplicate", "duplicate", "retry-after-failure"]);
  });

  it(`runs the checks side by side with at most ${SIDE_BY_SIDE} deliveries in flight, burst alone with all of its at once`, async () => {
    let inFlight = 0;
    let most = 0;
    // A consumer of our own that counts what is in flight when each request arrives.
    const { createServer } = await import("node:http");
    const counting = createServer((req, res) => {
      inFlight++;
      most = Math.max(most, inFlight);
      req.resume();
      // Long enough for a burst's last request to arrive while its first is still open.
      req.on("end", () =>
        setTimeout(() => {
          inFlight--;
          res.end("ok");
        }, 100),
      );
    });
    await new Promise<void>((resolve) => counting.listen(0, "127.0.0.1", resolve));
    const url = `http://127.0.0.1:${(counting.address() as { port: number }).port}/`;
    try {
      const { report } = await checkJson(["--to", url, "--skip", "burst"]);
      expect(statuses(report)["all-types"]).toBe("pass");
      expect(most).toBe(SIDE_BY_SIDE);
      most = 0;
      await checkJson(["--to", url, "--only", "burst", "--burst", "12"]);
      expect(most).toBe(12);
    } finally {
      counting.closeAllConnections();
      await new Promise<void>((resolve) => counting.close(() => resolve()));
    }
  });
});

describe("check: TLS and Ctrl+C", () => {
  it("a self-signed https target: one line and exit 2 without --insecure, every check with it", async () => {
    const server = await target(undefined, true);
    const refused = await checkInProcess(["--to", server.url, "--only", "all-types,duplicate"]);
    expect(refused.code).toBe(2);
    expect(refused.stdout).toBe("");
    expect(refused.stderr).toMatch(
      /^✖ cannot check https:\/\/127\.0\.0\.1:\d+\/: TLS handshake with 127\.0\.0\.1:\d+ failed: .*--insecure accepts it\n {2}[^\n]+\n$/,
    );
    const { code, report } = await checkJson(["--to", server.url, "--insecure", "--only", "all-types,duplicate"]);
    expect(code).toBe(0);
    expect(statuses(report)).toEqual({ "all-types": "pass", duplicate: "pass" });
  });

  it("Ctrl+C stops the run at once: the checks done are reported, exit 2", async () => {
    const controller = new AbortController();
    // Stopped when the 30th delivery arrives, in the middle of the side-by-side checks.
    const server = await target((index) => {
      if (index === 29) controller.abort("SIGINT");
      return { kind: "status", status: 200, body: "ok" };
    });
    const run = await checkInProcess(["--to", server.url], {}, controller.signal);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe("✖ interrupted before every check was done\n");
    expect(run.stdout).toMatch(/interrupted, the checks cut short are left out\n$/);
    expect(server.requests.length).toBeLessThan(40);
  });
});

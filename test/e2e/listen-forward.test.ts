// `listen --forward-to` as a user runs it: the app checked once at start, and the warning when it is down.
import { afterEach, describe, expect, it } from "vitest";

import { loadFixture } from "../../src/catalog/catalog.js";
import { postStatus, startListen, type ListenProcess } from "../helpers/listen-cli.js";
import { closedPort, startTargetServer, type TargetServer } from "../helpers/target-server.js";

const running: ListenProcess[] = [];
const apps: TargetServer[] = [];
afterEach(async () => {
  for (const listen of running.splice(0)) listen.child.kill("SIGKILL");
  await Promise.all(apps.splice(0).map((app) => app.close()));
});

function listen(args: string[]): ListenProcess {
  const started = startListen(args);
  running.push(started);
  return started;
}

describe("listen --forward-to checks the app once at start", () => {
  it("warns when nothing accepts connections at the app's address, and starts all the same", async () => {
    const port = await closedPort();
    const run = listen(["-p", "0", "--forward-to", `http://127.0.0.1:${port}/hooks`]);
    const url = await run.ready;
    expect(await postStatus(url, loadFixture("user.created"))).toBe(502);
    run.child.kill("SIGTERM");
    expect((await run.exited).code).toBe(0);
    expect(run.stderr()).toContain(
      `⚠ The app at http://127.0.0.1:${port}/hooks does not accept connections (connection refused by 127.0.0.1:${port}): events get 502 until it does.`,
    );
  });

  it("says nothing when the app is up", async () => {
    const app = await startTargetServer();
    apps.push(app);
    const run = listen(["-p", "0", "--forward-to", `${app.url}/hooks`]);
    const url = await run.ready;
    expect(await postStatus(url, loadFixture("user.created"))).toBe(200);
    run.child.kill("SIGTERM");
    expect((await run.exited).code).toBe(0);
    expect(run.stderr()).not.toContain("does not accept connections");
  });
});

describe("listen --forward-to https:// an app with a self-signed certificate", () => {
  it("502 naming the TLS check without --insecure, the app's answer with it", async () => {
    const app = await startTargetServer(() => ({ kind: "status", status: 202, body: "ok" }), { tls: true });
    apps.push(app);
    const strict = listen(["-p", "0", "--forward-to", `${app.url}/hooks`]);
    expect(await postStatus(await strict.ready, loadFixture("user.created"))).toBe(502);
    strict.child.kill("SIGTERM");
    await strict.exited;
    expect(strict.stdout()).toContain("✗ app's TLS check failed → 502");
    expect(strict.stdout()).toContain("--insecure accepts it");
    const insecure = listen(["-p", "0", "--forward-to", `${app.url}/hooks`, "--insecure"]);
    expect(await postStatus(await insecure.ready, loadFixture("user.created"))).toBe(202);
    expect(app.requests).toHaveLength(1);
  });
});

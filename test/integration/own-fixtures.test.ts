// The user's own fixtures: --fixtures DIR and WTBHOOK_FIXTURES put DIR/<type>.json before the
// built-in fixture in send, scenarios, fixtures and check, and each says which fixture it used.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { afterAll, afterEach, describe, expect, it } from "vitest";

import { loadFixture } from "../../src/catalog/catalog.js";
import { startTargetServer, type TargetServer } from "../helpers/target-server.js";
import { checkInProcess } from "./check-in-process.js";
import { runInProcess, type InProcessResult } from "../helpers/run-in-process.js";
import { sendInProcess } from "./send-in-process.js";

const servers: TargetServer[] = [];
async function target(fail?: (body: string) => boolean): Promise<TargetServer> {
  const server = await startTargetServer((_index, request) =>
    fail?.(request.body.toString("utf8")) ? { kind: "status", status: 500 } : { kind: "status", status: 200, body: "{}" },
  );
  servers.push(server);
  return server;
}
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

/** A folder of the user's fixtures: user.created and conversation.created with a marker field, and a type of its own. */
const folders: string[] = [];
afterAll(() => {
  for (const folder of folders) rmSync(folder, { recursive: true, force: true });
});

function ownFolder(): string {
  const dir = mkdtempSync(join(tmpdir(), "wtbhook-own-fixtures-"));
  folders.push(dir);
  for (const type of ["user.created", "conversation.created"]) {
    const text = loadFixture(type).toString("utf8").replace('"object": {', '"object": {\n      "mine": "yes",');
    writeFileSync(join(dir, `${type}.json`), text);
  }
  writeFileSync(
    join(dir, "forum.renamed.json"),
    JSON.stringify({ api_version: "1", object: "event", id: 1, type: "forum.renamed", mode: "live", data: { object: { forumId: 3 } } }),
  );
  writeFileSync(join(dir, "user.created.shape-2.json"), "{}");
  return dir;
}

const mine = (body: Buffer): boolean => body.toString("utf8").includes('"mine": "yes"');

describe("--fixtures DIR", () => {
  it("send: DIR/<type>.json where it exists, the built-in one otherwise, and a line saying which", async () => {
    const dir = ownFolder();
    const server = await target();
    const result = await sendInProcess(["user.created", "user.updated", "--fixtures", dir, "--to", server.url]);
    expect(result.code).toBe(0);
    expect(server.requests.map((request) => mine(request.body))).toEqual([true, false]);
    expect(result.stderr).toContain(`• user.created: ${dir}/user.created.json (your fixture)\n`);
    expect(result.stderr).toContain(`• user.updated: fixtures/user.updated.json (built-in; ${dir} has no user.updated.json)\n`);
    // The id is fresh, as with a built-in fixture.
    expect(JSON.parse(server.requests[0]!.body.toString("utf8"))).not.toMatchObject({ id: 1534 });
  });

  it("send: WTBHOOK_FIXTURES does the same; a type only DIR knows is sent with its warning", async () => {
    const dir = ownFolder();
    const server = await target();
    const result = await sendInProcess(["user.created", "forum.renamed", "--to", server.url], { env: { WTBHOOK_FIXTURES: dir } });
    expect(result.code).toBe(0);
    expect(server.requests).toHaveLength(2);
    expect(mine(server.requests[0]!.body)).toBe(true);
    expect(server.requests[1]!.body.toString("utf8")).toContain('"type":"forum.renamed"');
    expect(result.stderr).toContain(`• forum.renamed: ${dir}/forum.renamed.json (your fixture)\n`);
    expect(result.stderr).toContain('⚠ /type  unknown event type "forum.renamed"');
  });

  it("send --dry-run says which fixture before the request it prints", async () => {
    const dir = ownFolder();
    const result = await sendInProcess(["conversation.created", "--fixtures", dir, "--dry-run"]);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain(`• conversation.created: ${dir}/conversation.created.json (your fixture)\n`);
    expect(result.stdout).toContain('"mine": "yes"');
  });

  it("send --scenario: each step starts from DIR's fixture of its type where there is one", async () => {
    const dir = ownFolder();
    const server = await target();
    const result = await sendInProcess(["--scenario", "messages", "--fixtures", dir, "--to", server.url]);
    expect(result.code).toBe(0);
    const types = server.requests.map((request) => (JSON.parse(request.body.toString("utf8")) as { type: string }).type);
    expect(types[0]).toBe("conversation.created");
    expect(server.requests.map((request) => mine(request.body))).toEqual(types.map((type) => type === "conversation.created"));
    expect(result.stderr).toContain(`• conversation.created: scenario messages step 1: ${dir}/conversation.created.json (your fixture)\n`);
  });

  it("exit 2 with one line: a folder that does not exist, and --fixtures with --data", async () => {
    const missing = await sendInProcess(["user.created", "--fixtures", "/nonexistent-wtbhook", "--dry-run"]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe("✖ --fixtures: no such folder: /nonexistent-wtbhook\n");
    const env = await sendInProcess(["user.created", "--dry-run"], { env: { WTBHOOK_FIXTURES: "/nonexistent-wtbhook" } });
    expect(env.stderr).toBe("✖ WTBHOOK_FIXTURES: no such folder: /nonexistent-wtbhook\n");
    const data = await sendInProcess(["--data", "fixtures/user.created.json", "--fixtures", ownFolder(), "--dry-run"]);
    expect(data.code).toBe(2);
    expect(data.stderr).toContain("--fixtures applies to event types, --all and --scenario, not to --data");
  });

  it("check: the checks send DIR's fixtures, the run says which, and reproductions carry --fixtures", async () => {
    const dir = ownFolder();
    // A consumer that fails on the user's own user.created only.
    const server = await target((body) => body.includes('"mine": "yes"') && body.includes('"type": "user.created"'));
    const run = await checkInProcess(["--only", "all-types", "--fixtures", dir, "--to", server.url, "--format", "json"]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`• fixtures: yours from ${dir} for user.created, conversation.created; built-in for the other 15\n`);
    expect(run.stderr).toContain("not used (not in the catalogue): forum.renamed.json");
    const report = JSON.parse(run.stdout) as { checks: { id: string; reproduce: string[] }[] };
    expect(report.checks[0]!.reproduce).toEqual([`wtbhook send user.created --fixtures ${dir} --to ${server.url}`]);
    expect(server.requests.filter((request) => mine(request.body))).toHaveLength(2);
  });
});

describe("wtbhook fixtures with --fixtures DIR", () => {
  it("prints DIR's bytes for a type it has, says which on stderr, and lists whose fixture each type uses", async () => {
    const dir = ownFolder();
    const run = (args: string[]): Promise<InProcessResult> => runInProcess(["fixtures", ...args], { cwd: dir, program: "src" });
    const own = await run(["user.created", "--fixtures", "."]);
    expect(mine(Buffer.from(own.stdout))).toBe(true);
    expect(own.stderr).toBe("./user.created.json (your fixture)\n");
    const builtIn = await run(["post.created", "--fixtures", "."]);
    expect(builtIn.stdout).toBe(loadFixture("post.created").toString("utf8"));
    expect(builtIn.stderr).toBe("fixtures/post.created.json (built-in; . has no post.created.json)\n");
    const list = await run(["--fixtures", "."]);
    expect(list.stdout).toMatch(/^TYPE +FIXTURE +DESCRIPTION\n/);
    expect(list.stdout).toMatch(/\nuser\.created +\.\/user\.created\.json +A new member/);
    expect(list.stdout).toMatch(/\nuser\.updated +built-in +/);
    expect(list.stdout).toMatch(/\nforum\.renamed +\.\/forum\.renamed\.json +not in the catalogue/);
    expect(list.stdout).not.toContain("shape-2");
  });
});

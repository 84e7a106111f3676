// `wtbhook validate` as a user runs it: real files, stdin, exit codes, each format. In-process
// through the built run() where the process plays no part; the bin, TMPDIR, signals, pipes and
// terminals in a real process.
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { closeSync, constants, mkdtempSync, openSync, readdirSync, readlinkSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { BIN, cliEnv, ROOT, runCli, startCli } from "../helpers/run-cli.js";
import { runInProcess } from "../helpers/run-in-process.js";

let dir: string;
let bad: string;
let mixed: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "wtbhook-validate-e2e-"));
  const { readFileSync } = await import("node:fs");
  const event = JSON.parse(readFileSync(new URL("../../fixtures/user.created.json", import.meta.url), "utf8")) as Record<string, any>;
  event["data"].object.userId = "181855";
  delete event["data"].object.email;
  bad = join(dir, "bad.json");
  writeFileSync(bad, JSON.stringify(event, null, 2));
  mixed = join(dir, "mixed.ndjson");
  writeFileSync(mixed, `${JSON.stringify({ ...event, type: "user.craeted" })}\n{"api_version": \n`);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("wtbhook validate", () => {
  it("passes the documented example: ✓, a summary, exit 0", async () => {
    const result = await runCli(["validate", "fixtures/user.created.json"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^✓ fixtures\/user\.created\.json {2}1 event\n\n1 file, 1 event: 1 valid, 0 invalid \(\d+ ms\)\n$/);
    expect(result.stderr).toBe("");
  });

  it("validates every fixture through the directory", async () => {
    const result = await runInProcess(["validate", "fixtures", "--quiet"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^\n\d+ files, (\d+) events: \1 valid, 0 invalid/);
  });

  it("shows each problem with file:line:col, pointer, expected and found; exit 1", async () => {
    const result = await runInProcess(["validate", bad]);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(`✗ ${bad}\n`);
    expect(result.stdout).toMatch(new RegExp(`${bad}:4:15 +✗ /data/object +missing property "email"`));
    expect(result.stdout).toMatch(new RegExp(`${bad}:18:17 +✗ /data/object/userId +expected integer, found "181855"`));
    expect(result.stdout).toContain("1 file, 1 event: 0 valid, 1 invalid");
    expect(result.stdout).not.toMatch(/\u001b\[/);
  });

  it("reads stdin, names unknown types with suggestions, and places malformed lines", async () => {
    const { readFileSync } = await import("node:fs");
    const result = await runInProcess(["validate", "-"], { input: readFileSync(mixed) });
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/<stdin>:1:\d+ +✗ \/type +unknown event type "user\.craeted"; did you mean user\.created\?/);
    expect(result.stdout).toMatch(/<stdin>:2:17 +✗ \(root\) +malformed JSON: unexpected end of input \(expected a value\)/);
  });

  describe("graded", () => {
    const envelope = (type: string, object: unknown): string =>
      JSON.stringify({ api_version: "1", object: "event", id: 5, type, mode: "live", data: { object } });
    let hello: string;
    let userAsTopic: string;
    let onlyId: string;
    let renamed: string;
    beforeAll(async () => {
      const { readFileSync } = await import("node:fs");
      hello = join(dir, "hello.json");
      writeFileSync(hello, envelope("topic.created", { hello: "world" }));
      userAsTopic = join(dir, "user-as-topic.json");
      writeFileSync(
        userAsTopic,
        readFileSync(join(ROOT, "fixtures/user.created.json"), "utf8").replace('"type": "user.created"', '"type": "topic.created"'),
      );
      onlyId = join(dir, "only-id.json");
      writeFileSync(onlyId, envelope("topic.created", { topicId: 12804902 }));
      renamed = join(dir, "renamed.json");
      writeFileSync(renamed, envelope("forum.renamed", { forumId: 1 }));
    });

    it("fails a topic.created whose object is {hello: world}: no topicId", async () => {
      const result = await runCli(["validate", hello]);
      expect(result.code).toBe(1);
      expect(result.stdout).toMatch(/✗ \/data\/object +missing property "topicId"\n/);
      expect(result.stdout).toMatch(/⚠ \/data\/object +missing properties "title", /);
    });

    it("fails a User sent as topic.created: no topicId, and it calls itself a User", async () => {
      const result = await runCli(["validate", userAsTopic]);
      expect(result.code).toBe(1);
      expect(result.stdout).toMatch(/:4:15 +✗ \/data\/object +missing property "topicId"\n/);
      expect(result.stdout).toMatch(/:18:17 +✗ \/data\/object\/object +expected "Topic", found "User"\n/);
    });

    it("passes a topic with only its identity key, with warnings; --strict fails it; -v adds the infos", async () => {
      const result = await runCli(["validate", onlyId]);
      expect(result.code).toBe(0);
      expect(result.stdout).toMatch(/^⚠ .*only-id\.json\n.* ⚠ \/data\/object +missing properties "title", "categoryId", /);
      expect(result.stdout).toContain("1 file, 1 event: 1 valid (1 with warnings), 0 invalid");
      expect(result.stdout).not.toContain("ℹ");
      const strict = await runCli(["validate", onlyId, "--strict"]);
      expect(strict.code).toBe(1);
      expect(strict.stdout).toMatch(/✗ \/data\/object +missing properties "title", /);
      expect(strict.stdout).toMatch(/ℹ \/data\/object +missing properties "replyCount", "firstPost"/);
      const verbose = await runCli(["validate", onlyId, "-v"]);
      expect(verbose.code).toBe(0);
      expect(verbose.stdout).toMatch(/ℹ \/data\/object +missing properties "replyCount", "firstPost"/);
    });

    it("warns about an unknown event type (exit 0) and fails a typo of a known one with did-you-mean", async () => {
      const result = await runCli(["validate", renamed, "--format", "github"]);
      expect(result.code).toBe(0);
      expect(result.stdout).toMatch(
        /^::warning file=.*renamed\.json,line=1,col=\d+,title=forum\.renamed \/type::unknown event type "forum\.renamed": only its envelope is checked/,
      );
      const typo = join(dir, "typo.json");
      writeFileSync(typo, envelope("user.craeted", {}));
      const failed = await runCli(["validate", typo]);
      expect(failed.code).toBe(1);
      expect(failed.stdout).toMatch(/✗ \/type +unknown event type "user\.craeted"; did you mean user\.created\?\n/);
    });

    it("keeps warnings out of JUnit failures and puts them in the JSON report with their severity", async () => {
      const junit = await runCli(["validate", onlyId, "--format", "junit"]);
      expect(junit.code).toBe(0);
      expect(junit.stdout).toContain('failures="0"');
      expect(junit.stdout).toMatch(/<system-out>.*only-id\.json:1:\d+ {2}warning {2}\/data\/object {2}missing properties "title"/);
      const json = await runCli(["validate", onlyId, "--format", "json"]);
      const report = JSON.parse(json.stdout) as {
        valid: boolean;
        summary: { warned: number };
        files: { warnedEvents: { problems: { severity: string }[] }[] }[];
      };
      expect(report.valid).toBe(true);
      expect(report.summary.warned).toBe(1);
      expect(report.files[0]!.warnedEvents[0]!.problems.map((problem) => problem.severity)).toEqual(["warning"]);
    });
  });

  it("writes github annotations and keeps the summary on stderr", async () => {
    const result = await runInProcess(["validate", bad, "--format", "github"]);
    expect(result.code).toBe(1);
    const lines = result.stdout.trimEnd().split("\n");
    expect(lines).toHaveLength(2);
    expect(lines[1]).toBe(`::error file=${bad},line=18,col=17,title=user.created /data/object/userId::expected integer, found "181855"`);
    expect(result.stderr).toContain("1 invalid");
  });

  it("writes one JSON report on stdout", async () => {
    const result = await runInProcess(["validate", bad, "fixtures/user.created.json", "--format", "json"]);
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout) as { valid: boolean; summary: Record<string, unknown> };
    expect(report.valid).toBe(false);
    expect(report.summary).toMatchObject({ files: 2, events: 2, valid: 1, invalid: 1 });
  });

  it("writes JUnit XML with a testcase per event", async () => {
    const result = await runInProcess(["validate", mixed, "fixtures/user.created.json", "--format", "junit"]);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^<\?xml version="1\.0" encoding="UTF-8"\?>\n<testsuites name="wtbhook validate" tests="3" failures="2"/);
    expect(result.stdout.match(/<testcase /g)).toHaveLength(3);
    expect(result.stdout.match(/<failure /g)).toHaveLength(2);
  });

  it("junit without a writable temporary folder: one line, exit 2, no stack trace", async () => {
    // A folder inside a file: nothing can create it (Node's compile cache makes a missing TMPDIR
    // on Node 22 and later, so a merely missing folder would not stay missing).
    const unwritable = join(ROOT, "fixtures", "user.created.json", "tmp");
    const result = await runCli(["validate", "fixtures/user.created.json", "--format", "junit"], { env: { TMPDIR: unwritable } });
    expect(result.code).toBe(2);
    expect(result.stdout).toBe("");
    expect(result.stderr).toContain(`cannot spool the junit report in ${unwritable}`);
    expect(result.stderr).not.toContain("This is a bug");
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it.each([
    [["validate", "no/such/file.json"], "✖ no such file: no/such/file.json\n"],
    [["validate", "fixtures/user.created.json", "--format", "xml"], "Allowed choices are text, json, github, junit"],
    [["validate", "fixtures/user.created.json", "--bogus"], "unknown option '--bogus'"],
    [["validate", "fixtures/user.created.json", "--type", "user.craeted"], 'unknown event type "user.craeted"; did you mean user.created'],
    [["validate", "fixtures/user.created.json", "--schema", "no-such-schema.json"], "no such schema file: no-such-schema.json"],
    [["validate", "fixtures/user.created.json", "--max-errors", "0"], "--max-errors takes a whole number of at least 1"],
  ])("exits 2 without a stack trace for %j", async (args, message) => {
    const result = await runInProcess(args);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(message);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it("stops on Ctrl+C with the partial summary and exit 1", async () => {
    const { readFileSync, openSync, writeSync, closeSync } = await import("node:fs");
    const good = JSON.stringify(JSON.parse(readFileSync(new URL("../../fixtures/user.created.json", import.meta.url), "utf8")));
    const broken = good.replace('"id":1534', '"id":"1534"');
    const block = `${Array.from({ length: 100 }, (_, i) => (i === 99 ? broken : good)).join("\n")}\n`;
    const big = join(dir, "big.ndjson");
    const fd = openSync(big, "w");
    for (let i = 0; i < 1500; i++) writeSync(fd, block);
    closeSync(fd);
    const child = startCli(["validate", big, "--quiet"]);
    let stdout = "";
    let stderr = "";
    child.stderr!.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    // The first invalid event (the 100th line) proves it is working; then interrupt.
    await new Promise<void>((resolve) => {
      child.stdout!.setEncoding("utf8").on("data", (chunk: string) => {
        if (stdout === "") setImmediate(resolve);
        stdout += chunk;
      });
    });
    child.kill("SIGINT");
    const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
    expect(code).toBe(1);
    expect(stdout).toMatch(/stopped early: 1 file, [\d,]+ events: /);
    expect(stdout).not.toContain("150,000 events");
    expect(stderr).not.toMatch(/\n\s+at /);
  });
});

/** Output and exit of a started CLI process, and what it has printed so far. */
function watch(child: ChildProcess): { stdout: () => string; stderr: () => string; exited: Promise<number | null> } {
  let stdout = "";
  let stderr = "";
  child.stdout!.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
  child.stderr!.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
  const exited = new Promise<number | null>((resolve) => child.on("close", (code) => resolve(code)));
  return { stdout: () => stdout, stderr: () => stderr, exited };
}

/** Resolves once `test` is true, checking every few milliseconds; fails after `ms`. */
async function until(test: () => boolean, what: string, ms = 10_000): Promise<void> {
  const deadline = performance.now() + ms;
  while (!test()) {
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Sends `signal` and resolves with the exit code and how long the process took to end. */
async function stopWith(
  child: ChildProcess,
  exited: Promise<number | null>,
  signal: NodeJS.Signals,
): Promise<{ code: number | null; ms: number }> {
  const sent = performance.now();
  child.kill(signal);
  const code = await exited;
  return { code, ms: performance.now() - sent };
}

describe("wtbhook validate: stopping and waiting", () => {
  const fifoDir = mkdtempSync(join(tmpdir(), "wtbhook-validate-fifo-"));
  afterAll(() => rmSync(fifoDir, { recursive: true, force: true }));

  /** True once process `pid` has `path` open (Linux: its /proc/PID/fd links). */
  function hasOpen(pid: number, path: string): boolean {
    try {
      return readdirSync(`/proc/${pid}/fd`).some((fd) => {
        try {
          return readlinkSync(`/proc/${pid}/fd/${fd}`) === path;
        } catch {
          return false;
        }
      });
    } catch {
      return false;
    }
  }

  it.each([
    ["SIGINT", "no writer"],
    ["SIGTERM", "no writer"],
    ["SIGINT", "a writer that sends nothing"],
    ["SIGTERM", "a writer that sends nothing"],
  ] as const)("%s ends a wait on a named pipe with %s at once", async (signal, writer) => {
    const fifo = join(fifoDir, `${signal}-${writer.length}.ndjson`);
    execFileSync("mkfifo", [fifo]);
    const child = startCli(["validate", fifo]);
    const run = watch(child);
    let writeEnd: number | undefined;
    try {
      if (writer === "no writer") await until(() => hasOpen(child.pid!, fifo), "validate to open the pipe");
      else {
        // Opening for writing without blocking succeeds only once the reader has the pipe open.
        await until(() => {
          try {
            writeEnd = openSync(fifo, constants.O_WRONLY | constants.O_NONBLOCK);
            return true;
          } catch {
            return false;
          }
        }, "validate to open the pipe");
      }
      const { code, ms } = await stopWith(child, run.exited, signal);
      expect(ms).toBeLessThan(2_000);
      expect(code).toBe(1);
      expect(run.stdout()).toContain("stopped early");
      expect(run.stderr()).not.toMatch(/\n\s+at /);
    } finally {
      if (writeEnd !== undefined) closeSync(writeEnd);
      child.kill("SIGKILL");
    }
  });

  it.each(["SIGTERM", "SIGINT"] as const)("%s ends a run busy with events of 20,000 problems each within seconds", async (signal) => {
    const { readFileSync } = await import("node:fs");
    const event = JSON.parse(readFileSync(new URL("../../fixtures/user.created.json", import.meta.url), "utf8")) as Record<string, any>;
    event["data"].object.userGroups = Array.from({ length: 20_000 }, (_, i) => `g${i}`);
    const line = JSON.stringify(event);
    const busy = join(fifoDir, `busy-${signal}.ndjson`);
    writeFileSync(busy, `${Array.from({ length: 60 }, () => line).join("\n")}\n`);
    const child = startCli(["validate", busy]);
    const run = watch(child);
    try {
      // The first event's problems are out: it is working through the others.
      await until(() => run.stdout().includes("more problems in this event"), "the first invalid event", 30_000);
      const { code, ms } = await stopWith(child, run.exited, signal);
      expect(ms).toBeLessThan(3_000);
      expect(code).toBe(1);
      expect(run.stdout()).toMatch(/stopped early: 1 file, [\d,]+ events?: /);
    } finally {
      child.kill("SIGKILL");
    }
  });

  it("says on a terminal that it reads stdin; Ctrl+D on nothing is 'stdin is empty', Ctrl+C stops", async () => {
    // `script` gives the command a real terminal; what is written to script's stdin is typed on it.
    // `exec`: the command itself gets the terminal's Ctrl+C, not a shell in front of it (dash, when
    // SHELL is /bin/sh, waits for its child and dies of the SIGINT itself: script then says 130).
    const shell = `exec ${JSON.stringify(process.execPath)} ${JSON.stringify(BIN)} validate -`;
    for (const [key, expectCode, expectText] of [
      ["\u0004", 2, "stdin is empty"],
      ["\u0003", 1, "stopped early"],
    ] as const) {
      const child = spawn("script", ["-qfec", shell, "/dev/null"], { cwd: ROOT, env: cliEnv(), stdio: ["pipe", "pipe", "pipe"] });
      const run = watch(child);
      await until(() => run.stdout().includes("Reading events from stdin"), "the stdin notice");
      expect(run.stdout()).toContain("Ctrl+D to end");
      child.stdin.write(key);
      expect(await run.exited).toBe(expectCode);
      expect(run.stdout()).toContain(expectText);
    }
  });

  it("an empty stdin is an error of its own (exit 2), as in send", async () => {
    const result = await runInProcess(["validate", "-"], { input: "" });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("✖ stdin is empty\n");
    expect(result.stderr).not.toContain("Reading events from stdin");
  });

  it("warns on stderr about a pattern of the user's schema that the linear-time engine cannot run", async () => {
    const schema = join(fifoDir, "lookahead.schema.json");
    writeFileSync(schema, JSON.stringify({ type: "object", properties: { type: { type: "string", pattern: "^(?=user)" } } }));
    const result = await runInProcess(["validate", "fixtures/user.created.json", "--schema", schema]);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('⚠ pattern "^(?=user)" uses lookaround or backreferences');
  });
});

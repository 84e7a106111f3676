// The program as a user meets it: help, version, unknown commands and flags, exit codes, colour.
// In-process through the built run(); the bin itself is spawned where the process matters.
import { spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

import { afterAll, describe, expect, it } from "vitest";

import { loadFixture } from "../../src/catalog/catalog.js";
import { ExitCode } from "../../src/errors.js";
import { postStatus, startListen } from "../helpers/listen-cli.js";
import { BIN, cliEnv, ROOT, runCli } from "../helpers/run-cli.js";
import { runInProcess, startInProcess } from "../helpers/run-in-process.js";
import { startTargetServer } from "../helpers/target-server.js";

const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string };

describe("wtbhook (top level)", () => {
  it("prints help with every command and exits 0", async () => {
    const result = await runInProcess(["--help"]);
    expect(result.code).toBe(0);
    for (const command of ["listen", "send", "validate", "schemas", "fixtures"]) {
      expect(result.stdout).toMatch(new RegExp(`^  ${command}\\b`, "m"));
    }
    expect(result.stdout).toContain("Exit codes");
  });

  it("prints the package version", async () => {
    const result = await runInProcess(["--version"]);
    expect(result.code).toBe(0);
    expect(result.stdout.trim()).toBe(pkg.version);
  });

  it.each(["listen", "send", "validate", "schemas", "fixtures"])("shows help with examples for %s", async (command) => {
    const result = await runInProcess(["help", command]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`Usage: wtbhook ${command}`);
    expect(result.stdout).toMatch(/Examples:\n\s+\$ wtbhook /);
  });

  it("answers an unknown command with a suggestion, one line, exit 2", async () => {
    const result = await runInProcess(["sned"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("unknown command 'sned'");
    expect(result.stderr).toContain("send");
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it("answers help for a command that does not exist with exit 2, not the program's help", async () => {
    const result = await runInProcess(["help", "nosuch"]);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe("");
    expect(result.stderr).toContain("unknown command 'nosuch'");
    expect(result.stderr).toContain(
      "The commands are listen, inspect, send, validate, check, drift, schemas, fixtures, config, completion.",
    );
  });

  it("help alone prints the program's help and exits 0", async () => {
    const result = await runInProcess(["help"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("Usage: wtbhook [options] [command]");
  });

  it("no command at all is a usage error: the help on stderr, exit 2", async () => {
    const result = await runInProcess([]);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe("");
    expect(result.stderr).toContain("Usage: wtbhook [options] [command]");
  });

  describe("a bug in wtbhook (10.11)", () => {
    /** Spawns the CLI (its exit code is the point) with a fault planted: reading a fixture throws a TypeError. */
    const withBug = (env: Record<string, string> = {}) =>
      runCli(["fixtures", "user.created"], {
        env: { NODE_OPTIONS: `--import=${fileURLToPath(new URL("../helpers/bug-in-fixtures.mjs", import.meta.url))}`, ...env },
      });

    it("exits 70, not 2, with one line that calls it a bug and no stack trace", async () => {
      const result = await withBug();
      expect(result.code).toBe(ExitCode.internal);
      expect(result.code).toBe(70);
      expect(result.stderr).toBe(
        "✖ internal error: Cannot read properties of undefined (reading 'bytes')\n" +
          "  This is a bug in wtbhook; set WTBHOOK_DEBUG=1 for the stack trace.\n",
      );
      expect(result.stdout).toBe("");
    });

    it("shows the stack trace with WTBHOOK_DEBUG=1, still exit 70", async () => {
      const result = await withBug({ WTBHOOK_DEBUG: "1" });
      expect(result.code).toBe(70);
      expect(result.stderr).toMatch(/TypeError: Cannot read properties of undefined \(reading 'bytes'\)\n\s+at /);
    });

    it("is listed with the exit codes in --help", async () => {
      expect((await runInProcess(["--help"])).stdout).toContain("70 a bug in wtbhook");
    });
  });

  it("answers an unknown flag with exit 2 and no stack trace", async () => {
    const result = await runInProcess(["validate", "--no-such-flag", "x.json"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("unknown option '--no-such-flag'");
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });
});

describe("bin/wtbhook.cjs (a real process)", () => {
  it("prints the version and exits 0", async () => {
    const result = await runCli(["--version"]);
    expect(result).toMatchObject({ code: 0, stdout: `${pkg.version}\n`, stderr: "" });
  });

  it("says in one line, exit 2, that the program is not built when dist/ is missing", () => {
    const copy = mkdtempSync(join(tmpdir(), "wtbhook-unbuilt-"));
    try {
      mkdirSync(join(copy, "bin"));
      copyFileSync(BIN, join(copy, "bin", "wtbhook.cjs"));
      const result = spawnSync(process.execPath, [join(copy, "bin", "wtbhook.cjs"), "--version"], { env: cliEnv(), encoding: "utf8" });
      expect(result.status).toBe(2);
      expect(result.stdout).toBe("");
      expect(result.stderr).toBe(
        `wtbhook: ${join(copy, "dist", "bundle", "compile-cache.js")} is missing: run \`npm run build\` in ${copy} first\n`,
      );
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  });

  it("takes colour, arguments and the exit code from the process: FORCE_COLOR on a pipe, exit 2", async () => {
    const result = await runCli(["sned"], { env: { NO_COLOR: undefined, FORCE_COLOR: "1" } });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^\u001b\[31m✖\u001b\[39m unknown command 'sned'/);
  });
});

describe("the end of a run (a real process)", () => {
  const dir = mkdtempSync(join(tmpdir(), "wtbhook-cli-end-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("exits once a command is done and its output is written, whatever else is left open", async () => {
    // A timer of a minute, as a library might leave behind: a process that ends by itself waits for it.
    const preload = join(dir, "linger.cjs");
    writeFileSync(preload, "setTimeout(() => {}, 60_000);\n");
    const env = { NODE_OPTIONS: `--require ${preload}` };
    const valid = await runCli(["validate", "fixtures/user.created.json"], { env, timeoutMs: 10_000 });
    expect(valid).toMatchObject({ code: 0, signal: null });
    expect(valid.stdout).toContain("1 valid, 0 invalid");
    // All of an output longer than what is written directly (16 KiB), and a failure's exit code.
    const schema = await runCli(["schemas", "topic.created"], { env, timeoutMs: 10_000 });
    expect(schema).toMatchObject({ code: 0, signal: null });
    expect(schema.stdout.length).toBeGreaterThan(16 * 1024);
    expect(JSON.parse(schema.stdout)).toMatchObject({ $schema: expect.any(String) });
    const missing = await runCli(["validate", join(dir, "nosuch.json")], { env, timeoutMs: 10_000 });
    expect(missing).toMatchObject({ code: 2, signal: null });
  });
});

describe("signals (a real process)", () => {
  it("the first Ctrl+C stops gracefully, waiting for a slow app; a second one exits 130 at once", async () => {
    const app = await startTargetServer(() => ({ kind: "hang" }));
    const listen = startListen(["-p", "0", "--forward-to", app.url]);
    try {
      const url = await listen.ready;
      const inFlight = postStatus(url, loadFixture("user.created"));
      await app.waitForRequests(1);
      listen.child.kill("SIGINT");
      await listen.waitFor("stderr", /^Stopping: finishing the requests in flight \(Ctrl\+C again to quit at once\)…$/m);
      listen.child.kill("SIGINT");
      expect(await listen.exited).toEqual({ code: 130, signal: null });
      expect(listen.stderr()).not.toContain("Stopped.");
      expect(await inFlight).not.toBe(200);
    } finally {
      listen.child.kill("SIGKILL");
      await app.close();
    }
  });
});

describe("colour", () => {
  const RED_MARK = "\u001b[31m✖\u001b[39m";
  const tty = { stdout: true, stderr: true };

  it.each([
    { when: "on a terminal", env: {}, tty, coloured: true },
    { when: "on a pipe", env: {}, tty: undefined, coloured: false },
    { when: "with FORCE_COLOR=1 on a pipe", env: { FORCE_COLOR: "1" }, tty: undefined, coloured: true },
    { when: "with FORCE_COLOR=1 and NO_COLOR=1", env: { FORCE_COLOR: "1", NO_COLOR: "1" }, tty: undefined, coloured: true },
    { when: "with FORCE_COLOR=0 on a terminal", env: { FORCE_COLOR: "0" }, tty, coloured: false },
    { when: "with FORCE_COLOR=false on a terminal", env: { FORCE_COLOR: "false" }, tty, coloured: false },
    { when: "with NO_COLOR=1 on a terminal", env: { NO_COLOR: "1" }, tty, coloured: false },
    { when: "with an empty NO_COLOR on a terminal", env: { NO_COLOR: "" }, tty, coloured: true },
    { when: "with TERM=dumb on a terminal", env: { TERM: "dumb" }, tty, coloured: false },
    { when: "with TERM=xterm-256color on a terminal", env: { TERM: "xterm-256color" }, tty, coloured: true },
  ])("$when: coloured $coloured", async ({ env, tty: terminal, coloured }) => {
    const result = await runInProcess(["sned"], { env, tty: terminal });
    expect(result.code).toBe(2);
    expect(result.stderr.startsWith(RED_MARK)).toBe(coloured);
    if (!coloured) expect(result.stderr).not.toContain("\u001b[");
  });

  it("is decided for stdout and stderr each on its own", async () => {
    const listOnTerminal = await runInProcess(["fixtures"], { tty: { stdout: true } });
    expect(listOnTerminal.stdout).toContain("\u001b[");
    const errorOnPipe = await runInProcess(["fixtures", "nosuch"], { tty: { stdout: true } });
    expect(errorOnPipe.stderr).toMatch(/^✖ unknown event type/);
    const errorOnTerminal = await runInProcess(["fixtures", "nosuch"], { tty: { stderr: true } });
    expect(errorOnTerminal.stderr.startsWith(RED_MARK)).toBe(true);
    const listOnPipe = await runInProcess(["fixtures"], { tty: { stderr: true } });
    expect(listOnPipe.stdout).not.toContain("\u001b[");
  });

  it("wraps help to the terminal's width, and to 80 columns on a pipe", async () => {
    const wide = await runInProcess(["--help"], { tty: { stdout: true, columns: 100 } });
    const piped = await runInProcess(["--help"]);
    const longest = (text: string): number =>
      Math.max(
        ...text
          .split("Examples:")[0]!
          .split("\n")
          .map((line) => line.length),
      );
    expect(longest(wide.stdout)).toBeGreaterThan(80);
    expect(longest(wide.stdout)).toBeLessThanOrEqual(100);
    expect(longest(piped.stdout)).toBeLessThanOrEqual(80);
  });
});

describe("the working folder", () => {
  const dirs: string[] = [];
  afterAll(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it("relative paths are relative to it: listen --record, then validate and send --from the recording", async () => {
    const cwd = mkdtempSync(join(tmpdir(), "wtbhook-cwd-"));
    dirs.push(cwd);
    const stray = join(ROOT, "wtbhook-cwd-test.ndjson");
    try {
      const listen = startInProcess(["listen", "-p", "0", "--record", "wtbhook-cwd-test.ndjson"], { cwd });
      const [, url] = await listen.stderr.waitFor(/^Ready! Listening on (\S+)$/m);
      expect(listen.stderr.text()).toContain("Recording to wtbhook-cwd-test.ndjson\n");
      expect(await postStatus(url!, loadFixture("user.created"))).toBe(200);
      listen.stop();
      expect((await listen.done).code).toBe(0);
      expect(existsSync(stray)).toBe(false);
      expect(readFileSync(join(cwd, "wtbhook-cwd-test.ndjson"), "utf8").split("\n")).toHaveLength(2);

      const validate = await runInProcess(["validate", "wtbhook-cwd-test.ndjson"], { cwd });
      expect(validate).toMatchObject({ code: 0, stdout: expect.stringMatching(/^✓ wtbhook-cwd-test\.ndjson {2}1 event\n/) });

      const target = await startTargetServer();
      try {
        const send = await runInProcess(["send", "--from", "wtbhook-cwd-test.ndjson", "--to", target.url], { cwd });
        expect(send.code).toBe(0);
        expect(target.requests.map((request) => request.body.toString("utf8"))).toEqual([loadFixture("user.created").toString("utf8")]);
      } finally {
        await target.close();
      }
    } finally {
      rmSync(stray, { force: true });
    }
  });
});

// What code a run loads: __complete answers each Tab, so it must not load schemas, HTTP or ngrok;
// the config code is loaded only when there are settings to apply.
import { spawn, spawnSync } from "node:child_process";
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

import { afterAll, describe, expect, it } from "vitest";

import { BIN, cliEnv, ROOT } from "../helpers/run-cli.js";
import { runInProcess } from "../helpers/run-in-process.js";
import { runInTerminal } from "../helpers/terminal.js";

const PRELOAD = fileURLToPath(new URL("../helpers/module-log.mjs", import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "wtbhook-modules-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Which modules each file of the bundle holds (scripts/build.mjs writes it from the bundlers' own accounts). */
const BUNDLED = JSON.parse(readFileSync(join(ROOT, "dist", "bundle", "modules.json"), "utf8")) as Record<string, string[]>;

let runs = 0;
/**
 * Runs `wtbhook <args>` with `preload` (node's flag and the file), which appends a line per thing it
 * sees to the file named by the variable `logVariable`; gives those lines and the run's result.
 */
function runLogged(
  preload: [flag: string, file: string],
  logVariable: string,
  args: string[],
  options: { env?: Record<string, string>; cwd?: string; stdout?: "pipe" | "ignore" | number } = {},
): { lines: string[]; stdout: string; stderr: string; status: number | null } {
  const log = join(dir, `log-${(runs += 1)}.log`);
  writeFileSync(log, "");
  const result = spawnSync(process.execPath, [...preload, BIN, ...args], {
    cwd: options.cwd ?? ROOT,
    env: cliEnv({ ...options.env, [logVariable]: log }),
    encoding: "utf8",
    stdio: ["pipe", options.stdout ?? "pipe", "pipe"],
  });
  return {
    lines: readFileSync(log, "utf8").split("\n").filter(Boolean),
    stdout: result.stdout ?? "",
    stderr: result.stderr,
    status: result.status,
  };
}

/**
 * The modules `wtbhook <args>` loaded, and its output. The program is bundled (dist/bundle): a
 * loaded bundle file stands for the modules it holds ("dist/catalog/catalog.js",
 * "node_modules/undici/index.js").
 */
function modulesOf(
  args: string[],
  options: { env?: Record<string, string>; cwd?: string; status?: number } = {},
): { modules: string[]; stdout: string } {
  const result = runLogged(["--import", PRELOAD], "MODULE_LOG_FILE", args, options);
  expect(result.status, result.stderr).toBe(options.status ?? 0);
  const modules = result.lines.flatMap((url) => {
    const file = /\/dist\/bundle\/([^/]+)$/.exec(url)?.[1];
    if (!url.startsWith("file:") || file === undefined) return [url];
    const held = BUNDLED[file];
    if (held === undefined) throw new Error(`${file} is not in dist/bundle/modules.json`);
    return [url, ...held];
  });
  return { modules, stdout: result.stdout };
}

/** Schemas and validators, HTTP, the receiver, ngrok, the checks' and deliveries' code, chalk. */
const HEAVY =
  /node_modules\/(ajv|ajv-formats|undici|@ngrok|chalk)\/|\.generated\.cjs|validators|(^|\/)dist\/(http|receiver|tunnel|validation|record)\/|(^|\/)dist\/catalog\/(?!event-type-names)|(^|\/)dist\/check\/(?!check-ids)|(^|\/)dist\/delivery\/(?!scenario-names)/;
const CONFIG_CODE = /(^|\/)dist\/(config\/(file|settings|spec)|commands\/(settings|command-spec))\.js$/;

describe("modules loaded", () => {
  it("__complete loads no schema, validator, HTTP, ngrok or check code", () => {
    for (const words of [
      ["send", "--type", ""],
      ["check", "--only", ""],
      ["send", "--scenario", ""],
      ["validate", ""],
    ]) {
      const { modules, stdout } = modulesOf(["__complete", ...words]);
      expect(stdout).not.toBe("");
      expect(modules).toContain("dist/completion/complete.js");
      expect(modules.filter((url) => HEAVY.test(url))).toEqual([]);
    }
  });

  it("loads the config code only when a config file or a WTBHOOK_* variable may set something", () => {
    const plain = modulesOf(["validate", "fixtures/user.created.json"]);
    // The control: the log does see bundled modules (validate loads a validator).
    expect(plain.modules.some((module) => HEAVY.test(module))).toBe(true);
    expect(plain.modules.filter((url) => CONFIG_CODE.test(url))).toEqual([]);
    const withEnv = modulesOf(["validate", "fixtures/user.created.json"], { env: { WTBHOOK_STRICT: "1" } });
    expect(withEnv.modules).toContain("dist/config/file.js");
  });

  it("loads the recording reader for send --from only, and the scenarios for --scenario only", () => {
    const READER = /(^|\/)dist\/(record\/record|json\/lines|delivery\/replay-plan|delivery\/scenarios)\.js$/;
    const fixture = modulesOf(["send", "user.created", "--dry-run"]);
    expect(fixture.modules).toContain("dist/delivery/send-plan.js");
    expect(fixture.modules.filter((url) => READER.test(url))).toEqual([]);
    // The control: a replay does load it, and the log sees it.
    const recording = join(dir, "replay.ndjson");
    writeFileSync(recording, `${readFileSync(join(ROOT, "fixtures", "user.created.json"), "utf8").replace(/\n\s*/g, "")}\n`);
    const replay = modulesOf(["send", "--from", recording, "--dry-run"]);
    expect(replay.modules).toEqual(expect.arrayContaining(["dist/record/record.js", "dist/json/lines.js", "dist/delivery/replay-plan.js"]));
    expect(modulesOf(["send", "--scenario", "forum", "--dry-run"]).modules).toContain("dist/delivery/scenarios.js");
  });

  it("loads neither child_process nor node:http where nothing is spawned or sent", () => {
    const builtIn = (modules: string[], name: string): boolean => modules.some((url) => url === name || url.endsWith(`/${name}`));
    for (const args of [
      ["validate", "fixtures/user.created.json"],
      ["send", "user.created", "--dry-run"],
      ["__complete", "send", "--sc"],
      ["--help"],
    ]) {
      const { modules } = modulesOf(args);
      // commander asks for child_process only to run a subcommand that is a program of its own.
      expect(builtIn(modules, "node:child_process"), args.join(" ")).toBe(false);
      expect(builtIn(modules, "node:http"), args.join(" ")).toBe(false);
    }
    // The control: a delivery does load node:http (undici needs it), and the log sees it.
    const sent = modulesOf(["send", "user.created", "--to", "http://127.0.0.1:1/", "--timeout", "2s"], { status: 1 });
    expect(builtIn(sent.modules, "node:http")).toBe(true);
  });
});

describe("the stop signal", () => {
  /**
   * Whether `wtbhook <args>` loaded Node's AbortController. Not through a preload: Node's loader for
   * one loads it itself. The bin is required from `node -e` (which does not), and the answer is
   * written at exit without opening Node's stderr stream (which would load it too).
   */
  function abortControllerLoaded(args: string[]): boolean {
    const probe = [
      "const [bin, ...args] = process.argv.slice(1);",
      "process.argv = [process.argv[0], bin, ...args];",
      'process.on("exit", () => require("node:fs").writeSync(2, `\\nloaded: ${process.moduleLoadList.includes("NativeModule internal/abort_controller")}\\n`));',
      "require(bin);",
    ].join("\n");
    const result = spawnSync(process.execPath, ["-e", probe, BIN, ...args], { cwd: ROOT, env: cliEnv(), encoding: "utf8" });
    expect(result.status, result.stderr).toBe(0);
    const answer = /\nloaded: (true|false)\n$/.exec(result.stderr)?.[1];
    expect(answer, result.stderr).toBeDefined();
    return answer === "true";
  }

  it("is made only by a command that stops on it: --help, __complete and send --dry-run never pay for it", () => {
    for (const args of [["--help"], ["__complete", "send", "--sc"], ["send", "user.created", "--dry-run"]]) {
      expect(abortControllerLoaded(args), args.join(" ")).toBe(false);
    }
    // The control: validate watches it while it reads, and the probe sees it loaded.
    expect(abortControllerLoaded(["validate", "fixtures/user.created.json"])).toBe(true);
  });
});

describe("standard input", () => {
  it("is opened only by a command that reads it", async () => {
    const reads: string[] = [];
    const runWatched = async (args: string[], input?: string): Promise<number> => {
      const result = await runInProcess(args, { input, onStdinRead: () => reads.push(args.join(" ")) });
      return result.code;
    };
    expect(await runWatched(["validate", "fixtures/user.created.json"])).toBe(0);
    expect(await runWatched(["send", "user.created", "--dry-run"])).toBe(0);
    expect(await runWatched(["drift", "fixtures/user.created.json"])).toBe(0);
    const fixtureDir = mkdtempSync(join(dir, "fixtures-"));
    expect(await runWatched(["fixtures", "import", "fixtures/user.created.json", "--dir", fixtureDir])).toBe(0);
    expect(reads).toEqual([]);
    // The control: "-" does read it.
    expect(await runWatched(["validate", "-"], readFileSync(join(ROOT, "fixtures", "user.created.json"), "utf8"))).toBe(0);
    expect([...new Set(reads)]).toEqual(["validate -"]);
  });
});

describe("standard output and error", () => {
  const STREAM_LOG = fileURLToPath(new URL("../helpers/stream-log.cjs", import.meta.url));
  /** Which of Node's stdout and stderr streams `wtbhook <args>` opened, and what it wrote. */
  function streamsOpened(
    args: string[],
    stdout: "pipe" | "ignore" | number = "pipe",
  ): { opened: string[]; status: number | null; stdout: string; stderr: string } {
    const { lines, status, ...output } = runLogged(["--require", STREAM_LOG], "STREAM_LOG_FILE", args, { stdout });
    return { opened: lines.sort(), status, ...output };
  }

  it("are written directly when they are pipes, files or the null device: Node's streams are never opened", () => {
    const valid = streamsOpened(["validate", "fixtures/user.created.json"]);
    expect(valid).toMatchObject({ opened: [], status: 0 });
    expect(valid.stdout).toMatch(/^✓ fixtures\/user\.created\.json {2}1 event\n/);
    expect(streamsOpened(["__complete", "send", "--sc"])).toMatchObject({ opened: [], status: 0, stdout: "--scenario\n" });
    const failed = streamsOpened(["validate", "no-such-file.json"]);
    expect(failed).toMatchObject({ opened: [], status: 2 });
    expect(failed.stderr).toMatch(/^✖ .*no-such-file\.json/);

    const file = join(dir, "out.txt");
    const fd = openSync(file, "w");
    try {
      expect(streamsOpened(["validate", "fixtures/user.created.json"], fd)).toMatchObject({ opened: [], status: 0 });
    } finally {
      closeSync(fd);
    }
    const withoutTime = (text: string): string => text.replace(/\(\d+ ms\)/, "");
    expect(withoutTime(readFileSync(file, "utf8"))).toBe(withoutTime(valid.stdout));
    expect(streamsOpened(["validate", "fixtures/user.created.json"], "ignore")).toMatchObject({ opened: [], status: 0 });
  });

  it("move to Node's stream, losing nothing, for a long output", () => {
    const events = join(dir, "many.ndjson");
    writeFileSync(
      events,
      readFileSync(join(ROOT, "fixtures", "user.created.json"), "utf8")
        .replace(/\n\s*/g, "")
        .concat("\n")
        .repeat(3000),
    );
    const file = join(dir, "junit.xml");
    const fd = openSync(file, "w");
    let toFile;
    try {
      toFile = streamsOpened(["validate", events, "--format", "junit"], fd);
    } finally {
      closeSync(fd);
    }
    const piped = streamsOpened(["validate", events, "--format", "junit"]);
    const withoutTimes = (xml: string): string => xml.replace(/ time="[\d.]+"/g, "");
    expect(piped.stdout.length).toBeGreaterThan(256 * 1024);
    for (const run of [piped, toFile]) expect(run).toMatchObject({ opened: ["stdout"], status: 0 });
    expect(withoutTimes(readFileSync(file, "utf8"))).toBe(withoutTimes(piped.stdout));
    expect(piped.stdout).toMatch(/<testsuites name="wtbhook validate" tests="3000" failures="0"/);
    expect(piped.stdout.trimEnd()).toMatch(/<\/testsuites>$/);
  });

  it("move to Node's stream, losing nothing, when a non-blocking pipe is full", () => {
    // A pipe that another program made non-blocking (Node does that to its own stdout) and filled:
    // a process started from a shell (not by Node, which makes it blocking again) shares both. The
    // shell's pipe has no reader until wtbhook has opened its stream (the log says so), so it stays
    // full however busy the machine is.
    const log = join(dir, "non-blocking.log");
    const out = join(dir, "non-blocking.out");
    writeFileSync(log, "");
    const fill = [
      "const fs = require('node:fs');",
      "process.stdout;",
      "let filled = 0;",
      "for (const size of [4096, 256, 16, 1]) {",
      "  for (;;) { try { filled += fs.writeSync(1, Buffer.alloc(size, 46)); } catch (error) { if (error.code === 'EAGAIN') break; throw error; } }",
      "}",
      "fs.writeFileSync(process.env.STREAM_LOG_FILE + '.filled', String(filled));",
      "const run = require('node:child_process').spawnSync('/bin/sh', ['-c', 'exec \"$0\" \"$@\" 1>&3 3>&-', ...process.argv.slice(1)],",
      "  { stdio: ['ignore', 'ignore', 'inherit', 1] });",
      "process.exitCode = run.status ?? 1;",
    ].join("\n");
    const quote = (word: string): string => `'${word.replaceAll("'", `'\\''`)}'`;
    const writer = [process.execPath, "-e", fill, process.execPath, "--require", STREAM_LOG, BIN, "validate", "fixtures/user.created.json"];
    // The reader waits for the log (at most 15 s), then reads everything.
    const reader = `i=0; until grep -q stdout ${quote(log)} || [ $i -ge 300 ]; do sleep 0.05; i=$((i+1)); done; cat > ${quote(out)}`;
    const status = join(dir, "non-blocking.status");
    const result = spawnSync("/bin/sh", ["-c", `{ ${writer.map(quote).join(" ")}; echo $? > ${quote(status)}; } | { ${reader}; }`], {
      cwd: ROOT,
      env: cliEnv({ STREAM_LOG_FILE: log }),
      encoding: "utf8",
    });

    expect(result.status, result.stderr).toBe(0);
    expect(readFileSync(status, "utf8").trim()).toBe("0");
    expect(readFileSync(log, "utf8").split("\n").filter(Boolean)).toEqual(["stdout"]);
    const output = readFileSync(out, "utf8");
    const filled = Number(readFileSync(`${log}.filled`, "utf8"));
    expect(filled).toBeGreaterThan(0);
    expect(output.slice(0, filled)).toBe(".".repeat(filled));
    expect(output.slice(filled)).toMatch(
      /^✓ fixtures\/user\.created\.json {2}1 event\n\n1 file, 1 event: 1 valid, 0 invalid \(\d+ ms\)\n$/,
    );
  });

  it("are Node's streams for listen, which must go on answering while a reader is slow", async () => {
    const log = join(dir, "listen.log");
    writeFileSync(log, "");
    const child = spawn(process.execPath, ["--require", STREAM_LOG, BIN, "listen", "-p", "0"], {
      cwd: ROOT,
      env: cliEnv({ STREAM_LOG_FILE: log }),
      stdio: ["ignore", "pipe", "pipe"],
    });
    const closed = new Promise<void>((resolve) => child.on("close", () => resolve()));
    let stderr = "";
    const ready = new Promise<void>((resolve) =>
      child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
        stderr += chunk;
        if (stderr.includes("Ready!")) resolve();
      }),
    );
    await Promise.race([ready, closed]);
    expect(stderr).toContain("Ready!");
    child.kill("SIGTERM");
    await closed;
    expect(readFileSync(log, "utf8").split("\n")).toContain("stderr");
  });

  it("are Node's streams on a terminal", async () => {
    const log = join(dir, "terminal.log");
    writeFileSync(log, "");
    const terminal = runInTerminal(
      `STREAM_LOG_FILE=${log} ${process.execPath} --require ${STREAM_LOG} ${BIN} validate fixtures/user.created.json`,
      100,
    );
    try {
      await terminal.ended;
      expect((await terminal.screen()).join("\n")).toContain("✓ fixtures/user.created.json");
      // stderr too: whether it is a terminal decides the colours of what goes there.
      expect(readFileSync(log, "utf8").split("\n").filter(Boolean).sort()).toEqual(["stderr", "stdout"]);
    } finally {
      terminal.close();
    }
  });
});

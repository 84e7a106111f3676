// The config file and the WTBHOOK_* environment through the real program (run() in-process):
// discovery, precedence, relative paths, errors, `wtbhook config` and the help's current values.
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { afterEach, beforeEach, describe, expect, it } from "vitest";

import { runInProcess } from "../helpers/run-in-process.js";

let root: string;
let sub: string;

beforeEach(() => {
  root = realpathSync(mkdtempSync(join(tmpdir(), "wtbhook-config-")));
  sub = join(root, "app", "src");
  mkdirSync(sub, { recursive: true });
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

function wtbhook(args: string[], options: { cwd?: string; env?: Record<string, string> } = {}) {
  return runInProcess(args, { program: "src", cwd: options.cwd ?? sub, env: { NO_COLOR: "1", ...options.env } });
}

function writeConfig(dir: string, config: unknown, name = "wtbhook.config.json"): string {
  const path = join(dir, name);
  writeFileSync(path, typeof config === "string" ? config : `${JSON.stringify(config, null, 2)}\n`);
  return path;
}

/** The target of a dry run: its first line is "POST <url>". */
async function dryRunTarget(args: string[] = [], options: Parameters<typeof wtbhook>[1] = {}): Promise<string> {
  const result = await wtbhook(["send", "user.created", "--dry-run", ...args], options);
  expect(result.stderr).not.toContain("✖");
  expect(result.code).toBe(0);
  return result.stdout.split("\n")[0]!;
}

describe("finding the config file", () => {
  it("uses wtbhook.config.json in the current folder or the nearest parent", async () => {
    writeConfig(root, { send: { to: "http://root.example/hook" } });
    expect(await dryRunTarget()).toBe("POST http://root.example/hook");
    writeConfig(join(root, "app"), { send: { to: "http://app.example/hook" } });
    expect(await dryRunTarget()).toBe("POST http://app.example/hook");
    writeConfig(sub, { send: { to: "http://here.example/hook" } });
    expect(await dryRunTarget()).toBe("POST http://here.example/hook");
  });

  it("uses the file named by --config (before or after the command's flags) or WTBHOOK_CONFIG instead", async () => {
    writeConfig(sub, { send: { to: "http://found.example/hook" } });
    writeConfig(root, { send: { to: "http://named.example/hook" } }, "ci.json");
    expect(await dryRunTarget(["--config", "../../ci.json"])).toBe("POST http://named.example/hook");
    expect(await dryRunTarget([], { env: { WTBHOOK_CONFIG: join(root, "ci.json") } })).toBe("POST http://named.example/hook");
    const before = await wtbhook(["--config", join(root, "ci.json"), "send", "user.created", "--dry-run"]);
    expect(before.stdout.split("\n")[0]).toBe("POST http://named.example/hook");
  });

  it("refuses a --config or WTBHOOK_CONFIG file that does not exist (exit 2)", async () => {
    const flag = await wtbhook(["send", "user.created", "--dry-run", "--config", "nope.json"]);
    expect([flag.code, flag.stderr]).toEqual([2, "✖ --config nope.json: no such file\n"]);
    const env = await wtbhook(["send", "user.created", "--dry-run"], { env: { WTBHOOK_CONFIG: "gone.json" } });
    expect([env.code, env.stderr]).toEqual([2, "✖ WTBHOOK_CONFIG gone.json: no such file\n"]);
  });
});

describe("precedence", () => {
  it("takes the flag, then WTBHOOK_<FLAG>, then the command's section, then the top of the file, then the default", async () => {
    writeConfig(sub, { to: "http://top.example/", send: { to: "http://section.example/" }, check: {} });
    const env = { WTBHOOK_TO: "http://env.example/" };
    expect(await dryRunTarget(["--to", "http://flag.example/"], { env })).toBe("POST http://flag.example/");
    expect(await dryRunTarget([], { env })).toBe("POST http://env.example/");
    expect(await dryRunTarget()).toBe("POST http://section.example/");
    writeConfig(sub, { to: "http://top.example/" });
    expect(await dryRunTarget()).toBe("POST http://top.example/");
    writeConfig(sub, {});
    expect(await dryRunTarget()).toBe("POST http://your-endpoint.example/webhooks");
  });

  it("turns switches on and off from the environment and the file", async () => {
    writeConfig(sub, { send: { json: true } });
    const json = await wtbhook(["send", "user.created", "--dry-run"]);
    expect(JSON.parse(json.stdout.split("\n")[0]!)).toMatchObject({ method: "POST" });
    const off = await wtbhook(["send", "user.created", "--dry-run"], { env: { WTBHOOK_JSON: "0" } });
    expect(off.stdout.split("\n")[0]).toBe("POST http://your-endpoint.example/webhooks");
  });
});

describe("paths in the config file", () => {
  it("are relative to the file, not to the current folder", async () => {
    mkdirSync(join(root, "events"));
    writeFileSync(join(root, "events", "mine.json"), '{"object":"event","id":7,"type":"user.created","marker":"from-the-file"}');
    writeConfig(root, { send: { data: "events/mine.json", validate: false } });
    const result = await wtbhook(["send", "--dry-run"]);
    expect(result.stderr).not.toContain("✖");
    expect(result.stdout).toContain('"marker":"from-the-file"');
    // The same name given on the command line is relative to the current folder.
    const flag = await wtbhook(["send", "--dry-run", "--data", "events/mine.json"]);
    expect([flag.code, flag.stderr]).toEqual([2, expect.stringContaining("events/mine.json")]);
  });
});

describe("mistakes", () => {
  it("names the file, the key and the line of an unknown key or a wrong type (exit 2, no command run)", async () => {
    writeConfig(sub, '{\n  "send": {\n    "tto": "http://x/"\n  }\n}\n');
    const unknown = await wtbhook(["send", "user.created", "--dry-run"]);
    expect(unknown.code).toBe(2);
    expect(unknown.stdout).toBe("");
    expect(unknown.stderr.split("\n")[0]).toBe('✖ wtbhook.config.json:3: unknown setting "send.tto"');
    expect(unknown.stderr.split("\n")[1]).toMatch(/^ {2}Did you mean "to"\? The settings of send: to, all, data, /);
    // fixtures is a command and a setting shared by several: the top's keys name it once.
    writeConfig(sub, '{\n  "fixturs": "./mine"\n}\n');
    const top = await wtbhook(["send", "user.created", "--dry-run"]);
    expect(top.stderr.split("\n")[0]).toBe('✖ wtbhook.config.json:2: unknown setting "fixturs"');
    expect(top.stderr.match(/\bfixtures\b/g)).toHaveLength(2);
    writeConfig(root, '{\n  "listen": { "json": "yes" }\n}\n');
    rmSync(join(sub, "wtbhook.config.json"));
    const wrongType = await wtbhook(["listen"]);
    expect([wrongType.code, wrongType.stderr]).toEqual([
      2,
      `✖ ${join(root, "wtbhook.config.json")}:2: "listen.json" must be true or false (--json); got "yes"\n`,
    ]);
  });

  it("says where a value the command refuses came from", async () => {
    writeConfig(sub, { send: { timeout: "soon" } });
    const result = await wtbhook(["send", "user.created", "--dry-run"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('✖ --timeout takes a duration such as 500ms, 2s, 1m or 1h; got "soon"\n');
    expect(result.stderr).toContain('  (that value came from "send.timeout" in wtbhook.config.json:3)\n');
    const env = await wtbhook(["send", "user.created", "--dry-run"], { cwd: root, env: { WTBHOOK_REPEAT: "many" } });
    expect(env.stderr).toContain("  (that value came from WTBHOOK_REPEAT)\n");
  });

  it("refuses a WTBHOOK_* switch that is neither true nor false", async () => {
    const result = await wtbhook(["send", "user.created", "--dry-run"], { env: { WTBHOOK_JSON: "sure" } });
    expect([result.code, result.stderr]).toEqual([2, '✖ WTBHOOK_JSON="sure": expected true or false (1/0, yes/no, on/off)\n']);
  });
});

describe("wtbhook config", () => {
  it("prints the file and every setting that does not have its default, with where it came from", async () => {
    writeConfig(root, { listen: { port: 4011, record: "events.ndjson" }, insecure: true });
    const result = await wtbhook(["config"], { env: { WTBHOOK_TO: "http://me:secret@localhost:3000/hook" } });
    expect(result.code).toBe(0);
    const file = join(root, "wtbhook.config.json");
    const record = join(root, "events.ndjson");
    const url = "http://me:***@localhost:3000/hook";
    // The values' column is as wide as the widest value of the command (up to 40).
    const row = (flag: string, value: string, source: string, width: number): string =>
      `  ${flag.padEnd(10)}  ${value.padEnd(width)}  ${source}`;
    const listenWidth = Math.min(40, record.length);
    expect(result.stdout).toBe(
      [
        `Config file: ${file}`,
        "",
        "listen",
        row("--port", "4011", `file ${file}:3 listen.port`, listenWidth),
        row("--insecure", "true", `file ${file}:6 insecure`, listenWidth),
        row("--record", record, `file ${file}:4 listen.record`, listenWidth),
        "",
        "inspect",
        row("--to", url, "env WTBHOOK_TO", url.length),
        row("--insecure", "true", `file ${file}:6 insecure`, url.length),
        "",
        "send",
        row("--to", url, "env WTBHOOK_TO", url.length),
        row("--insecure", "true", `file ${file}:6 insecure`, url.length),
        "",
        "check",
        row("--to", url, "env WTBHOOK_TO", url.length),
        row("--insecure", "true", `file ${file}:6 insecure`, url.length),
        "",
      ].join("\n"),
    );
  });

  it("prints all of one command's settings, flags given after it included", async () => {
    const result = await wtbhook(["config", "check", "--burst", "5", "--only", "duplicate"], { env: { WTBHOOK_SLOW: "1s" } });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("Config file: none (no wtbhook.config.json in");
    expect(result.stdout).toMatch(/\n {2}--only +duplicate +flag\n/);
    expect(result.stdout).toMatch(/\n {2}--slow +1s +env WTBHOOK_SLOW\n/);
    expect(result.stdout).toMatch(/\n {2}--burst +5 +flag\n/);
    expect(result.stdout).toMatch(/\n {2}--timeout +10s +default\n/);
    expect(result.stdout).toMatch(/\n {2}--insecure +false +default\n/);
    const bad = await wtbhook(["config", "check", "--bust", "5"]);
    expect([bad.code, bad.stderr]).toEqual([2, "✖ check: unknown option '--bust'\n"]);
  });

  it("shows a --no-x switch as it reads: --no-validate is true when validate is false, with the setting as the file or variable names it", async () => {
    writeConfig(sub, { send: { validate: false } });
    const fromFile = await wtbhook(["config", "send"]);
    expect(fromFile.stdout).toMatch(/\n {2}--no-validate +true \(validate: false\) +file wtbhook\.config\.json:3 send\.validate\n/);
    const fromFlag = await wtbhook(["config", "send", "--no-validate"], { cwd: root });
    expect(fromFlag.stdout).toMatch(/\n {2}--no-validate +true +flag\n/);
    const fromEnv = await wtbhook(["config", "listen"], { cwd: root, env: { WTBHOOK_UI: "off" } });
    expect(fromEnv.stdout).toMatch(/\n {2}--no-ui +true \(ui: false\) +env WTBHOOK_UI\n/);
    const byDefault = await wtbhook(["config", "listen"], { cwd: root });
    expect(byDefault.stdout).toMatch(/\n {2}--no-ui +false +default\n/);
  });

  it("names the WTBHOOK_* variables that nothing reads, with the one probably meant", async () => {
    const env = {
      WTBHOOK_TOO: "http://localhost:3000/",
      WTBHOOK_NO_UI: "1",
      WTBHOOK_ZZZZZZZZ: "1",
      WTBHOOK_DEBUG: "1",
      WTBHOOK_PORT: "4011",
    };
    const result = await wtbhook(["config"], { cwd: root, env });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/\n {2}--port +4011 +env WTBHOOK_PORT\n/);
    expect(result.stdout.split("\n").filter((line) => line.startsWith("!"))).toEqual([
      "! WTBHOOK_NO_UI is not a setting of any command and is ignored (did you mean WTBHOOK_UI=false?)",
      "! WTBHOOK_TOO is not a setting of any command and is ignored (did you mean WTBHOOK_TO?)",
      "! WTBHOOK_ZZZZZZZZ is not a setting of any command and is ignored",
    ]);
  });

  it("hides tokens", async () => {
    const result = await wtbhook(["config", "listen"], { env: { WTBHOOK_NGROK_AUTHTOKEN: "s3cr3t" } });
    expect(result.stdout).toMatch(/--ngrok-authtoken +\(hidden\) +env WTBHOOK_NGROK_AUTHTOKEN/);
    expect(result.stdout).not.toContain("s3cr3t");
  });
});

describe("--help", () => {
  it("shows a flag's current value when the environment or the config file sets it", async () => {
    writeConfig(sub, { listen: { forwardTo: "http://localhost:3000/webhooks" } });
    const result = await wtbhook(["listen", "--help"], { env: { WTBHOOK_PORT: "4999" } });
    const help = result.stdout.replace(/\s+/g, " ");
    expect(help).toContain('(default: "4010") (now: "4999" from WTBHOOK_PORT)');
    expect(help).toContain('(now: "http://localhost:3000/webhooks" from "listen.forwardTo" in wtbhook.config.json:3)');
    const negated = await wtbhook(["send", "--help"], { cwd: root, env: { WTBHOOK_VALIDATE: "false" } });
    expect(negated.stdout.replace(/\s+/g, " ")).toContain("(now: true from WTBHOOK_VALIDATE, which sets validate to false)");
    const plain = await wtbhook(["listen", "--help"], { cwd: root });
    expect(plain.stdout).not.toContain("(now:");
  });
});

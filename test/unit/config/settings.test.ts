import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

import { describe, expect, it } from "vitest";

import { parseConfigFile } from "../../../src/config/file.js";
import { describeSource, OTHER_VARIABLES, resolveSettings, unknownVariables, type Setting } from "../../../src/config/settings.js";
import { allCommands, envName, settingFlags, type CommandSpec } from "../../../src/config/spec.js";
import { programSpec } from "../../../scripts/generate-config-schema.js";
import { usageMessage } from "../../helpers/usage-error.js";

const PROGRAM = programSpec();
const command = (name: string): CommandSpec => allCommands(PROGRAM).find((candidate) => candidate.path.join(" ") === name)!;
const FILE = parseConfigFile(
  Buffer.from(JSON.stringify({ send: { timeout: "5s", to: "http://file/" }, to: "http://top/", insecure: true }, null, 1)),
  "/p/wtbhook.config.json",
  "wtbhook.config.json",
  PROGRAM,
);

function pick(settings: Setting[], key: string): [unknown, string] {
  const setting = settings.find((candidate) => candidate.flag.key === key)!;
  return [setting.value, describeSource(setting)];
}

describe("settings: flag, then environment, then config file, then default", () => {
  it.each([
    ["the flag", new Map([["to", "http://flag/"]]), { WTBHOOK_TO: "http://env/" }, ["http://flag/", "--to"]],
    ["the environment", new Map(), { WTBHOOK_TO: "http://env/" }, ["http://env/", "WTBHOOK_TO"]],
    ["the command's section", new Map(), {}, ["http://file/", '"send.to" in /p/wtbhook.config.json:4']],
    ["the file when the variable is empty", new Map(), { WTBHOOK_TO: "" }, ["http://file/", '"send.to" in /p/wtbhook.config.json:4']],
  ])("--to comes from %s", (_name, given, env, expected) => {
    expect(pick(resolveSettings(command("send"), given, env, FILE), "to")).toEqual(expected);
  });

  it("takes a shared setting from the top where the command's section has none, else the default", () => {
    const check = resolveSettings(command("check"), new Map(), {}, FILE);
    expect(pick(check, "to")).toEqual(["http://top/", '"to" in /p/wtbhook.config.json:6']);
    expect(pick(check, "insecure")).toEqual([true, '"insecure" in /p/wtbhook.config.json:7']);
    expect(pick(check, "timeout")).toEqual(["10s", "default"]);
    expect(pick(resolveSettings(command("send"), new Map(), {}, FILE), "timeout")).toEqual([
      "5s",
      '"send.timeout" in /p/wtbhook.config.json:3',
    ]);
    expect(pick(resolveSettings(command("send"), new Map(), {}, undefined), "timeout")).toEqual(["30s", "default"]);
  });

  it("names every variable WTBHOOK_ and the flag in capitals", () => {
    expect(envName("forwardTo")).toBe("WTBHOOK_FORWARD_TO");
    expect(envName("port")).toBe("WTBHOOK_PORT");
    expect(envName("ngrokAuthtoken")).toBe("WTBHOOK_NGROK_AUTHTOKEN");
  });

  it.each([
    ["1", true],
    ["true", true],
    ["YES", true],
    ["on", true],
    ["0", false],
    ["false", false],
    ["no", false],
  ])("reads the switch WTBHOOK_JSON=%s as %s", (text, value) => {
    expect(pick(resolveSettings(command("listen"), new Map(), { WTBHOOK_JSON: text }, undefined), "json")).toEqual([value, "WTBHOOK_JSON"]);
  });

  it("turns --no-validate's setting off with WTBHOOK_VALIDATE=false, and a repeatable flag's variable into one value", () => {
    const send = resolveSettings(command("send"), new Map(), { WTBHOOK_VALIDATE: "false", WTBHOOK_HEADER: "X-A: 1" }, undefined);
    expect(pick(send, "validate")).toEqual([false, "WTBHOOK_VALIDATE"]);
    expect(pick(send, "header")).toEqual([["X-A: 1"], "WTBHOOK_HEADER"]);
    expect(pick(resolveSettings(command("send"), new Map(), {}, undefined), "validate")).toEqual([true, "default"]);
  });

  it.each([
    ["listen", { WTBHOOK_JSON: "maybe" }, 'WTBHOOK_JSON="maybe": expected true or false (1/0, yes/no, on/off)'],
    ["validate", { WTBHOOK_FORMAT: "xml" }, 'WTBHOOK_FORMAT="xml": expected one of text, json, github, junit'],
  ])("refuses a value %s cannot take, naming the variable", (name, env, message) => {
    expect(usageMessage(() => resolveSettings(command(name), new Map(), env, undefined))).toBe(message);
  });
});

describe("WTBHOOK_* variables that are not settings", () => {
  it("are every one the sources read besides the settings' own", () => {
    const src = join(import.meta.dirname, "..", "..", "..", "src");
    const files = readdirSync(src, { recursive: true, encoding: "utf8" }).filter((file) => file.endsWith(".ts"));
    const named = new Set(files.flatMap((file) => readFileSync(join(src, file), "utf8").match(/\bWTBHOOK_[A-Z][A-Z_]*[A-Z]\b/g) ?? []));
    const settings = new Set(allCommands(PROGRAM).flatMap((command) => settingFlags(command).map((flag) => envName(flag.key))));
    const others = [...named].filter((name) => !settings.has(name)).sort();
    expect(others).toEqual([...OTHER_VARIABLES].sort());
  });

  it("are found in an environment, with the variable probably meant", () => {
    const env = {
      WTBHOOK_TO: "x",
      WTBHOOK_CONFIG: "c.json",
      WTBHOOK_TOO: "x",
      WTBHOOK_NO_VALIDATE: "1",
      WTBHOOK_NOPE_NOPE_NOPE: "1",
      PATH: "/bin",
    };
    expect(unknownVariables(PROGRAM, env)).toEqual([
      { name: "WTBHOOK_NOPE_NOPE_NOPE", meant: undefined },
      { name: "WTBHOOK_NO_VALIDATE", meant: "WTBHOOK_VALIDATE=false" },
      { name: "WTBHOOK_TOO", meant: "WTBHOOK_TO" },
    ]);
  });
});

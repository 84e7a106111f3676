// Which commands the program builds for a run: the one being run alone, or all where the run needs
// them (the program's help, `help`, `config`, a misspelt command, completing a command's name).
import { describe, expect, it } from "vitest";

import { commandToRun, createProgram } from "../../../src/cli.js";
import type { CliContext } from "../../../src/context.js";
import { plainStyle } from "../../../src/format/style.js";

const ctx: CliContext = {
  version: "0.0.0",
  env: {},
  cwd: process.cwd(),
  stdin: process.stdin,
  stdout: { write: () => true },
  stderr: { write: () => true },
  style: { out: plainStyle, err: plainStyle },
  signal: new AbortController().signal,
  exitWhenDone: () => undefined,
  setExitCode: () => undefined,
  sourceOf: (key) => `--${key}`,
};

describe("commandToRun", () => {
  it("names the command after the program's own options", () => {
    expect(commandToRun(["validate", "x.json"])).toBe("validate");
    expect(commandToRun(["send", "--help"])).toBe("send");
    expect(commandToRun(["--config", "my.json", "listen", "--port", "0"])).toBe("listen");
    expect(commandToRun(["--config=my.json", "check"])).toBe("check");
  });

  it("is undefined where the run needs every command", () => {
    for (const argv of [
      [],
      ["--help"],
      ["-V"],
      ["help", "send"],
      ["config", "send"],
      ["valdate", "x"],
      ["__complete", "se"],
      ["--config", "my.json"],
    ]) {
      expect(commandToRun(argv), argv.join(" ")).toBeUndefined();
    }
  });
});

describe("createProgram", () => {
  const names = (only?: string): string[] => createProgram(ctx, only).commands.map((command) => command.name());

  it("builds one command when told which", () => {
    expect(names("validate")).toEqual(["validate"]);
    expect(createProgram(ctx, "fixtures").commands[0]!.commands.map((command) => command.name())).toEqual(["import"]);
  });

  it("builds every command otherwise, in the help's order", () => {
    expect(names()).toEqual([
      "listen",
      "inspect",
      "send",
      "validate",
      "check",
      "drift",
      "schemas",
      "fixtures",
      "config",
      "completion",
      "help",
    ]);
  });
});

// Which commands the program builds for a run, and how much of each: the one being run alone and
// whole; every one from its entry for the program's help, `help`, a misspelt command and completing
// a command's name; every one whole for `config` and a config file's checks.
import type { Command } from "commander";
import { describe, expect, it } from "vitest";

import { commandToRun, createProgram, createWholeProgram, definitionsNeeded } from "../../../src/cli.js";
import { COMMANDS } from "../../../src/commands/command-list.js";
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
  const names = (program: Command): string[] => program.commands.map((command) => command.name());
  const EVERY = ["listen", "inspect", "send", "validate", "check", "drift", "schemas", "fixtures", "config", "completion", "help"];

  it("builds one command when told which, whole", () => {
    expect(names(createProgram(ctx, "validate"))).toEqual(["validate"]);
    const fixtures = createProgram(ctx, "fixtures").commands[0]!;
    expect(fixtures.commands.map((command) => command.name())).toEqual(["import"]);
    expect(fixtures.options.map((option) => option.long)).toContain("--fixtures");
  });

  it("builds every command otherwise, in the help's order: from their entries alone, but those it is told to define", () => {
    const entries = createProgram(ctx);
    expect(names(entries)).toEqual(EVERY);
    // An entry's command has its name, description and arguments, and no flag but --config.
    const validate = entries.commands.find((command) => command.name() === "validate")!;
    expect(validate.description()).toMatch(/^Check webhook events/);
    expect(validate.registeredArguments.map((argument) => argument.name())).toEqual(["paths"]);
    expect(validate.options.map((option) => option.long)).toEqual(["--config"]);
    expect(names(createWholeProgram(ctx))).toEqual(EVERY);
    const defined = createProgram(ctx, undefined, ["send"]);
    expect(defined.commands.find((command) => command.name() === "send")!.options.map((option) => option.long)).toContain("--to");
    expect(defined.commands.find((command) => command.name() === "validate")!.options.map((option) => option.long)).toEqual(["--config"]);
  });

  it("an entry and its registration make the command the program's help shows: the same line, from either", () => {
    const help = (program: Command): string => program.helpInformation();
    expect(help(createProgram(ctx))).toBe(help(createWholeProgram(ctx)));
  });
});

describe("definitionsNeeded", () => {
  it("is the command `help` explains, every command for config, and none for the rest", () => {
    expect(definitionsNeeded(["help", "send"])).toEqual(["send"]);
    expect(definitionsNeeded(["--config", "x.json", "help", "validate"])).toEqual(["validate"]);
    expect(definitionsNeeded(["config", "send"])).toEqual(COMMANDS.map((entry) => entry.name));
    for (const argv of [[], ["--help"], ["-V"], ["help"], ["help", "nosuch"], ["valdate", "x"]]) {
      expect(definitionsNeeded(argv), argv.join(" ")).toEqual([]);
    }
  });
});

// The program as a user meets it: help, version, unknown commands and flags, exit codes.
import { readFileSync } from "node:fs";

import { describe, expect, it } from "vitest";

import { runCli } from "../helpers/run-cli.js";

const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string };

describe("wtbhook (top level)", () => {
  it("prints help with every command and exits 0", async () => {
    const result = await runCli(["--help"]);
    expect(result.code).toBe(0);
    for (const command of ["listen", "send", "validate", "schemas", "fixtures"]) {
      expect(result.stdout).toMatch(new RegExp(`^  ${command}\\b`, "m"));
    }
    expect(result.stdout).toContain("Exit codes");
  });

  it("prints the package version", async () => {
    const result = await runCli(["--version"]);
    expect(result.code).toBe(0);
    expect(result.stdout.trim()).toBe(pkg.version);
  });

  it.each(["listen", "send", "validate", "schemas", "fixtures"])("shows help with examples for %s", async (command) => {
    const result = await runCli(["help", command]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`Usage: wtbhook ${command}`);
    expect(result.stdout).toMatch(/Examples:\n\s+\$ wtbhook /);
  });

  it("answers an unknown command with a suggestion, one line, exit 2", async () => {
    const result = await runCli(["sned"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("unknown command 'sned'");
    expect(result.stderr).toContain("send");
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it("answers help for a command that does not exist with exit 2, not the program's help", async () => {
    const result = await runCli(["help", "nosuch"]);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe("");
    expect(result.stderr).toContain("unknown command 'nosuch'");
    expect(result.stderr).toContain("The commands are listen, send, validate, check, schemas, fixtures.");
  });

  it("help alone prints the program's help and exits 0", async () => {
    const result = await runCli(["help"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("Usage: wtbhook [options] [command]");
  });

  it("no command at all is a usage error: the help on stderr, exit 2", async () => {
    const result = await runCli([]);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe("");
    expect(result.stderr).toContain("Usage: wtbhook [options] [command]");
  });

  it("answers an unknown flag with exit 2 and no stack trace", async () => {
    const result = await runCli(["validate", "--no-such-flag", "x.json"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("unknown option '--no-such-flag'");
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });
});

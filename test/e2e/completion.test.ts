// Shell completion driven through the real shells: the script `wtbhook completion <shell>` prints
// is loaded into bash, zsh or fish, which call the built program's __complete.
import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { promisify } from "node:util";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { eventTypes } from "../../src/catalog/catalog.js";
import { BIN, runCli } from "../helpers/run-cli.js";

const run = promisify(execFile);
let dir: string;
/** A folder with files to complete: the shells' own file completion runs here. */
let work: string;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "wtbhook-completion-"));
  // `wtbhook` on PATH, as after npm install -g.
  mkdirSync(join(dir, "bin"));
  symlinkSync(BIN, join(dir, "bin", "wtbhook"));
  env = { PATH: `${join(dir, "bin")}${delimiter}${process.env["PATH"] ?? ""}`, HOME: dir, NO_COLOR: "1" };
  for (const shell of ["bash", "zsh", "fish"]) {
    const result = await runCli(["completion", shell]);
    expect(result.code).toBe(0);
    writeFileSync(join(dir, `script.${shell}`), result.stdout);
  }
  work = join(dir, "work");
  mkdirSync(join(work, "recordings"), { recursive: true });
  writeFileSync(join(work, "events.ndjson"), "");
  writeFileSync(join(work, "event one.json"), "{}");
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function lines(command: string, args: string[]): Promise<string[]> {
  const { stdout } = await run(command, args, { env, cwd: work });
  return stdout.split("\n").filter((line) => line !== "");
}

/** bash: the script sourced, COMP_WORDS and COMP_CWORD set as readline sets them, COMPREPLY read. */
function bash(...words: string[]): Promise<string[]> {
  const driver = `source "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _wtbhook_complete; printf '%s\\n' "\${COMPREPLY[@]}"`;
  return lines("bash", ["--norc", "--noprofile", "-c", driver, "bash", join(dir, "script.bash"), "wtbhook", ...words]);
}

/** fish: the script sourced, then fish's own `complete -C` for the command line. */
async function fish(line: string): Promise<string[]> {
  const driver = "source $argv[1]; complete -C $argv[2]";
  const found = await lines("fish", ["--no-config", "-c", driver, join(dir, "script.fish"), `wtbhook ${line}`]);
  return found.map((entry) => entry.split("\t")[0]!);
}

/**
 * zsh outside an interactive line editor: the script's function runs with `words` and CURRENT set
 * as the completion system sets them, and compadd, _files and compdef record what they were asked.
 * `mode` is how the script is loaded: sourced, or autoloaded from $fpath as _wtbhook.
 */
function zsh(mode: "source" | "autoload", ...words: string[]): Promise<string[]> {
  const driver = [
    'compdef() { print -r -- "compdef $*" }',
    'compadd() { [[ $1 == -- ]] && shift; print -rl -- "$@" }',
    '_files() { print -r -- "_files $*" }',
    "script=$1; shift",
    'words=(wtbhook "$@"); CURRENT=$#words',
    mode === "source"
      ? 'source "$script"; _wtbhook'
      : 'mkdir -p "$HOME/fpath"; cp "$script" "$HOME/fpath/_wtbhook"; fpath=("$HOME/fpath" $fpath); autoload -Uz _wtbhook; _wtbhook',
  ].join("\n");
  return lines("zsh", ["-f", "-c", driver, "zsh", join(dir, "script.zsh"), ...words]);
}

/**
 * zsh for real: an interactive zsh in a pseudo-terminal (zsh's zpty module) with the completion
 * system (compinit) and the script loaded as `mode` says, where `line` is typed, then Tab, then
 * Ctrl+A and a `print` of the line: what comes out is the line as Tab completed it.
 */
async function zshInteractive(mode: "source" | "fpath", line: string): Promise<string> {
  const script = join(dir, "script.zsh");
  // Run by the zsh in the pseudo-terminal, as typed: $HOME and $fpath are its own.
  const setup =
    mode === "source"
      ? `autoload -Uz compinit; compinit -u -D; source '${script}'`
      : `mkdir -p $HOME/zfunc; cp '${script}' $HOME/zfunc/_wtbhook; fpath=($HOME/zfunc $fpath); autoload -Uz compinit; compinit -u -D`;
  const driver = `
zmodload zsh/zpty
zpty z zsh -f -i
zpty -w z "bindkey -e; $1"
# R$((1))S prints as R1S: the marker is found in the output, never in the echo of the typed line.
zpty -w -n z "$2"$'\\t\\x01print -r -- R$((1))S \\n'
zpty -r z out '*R1S *'$'\\n'
print -r -- "\${\${out##*R1S }%%$'\\r'*}"
zpty -d z`;
  const { stdout } = await run("zsh", ["-f", "-c", driver, "zsh", setup, line], { env, cwd: work, timeout: 15_000 });
  return stdout.trimEnd();
}

const TYPES = [...eventTypes()].sort();

describe("bash", () => {
  it("completes commands, flags, event types, check ids and formats", async () => {
    expect(await bash("")).toEqual([
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
    expect(await bash("send", "--t")).toEqual(["--to", "--type", "--timeout"]);
    expect(await bash("send", "user.")).toEqual(TYPES.filter((type) => type.startsWith("user.")));
    expect(await bash("check", "--only", "all-types,du")).toEqual(["all-types,duplicate"]);
    expect(await bash("validate", "--format", "g")).toEqual(["github"]);
    expect(await bash("send", "--scenario", "f")).toEqual(["forum"]);
  });

  it("completes --type=… as bash splits it, at the = and after it", async () => {
    expect(await bash("send", "--type", "=", "post.cr")).toEqual(["post.created"]);
    expect(await bash("send", "--type", "=")).toEqual(TYPES);
  });

  it("leaves file names to bash's own completion, spaces and folders included", async () => {
    expect((await bash("validate", "ev")).sort()).toEqual(["event one.json", "events.ndjson"]);
    expect(await bash("listen", "--record", "rec")).toEqual(["recordings"]);
    expect(await bash("schemas", "--out", "")).toEqual(["recordings"]);
  });
});

describe("zsh", () => {
  it("registers itself with compdef when sourced, and adds the candidates", async () => {
    expect(await zsh("source", "send", "--type", "user.cr")).toEqual(["compdef _wtbhook wtbhook", "user.created"]);
    expect(await zsh("source", "check", "--skip", "")).toContain("hostile-content");
  });

  it("runs as an autoloaded completion function from $fpath", async () => {
    expect(await zsh("autoload", "")).toEqual([
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
    expect(await zsh("autoload", "listen", "--for")).toEqual(["--forward-to", "--forward-timeout"]);
  });

  it("hands file and folder names to _files", async () => {
    expect(await zsh("autoload", "validate", "")).toEqual(["_files "]);
    expect(await zsh("autoload", "schemas", "--out", "")).toEqual(["_files -/"]);
  });
});

describe("zsh, interactive", () => {
  it("completes through the real completion system, the script sourced or found in $fpath", async () => {
    expect(await zshInteractive("source", "wtbhook send --type user.cr")).toBe("wtbhook send --type user.created");
    expect(await zshInteractive("fpath", "wtbhook check --only all-types,dup")).toBe("wtbhook check --only all-types,duplicate");
    expect(await zshInteractive("fpath", "wtbhook listen --forward-ti")).toBe("wtbhook listen --forward-timeout");
    expect(await zshInteractive("source", "wtbhook validate events.")).toBe("wtbhook validate events.ndjson");
  });
});

describe("fish", () => {
  it("completes commands, flags, event types and check ids", async () => {
    expect(await fish("sch")).toEqual(["schemas"]);
    // fish sorts the candidates itself.
    expect(await fish("listen --forward-")).toEqual(["--forward-timeout", "--forward-to"]);
    expect(await fish("fixtures topic.")).toEqual(TYPES.filter((type) => type.startsWith("topic.")));
    expect(await fish("check --only ")).toContain("no-redirect");
  });

  it("leaves file names to fish's own path completion", async () => {
    expect((await fish("validate ev")).sort()).toEqual(["event one.json", "events.ndjson"]);
    expect(await fish("send --data rec")).toEqual(["recordings/"]);
  });
});

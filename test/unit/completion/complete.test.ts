import { describe, expect, it } from "vitest";

import { eventTypes } from "../../../src/catalog/catalog.js";
import { CHECK_IDS } from "../../../src/check/check-ids.js";
import { complete, DIRS, FILES } from "../../../src/completion/complete.js";
import { scenarioNames } from "../../../src/delivery/scenarios.js";
import { programSpec } from "../../../scripts/generate-config-schema.js";

const PROGRAM = programSpec();
const words = (line: string): string[] => line.split(" ");
const TYPES = [...eventTypes()].sort();

describe("__complete", () => {
  it("offers every visible command, and those that start with the word", () => {
    expect(complete(PROGRAM, [""])).toEqual([
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
    expect(complete(PROGRAM, ["s"])).toEqual(["send", "schemas"]);
    expect(complete(PROGRAM, ["__"])).toEqual([]);
  });

  it.each([
    ["send --t", ["--to", "--type", "--timeout"]],
    ["listen --for", ["--forward-to", "--forward-timeout"]],
    ["validate --f", ["--format"]],
    ["listen --json --j", []],
    ["send -H a --he", ["--header", "--help"]],
    ["--v", ["--version"]],
    ["completion --", ["--help"]],
  ])("offers the flags of the command being typed: %s", (line, expected) => {
    expect(complete(PROGRAM, words(line))).toEqual(expected);
  });

  it("offers event types where a flag or argument takes one", () => {
    expect(complete(PROGRAM, words("send "))).toEqual(TYPES);
    expect(complete(PROGRAM, words("send user.created po"))).toEqual(TYPES.filter((type) => type.startsWith("po")));
    expect(complete(PROGRAM, words("send --from rec.ndjson --type user.c"))).toEqual(["user.created"]);
    expect(complete(PROGRAM, words("validate -t topic.d"))).toEqual(["topic.deleted"]);
    expect(complete(PROGRAM, words("schemas con"))).toEqual(["conversation.created"]);
    expect(complete(PROGRAM, words("fixtures mess"))).toEqual(["message.created"]);
    expect(complete(PROGRAM, words("listen --events user.*,post.c"))).toEqual(["user.*,post.created"]);
    expect(eventTypes().length).toBeGreaterThan(10);
  });

  it("offers check ids, each once, after the commas of --only and --skip", () => {
    expect(complete(PROGRAM, words("check --only "))).toEqual([...CHECK_IDS]);
    expect(complete(PROGRAM, words("check --skip all-types,d"))).toEqual(["all-types,duplicate"]);
    expect(complete(PROGRAM, words("check --only duplicate,du"))).toEqual([]);
  });

  it("offers scenario names, list and file names for --scenario", () => {
    expect(complete(PROGRAM, words("send --scenario "))).toEqual([...scenarioNames(), "list", FILES]);
    expect(complete(PROGRAM, words("send --scenario fo"))).toEqual(["forum", FILES]);
  });

  it("offers the formats, the shells and the commands where a flag or argument has a fixed set", () => {
    expect(complete(PROGRAM, words("validate --format "))).toEqual(["text", "json", "github", "junit"]);
    expect(complete(PROGRAM, words("check -f j"))).toEqual(["json", "junit"]);
    expect(complete(PROGRAM, words("completion "))).toEqual(["bash", "zsh", "fish"]);
    expect(complete(PROGRAM, words("help li"))).toEqual(["listen"]);
    expect(complete(PROGRAM, words("config se"))).toEqual(["send"]);
  });

  it("offers config the commands that have settings, then completes the rest as that command would", () => {
    expect(complete(PROGRAM, words("config "))).toEqual(["listen", "inspect", "send", "validate", "check", "drift", "schemas", "fixtures"]);
    expect(complete(PROGRAM, words("config c"))).toEqual(["check"]);
    expect(complete(PROGRAM, words("config send --t"))).toEqual(complete(PROGRAM, words("send --t")));
    expect(complete(PROGRAM, words("config send --type us"))).toEqual(TYPES.filter((type) => type.startsWith("us")));
    expect(complete(PROGRAM, words("config fixtures import --d"))).toEqual(["--dir"]);
    // help explains every command, those without settings too.
    expect(complete(PROGRAM, words("help c"))).toEqual(["check", "config", "completion"]);
  });

  it("asks the shell for file names where a flag or argument takes a file, and folder names for a folder", () => {
    for (const line of [
      "validate ",
      "validate a.json ",
      "send --data ",
      "send --from ",
      "listen --record ",
      "validate --schema ",
      "listen --config ",
    ]) {
      expect(complete(PROGRAM, words(line)), line).toEqual([FILES]);
    }
    expect(complete(PROGRAM, words("schemas --out "))).toEqual([DIRS]);
    expect(complete(PROGRAM, words("send --to "))).toEqual([]);
  });

  it("completes --flag=value as one word, and bash's --flag = value as three", () => {
    expect(complete(PROGRAM, words("send --type=user.cr"))).toEqual(["--type=user.created"]);
    expect(complete(PROGRAM, words("validate --format=g"))).toEqual(["--format=github"]);
    expect(complete(PROGRAM, ["send", "--type", "=", "user.cr"])).toEqual(["user.created"]);
    expect(complete(PROGRAM, ["send", "--type", "=", "user.created", ""])).toEqual(TYPES);
  });

  it("knows which words are flag values and which are arguments", () => {
    // "list" is --scenario's value, not the command's argument; after --, everything is an argument.
    expect(complete(PROGRAM, words("send --scenario list user.cr"))).toEqual(["user.created"]);
    expect(complete(PROGRAM, words("validate -- --f"))).toEqual([FILES]);
    expect(complete(PROGRAM, words("nosuch --f"))).toEqual([]);
  });
});

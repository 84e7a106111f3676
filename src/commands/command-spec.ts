// Reads the commander program into plain data (config/spec.ts): the commands, their flags and
// arguments as the help shows them, so that the config file, the environment and completion
// follow the real definitions.
import type { Command, Option } from "commander";

import { isPathPlaceholder, type ArgumentSpec, type CommandSpec, type FlagSpec } from "../config/spec.js";
import { collect } from "./flag-values.js";

/** Flags that are about the run itself, never settings: help, version, and --config (it names the settings). */
const NOT_SETTINGS = new Set(["help", "version", "config"]);

function describeFlag(option: Option): FlagSpec {
  const placeholder = /[<[]([^>\]]+?)(?:\.\.\.)?[>\]]/.exec(option.flags)?.[1];
  const kind = !option.required && !option.optional ? "boolean" : option.parseArg === collect || option.variadic ? "list" : "value";
  return {
    key: option.attributeName(),
    flag: option.long ?? option.short ?? option.flags,
    short: option.long ? option.short : undefined,
    description: option.description,
    kind,
    placeholder,
    choices: option.argChoices,
    // commander makes --no-x default to true without saying so in the option.
    defaultValue: option.negate && option.defaultValue === undefined ? true : option.defaultValue,
    path: isPathPlaceholder(placeholder),
    setting: !NOT_SETTINGS.has(option.attributeName()),
  };
}

/** The names from the program down to `command`: ["fixtures", "import"]. */
export function commandPath(command: Command): string[] {
  const path: string[] = [];
  for (let at: Command | null = command; at?.parent; at = at.parent) path.unshift(at.name());
  return path;
}

/** The command as data; `path` is the names above it. Hidden commands and options are left out. */
export function describeCommand(command: Command, path: readonly string[] = commandPath(command)): CommandSpec {
  const help = command.createHelp();
  const args: ArgumentSpec[] = command.registeredArguments.map((argument) => ({
    name: argument.name(),
    required: argument.required,
    variadic: argument.variadic,
    choices: argument.argChoices,
  }));
  return {
    name: command.name(),
    path,
    description: command.description(),
    // visibleOptions: as the help lists them, --help included.
    flags: help.visibleOptions(command).map(describeFlag),
    arguments: args,
    commands: help.visibleCommands(command).map((sub) => describeCommand(sub, [...path, sub.name()])),
  };
}

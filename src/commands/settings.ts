// Settings from outside the command line, put into commander: WTBHOOK_* variables and the config
// file fill in the flags that were not given (flag > env > file > default), and the help shows
// the values that do not come from the default. Loaded only when there is something to apply.
import { readFileSync } from "node:fs";
import { isAbsolute, relative } from "node:path";

import type { Command, Help, Option } from "commander";

import { parseConfigFile, type ConfigFile } from "../config/file.js";
import { describeSource, flagReading, resolveSettings, type Setting } from "../config/settings.js";
import type { CliContext } from "../context.js";
import { describeCause, WtbhookError } from "../errors.js";
import { describeCommand } from "./command-spec.js";

type Where = Pick<CliContext, "cwd" | "env">;

/** A path as messages show it: relative under the current folder, else absolute. */
export function showPath(cwd: string, path: string): string {
  const rel = relative(cwd, path);
  return rel === "" || rel.startsWith("..") || isAbsolute(rel) ? path : rel;
}

function rootOf(command: Command): Command {
  let root = command;
  while (root.parent) root = root.parent;
  return root;
}

/**
 * The config file at `path` (found by config/find.ts), checked against every command of the program.
 * @param program the program with every command (cli.ts builds only the one being run): the file
 * may hold any command's settings. @default the program `command` belongs to
 * @throws WtbhookError (exit 2) for an unreadable file or a mistake in it
 */
export function loadConfig(
  path: string | undefined,
  command: Command,
  where: Where,
  program: Command = rootOf(command),
): ConfigFile | undefined {
  if (path === undefined) return undefined;
  const name = showPath(where.cwd, path);
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    throw new WtbhookError(`cannot read ${name}: ${describeCause(error)}`, { code: "bad-config", cause: error });
  }
  return parseConfigFile(bytes, path, name, describeCommand(program, []));
}

/** Every setting of `command` after its own flags were parsed, with where each came from. */
export function commandSettings(command: Command, where: Where, file: ConfigFile | undefined): Setting[] {
  const spec = describeCommand(command);
  const given = new Map<string, unknown>();
  for (const flag of spec.flags) {
    if (command.getOptionValueSource(flag.key) === "cli") given.set(flag.key, command.getOptionValue(flag.key));
  }
  return resolveSettings(spec, given, where.env, file);
}

/**
 * Fills in the flags of the command about to run from the environment and the config file at `path`.
 * @throws WtbhookError (exit 2) for a mistake in the config file or a WTBHOOK_* value
 */
export function applySettings(command: Command, where: Where, path: string | undefined, program?: Command): Setting[] {
  const settings = commandSettings(command, where, loadConfig(path, command, where, program));
  for (const { flag, value, source } of settings) {
    if (source.kind === "env" || source.kind === "file")
      command.setOptionValueWithSource(flag.key, value, source.kind === "env" ? "env" : "config");
  }
  return settings;
}

/** "--port 5000 from WTBHOOK_PORT" for the help: values from the environment or the file, shown as JSON. */
function helpNotes(command: Command, where: Where, locate: Locate, program?: Command): Map<string, string> {
  let settings: Setting[];
  try {
    settings = commandSettings(command, where, loadConfig(locate(command), command, where, program));
  } catch {
    // A broken config file is reported when a command runs; the help still helps.
    return new Map();
  }
  const notes = new Map<string, string>();
  for (const setting of settings) {
    if (setting.source.kind !== "env" && setting.source.kind !== "file") continue;
    const reading = flagReading(setting);
    const source = describeSource(setting, (path) => showPath(where.cwd, path));
    const own = reading.named === undefined ? "" : `, which sets ${reading.named.key} to ${String(reading.named.value)}`;
    notes.set(setting.flag.key, `(now: ${JSON.stringify(reading.value)} from ${source}${own})`);
  }
  return notes;
}

/** Where the config file of a command is (config/find.ts's configFileFor, given by cli.ts). */
type Locate = (command: Command) => string | undefined;

/**
 * The help's configuration: each option's description ends with its value when the environment
 * or the file sets it. Commander's own methods are those of the helper's prototype.
 */
export function settingsHelp(where: Where, locate: Locate, program?: Command): Partial<Help> {
  let notes = new Map<string, string>();
  const base = (helper: Help): Help => Object.getPrototypeOf(helper) as Help;
  return {
    formatHelp(this: Help, command: Command, helper: Help): string {
      notes = helpNotes(command, where, locate, program);
      return base(this).formatHelp.call(this, command, helper);
    },
    optionDescription(this: Help, option: Option): string {
      const text = base(this).optionDescription.call(this, option);
      const note = notes.get(option.attributeName());
      return note === undefined ? text : `${text} ${note}`;
    },
  };
}

// The candidates for the word being completed (`wtbhook __complete <words…>`): commands, the
// flags of the command being typed, and values by what the flag or argument takes. It reads the
// program's definition (config/spec.ts) and name lists that open no schema and no HTTP code.
import { eventTypeNames } from "../catalog/event-type-names.js";
import { CHECK_IDS } from "../check/check-ids.js";
import { hasSettings, type ArgumentSpec, type CommandSpec, type FlagSpec } from "../config/spec.js";
import { scenarioNames } from "../delivery/scenario-names.js";

/** A line asking the shell to complete file names itself (then quoting, ~ and folders are the shell's). */
export const FILES = ":files";
/** The same for folders only. */
export const DIRS = ":dirs";

/** `wtbhook config <command> [flags…]`: it describes the commands that have settings, and then takes that command's flags. */
const CONFIG = "config";

/** The commands that `owner`'s `[command]` argument may name: every one for `help`, those with settings for `config`. */
function commandNames(program: CommandSpec, owner: CommandSpec | undefined): string[] {
  const commands = owner?.name === CONFIG ? program.commands.filter(hasSettings) : program.commands;
  return commands.map((command) => command.name);
}

/**
 * What a value is, from its name in the help: `<type>`, `<globs>`, `[types...]`, `<name|file>`;
 * `owner` is the command whose argument it is.
 */
function valuesFor(
  name: string,
  choices: readonly string[] | undefined,
  program: CommandSpec,
  owner?: CommandSpec,
): { items: string[]; list: boolean } {
  if (choices) return { items: [...choices], list: false };
  const parts = name.split("|");
  const items: string[] = [];
  if (parts.includes("type") || parts.includes("types")) items.push(...eventTypeNames());
  if (parts.includes("globs")) return { items: eventTypeNames(), list: true };
  if (parts.includes("ids")) return { items: [...CHECK_IDS], list: true };
  // `--scenario list` shows them all.
  if (parts.includes("name")) items.push(...scenarioNames(), "list");
  if (parts.includes("command")) items.push(...commandNames(program, owner));
  if (parts.some((part) => part === "file" || part === "files" || part === "paths")) items.push(FILES);
  if (parts.includes("dir")) items.push(DIRS);
  return { items, list: false };
}

/** The candidates for `current` among values; a comma-separated list completes its last item. */
function matchValues(values: { items: string[]; list: boolean }, current: string): string[] {
  const directives = values.items.filter((item) => item === FILES || item === DIRS);
  const names = values.items.filter((item) => item !== FILES && item !== DIRS);
  if (!values.list) return [...names.filter((item) => item.startsWith(current)), ...directives];
  const comma = current.lastIndexOf(",");
  const head = current.slice(0, comma + 1);
  const last = current.slice(comma + 1);
  const taken = new Set(head.split(","));
  return names.filter((item) => item.startsWith(last) && !taken.has(item)).map((item) => `${head}${item}`);
}

function findFlag(command: CommandSpec, word: string): FlagSpec | undefined {
  return command.flags.find((flag) => flag.flag === word || flag.short === word);
}

function flagValues(flag: FlagSpec, program: CommandSpec): { items: string[]; list: boolean } {
  return valuesFor(flag.placeholder ?? "", flag.choices, program);
}

function argumentAt(command: CommandSpec, index: number): ArgumentSpec | undefined {
  const last = command.arguments.at(-1);
  return command.arguments[index] ?? (last?.variadic ? last : undefined);
}

/**
 * The candidates for the last of `words` (the words after `wtbhook`; the last one may be empty),
 * one per entry; FILES or DIRS ask the shell for file or folder names.
 */
export function complete(program: CommandSpec, words: readonly string[]): string[] {
  const current = words.at(-1) ?? "";
  let command = program;
  let positional = 0;
  let pending: FlagSpec | undefined;
  let operandsOnly = false;
  const given = new Set<string>();
  for (const word of words.slice(0, -1)) {
    // bash splits `--type=user` into `--type`, `=`, `user`.
    if (pending && word === "=") continue;
    if (pending) {
      pending = undefined;
      continue;
    }
    if (!operandsOnly && word === "--") operandsOnly = true;
    else if (!operandsOnly && word.startsWith("-") && word.length > 1) {
      const flag = findFlag(command, word.split("=")[0]!);
      if (flag) given.add(flag.flag);
      if (flag && flag.kind !== "boolean" && !word.includes("=")) pending = flag;
    } else {
      const sub = positional === 0 ? command.commands.find((candidate) => candidate.name === word) : undefined;
      // `config send --t` completes as `send --t` would.
      const described =
        positional === 0 && command.name === CONFIG && command.path.length === 1
          ? program.commands.find((candidate) => candidate.name === word && hasSettings(candidate))
          : undefined;
      const next = sub ?? described;
      if (next) command = next;
      else positional += 1;
    }
  }
  if (pending) return matchValues(flagValues(pending, program), current);
  if (!operandsOnly && current.startsWith("--") && current.includes("=")) {
    const name = current.slice(0, current.indexOf("="));
    const flag = findFlag(command, name);
    if (!flag || flag.kind === "boolean") return [];
    // Folder and file names after "=" are left to the shell, which knows only whole words.
    return matchValues(flagValues(flag, program), current.slice(name.length + 1))
      .filter((value) => value !== FILES && value !== DIRS)
      .map((value) => `${name}=${value}`);
  }
  if (!operandsOnly && current.startsWith("-")) {
    return command.flags
      .filter((flag) => flag.kind === "list" || !given.has(flag.flag))
      .map((flag) => flag.flag)
      .filter((flag) => flag.startsWith(current));
  }
  const subcommands = positional === 0 ? command.commands.map((sub) => sub.name).filter((name) => name.startsWith(current)) : [];
  const argument = argumentAt(command, positional);
  const values = argument ? matchValues(valuesFor(argument.name, argument.choices, program, command), current) : [];
  return [...subcommands, ...values];
}

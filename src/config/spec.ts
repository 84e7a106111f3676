// The commands and their flags as plain data, read from the commander program by
// commands/command-spec.ts: the one description that the config file, the WTBHOOK_* environment,
// the config file's JSON Schema and shell completion all follow, so none of them can drift.

/** One flag of one command. */
export interface FlagSpec {
  /** The setting's name: the long flag in camelCase (`--forward-to` → forwardTo; `--no-validate` → validate). */
  key: string;
  /** The long flag as typed: `--forward-to`, `--no-validate`. */
  flag: string;
  /** The short flag (`-p`), if there is one. */
  short: string | undefined;
  description: string;
  /** boolean: a switch; value: takes one value; list: takes a value and may be repeated. */
  kind: "boolean" | "value" | "list";
  /** The value's name in the help: "url" for `--to <url>`; undefined for switches. */
  placeholder: string | undefined;
  /** The only values accepted, when the flag has a fixed set. */
  choices: readonly string[] | undefined;
  /** The built-in default (undefined when there is none). */
  defaultValue: unknown;
  /** The value names a file or folder (placeholders file, dir, name|file): relative to the config file there. */
  path: boolean;
  /** False for flags about the run itself (--help, --version, --config): no setting, no WTBHOOK_* variable. */
  setting: boolean;
}

/** One positional argument of a command. */
export interface ArgumentSpec {
  name: string;
  required: boolean;
  variadic: boolean;
  choices: readonly string[] | undefined;
}

/** One command (or the program itself at the root), with its own commands. */
export interface CommandSpec {
  name: string;
  /** The names from the program down to this command: ["fixtures", "import"]; [] for the program. */
  path: readonly string[];
  description: string;
  flags: readonly FlagSpec[];
  arguments: readonly ArgumentSpec[];
  /** The visible commands under this one (hidden ones are left out). */
  commands: readonly CommandSpec[];
}

/** True when a placeholder such as `file`, `dir` or `name|file` says the value is a path. */
export function isPathPlaceholder(placeholder: string | undefined): boolean {
  return placeholder !== undefined && placeholder.split("|").some((part) => part === "file" || part === "dir");
}

/** Every command under `root` (not root itself), depth first. */
export function allCommands(root: CommandSpec): CommandSpec[] {
  return root.commands.flatMap((command) => [command, ...allCommands(command)]);
}

/** The flags of a command that are settings (in the config file and the environment). */
export function settingFlags(command: CommandSpec): FlagSpec[] {
  return command.flags.filter((flag) => flag.setting);
}

/** True when a command has a section in the config file: it has settings, or commands of its own that have. */
export function hasSettings(command: CommandSpec): boolean {
  return settingFlags(command).length > 0 || command.commands.some(hasSettings);
}

/** The WTBHOOK_* variable of a setting: forwardTo → WTBHOOK_FORWARD_TO. */
export function envName(key: string): string {
  return `WTBHOOK_${key.replace(/[A-Z]/g, (letter) => `_${letter}`).toUpperCase()}`;
}

/**
 * The settings that may stand at the top of the config file, for every command that has them:
 * flags that two or more commands share with the same kind. The choices are those every one of
 * them accepts, so that a shared value is valid wherever it applies.
 */
export function sharedFlags(root: CommandSpec): Map<string, FlagSpec> {
  const byKey = new Map<string, FlagSpec[]>();
  const owners = new Map<string, string[]>();
  for (const command of allCommands(root)) {
    for (const flag of settingFlags(command)) {
      byKey.set(flag.key, [...(byKey.get(flag.key) ?? []), flag]);
      owners.set(flag.key, [...(owners.get(flag.key) ?? []), command.path.join(" ")]);
    }
  }
  const shared = new Map<string, FlagSpec>();
  for (const [key, flags] of byKey) {
    const first = flags[0]!;
    if (flags.length < 2 || flags.some((flag) => flag.kind !== first.kind)) continue;
    const withChoices = flags.filter((flag) => flag.choices !== undefined);
    const choices =
      withChoices.length === 0
        ? undefined
        : withChoices.reduce<readonly string[]>(
            (common, flag) => common.filter((c) => flag.choices!.includes(c)),
            withChoices[0]!.choices!,
          );
    // Defaults and descriptions differ per command (send's --timeout is 30s, check's 10s): none here.
    shared.set(key, {
      ...first,
      description: `default for ${owners.get(key)!.join(", ")}; a command's own section wins`,
      choices,
      defaultValue: undefined,
      path: flags.some((flag) => flag.path),
    });
  }
  return shared;
}

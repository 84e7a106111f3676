// The value of every setting of one command and where it came from: the flag, then the WTBHOOK_*
// environment, then the config file (the command's section, then the top), then the default.
import { WtbhookError } from "../errors.js";
import type { ConfigFile } from "./file.js";
import { editDistance } from "../catalog/catalog.js";
import { allCommands, envName, settingFlags, type CommandSpec, type FlagSpec } from "./spec.js";

export type SettingSource =
  { kind: "flag" } | { kind: "env"; name: string } | { kind: "file"; path: string; key: string; line: number } | { kind: "default" };

export interface Setting {
  flag: FlagSpec;
  /** undefined when nothing sets it and it has no default. */
  value: unknown;
  source: SettingSource;
}

const TRUE = new Set(["1", "true", "yes", "on"]);
const FALSE = new Set(["0", "false", "no", "off"]);

/**
 * A WTBHOOK_* value as the flag takes it.
 * @throws WtbhookError (exit 2) naming the variable, for a switch that is not true or false, or a value not among the choices.
 */
function fromEnv(flag: FlagSpec, name: string, text: string): boolean | string | string[] {
  if (flag.kind === "boolean") {
    const lower = text.trim().toLowerCase();
    if (TRUE.has(lower)) return true;
    if (FALSE.has(lower)) return false;
    throw new WtbhookError(`${name}="${text}": expected true or false (1/0, yes/no, on/off)`, { code: "bad-flag" });
  }
  if (flag.choices && !flag.choices.includes(text)) {
    throw new WtbhookError(`${name}="${text}": expected one of ${flag.choices.join(", ")}`, { code: "bad-flag" });
  }
  return flag.kind === "list" ? [text] : text;
}

/**
 * Every setting of `command`, in the help's order.
 * @param given the values the command line set, by key (flags given there win)
 * @throws WtbhookError (exit 2) for a WTBHOOK_* value the flag cannot take
 */
export function resolveSettings(
  command: CommandSpec,
  given: ReadonlyMap<string, unknown>,
  env: Readonly<Record<string, string | undefined>>,
  file: ConfigFile | undefined,
): Setting[] {
  const section = command.path.join(".");
  return settingFlags(command).map((flag): Setting => {
    if (given.has(flag.key)) return { flag, value: given.get(flag.key), source: { kind: "flag" } };
    const name = envName(flag.key);
    const text = env[name];
    // An empty variable is an unset one (`WTBHOOK_TO= wtbhook send …`).
    if (text !== undefined && text !== "") return { flag, value: fromEnv(flag, name, text), source: { kind: "env", name } };
    const fromFile = file?.settings.get(`${section}.${flag.key}`) ?? file?.settings.get(flag.key);
    if (file && fromFile)
      return { flag, value: fromFile.value, source: { kind: "file", path: file.path, key: fromFile.key, line: fromFile.line } };
    return { flag, value: flag.defaultValue, source: { kind: "default" } };
  });
}

/** True for a switch that turns a setting off: `--no-validate` sets `validate` to false. */
function turnsOff(flag: FlagSpec): boolean {
  return flag.kind === "boolean" && flag.flag.startsWith("--no-");
}

/**
 * The value as its flag reads, for the help and `wtbhook config`: `--no-validate` is true when
 * validate is false. `named` is the setting as the environment or the file gave it, by its own
 * name (WTBHOOK_VALIDATE=false, "validate": false), which reads the other way round.
 */
export function flagReading(setting: Setting): { value: unknown; named?: { key: string; value: unknown } } {
  if (!turnsOff(setting.flag)) return { value: setting.value };
  const value = setting.value === false;
  const named = setting.source.kind === "env" || setting.source.kind === "file";
  return named ? { value, named: { key: setting.flag.key, value: setting.value } } : { value };
}

/** Where a setting came from, for messages: "--to", "WTBHOOK_TO", "send.to in ./wtbhook.config.json:3". */
export function describeSource(setting: Setting, showPath: (path: string) => string = (path) => path): string {
  const source = setting.source;
  if (source.kind === "flag") return setting.flag.flag;
  if (source.kind === "env") return source.name;
  if (source.kind === "file") return `"${source.key}" in ${showPath(source.path)}:${source.line}`;
  return "default";
}

/**
 * The WTBHOOK_* variables that are not settings, each read where it is used: the config file's
 * name, the stack trace of a bug, and the tunnel provider of tests and demos.
 */
export const OTHER_VARIABLES: readonly string[] = [
  "WTBHOOK_CONFIG",
  "WTBHOOK_DEBUG",
  "WTBHOOK_TUNNEL_PROVIDER",
  "WTBHOOK_FAKE_TUNNEL",
  "WTBHOOK_NGROK_SERVER_ADDR",
];

/** A WTBHOOK_* variable that nothing reads, and what was probably meant. */
export interface UnknownVariable {
  name: string;
  /** `WTBHOOK_TO`, or `WTBHOOK_UI=false` for a WTBHOOK_NO_… variable; undefined when nothing is close. */
  meant: string | undefined;
}

/** The WTBHOOK_* variables in `env` that are neither a setting of a command under `program` nor one of OTHER_VARIABLES. */
export function unknownVariables(program: CommandSpec, env: Readonly<Record<string, string | undefined>>): UnknownVariable[] {
  const switches = new Set<string>();
  const known = new Set(OTHER_VARIABLES);
  for (const command of allCommands(program)) {
    for (const flag of settingFlags(command)) {
      known.add(envName(flag.key));
      if (flag.kind === "boolean") switches.add(envName(flag.key));
    }
  }
  return Object.keys(env)
    .filter((name) => name.startsWith("WTBHOOK_") && !known.has(name))
    .sort()
    .map((name) => {
      // --no-ui is the setting ui: WTBHOOK_UI=false.
      const positive = name.replace(/^WTBHOOK_NO_/, "WTBHOOK_");
      if (positive !== name && switches.has(positive)) return { name, meant: `${positive}=false` };
      // The closest within two edits, each distance worked out once.
      let meant: string | undefined;
      let best = 3;
      for (const candidate of known) {
        const distance = editDistance(name, candidate);
        if (distance < best) [meant, best] = [candidate, distance];
      }
      return { name, meant };
    });
}

// Reads a wtbhook.config.json and checks it against the commands' flags: every key a setting (or a
// command's section), every value of the flag's type. A mistake is one line naming the file, the
// key and its line (exit 2). Paths in it are made relative to the file, not to the current folder.
import { dirname, isAbsolute, resolve } from "node:path";

import { editDistance } from "../catalog/catalog.js";
import { WtbhookError } from "../errors.js";
import { scanContainer, scanDocument, type Container, type Slot } from "../json/edit.js";
import { LineIndex } from "../json/position.js";
import { locateSyntaxError } from "../json/syntax.js";
import { startsWithBom } from "../json/utf8.js";
import { hasSettings, settingFlags, sharedFlags, type CommandSpec, type FlagSpec } from "./spec.js";

/** One value from the file, ready to stand in for the flag. */
export interface FileSetting {
  /** boolean for switches, string for values, string[] for repeatable flags. */
  value: boolean | string | string[];
  /** The key as written, dotted from the top: "listen.port", or "port" for a shared setting. */
  key: string;
  line: number;
}

export interface ConfigFile {
  /** Absolute path of the file. */
  path: string;
  /** Settings by place: "listen.port", "fixtures.import.dir", or a shared "insecure". */
  settings: ReadonlyMap<string, FileSetting>;
}

/** A key that a person may put at the top to point editors at the schema. */
const SCHEMA_KEY = "$schema";

interface Walk {
  bytes: Uint8Array;
  lines: LineIndex;
  /** The file as messages name it. */
  name: string;
  dir: string;
  settings: Map<string, FileSetting>;
}

function fail(walk: Walk, slot: Slot | undefined, message: string, hint?: string): never {
  const line = slot === undefined ? 1 : walk.lines.position(slot.start).line;
  throw new WtbhookError(`${walk.name}:${line}: ${message}`, { code: "bad-config", ...(hint === undefined ? {} : { hint }) });
}

function valueOf(walk: Walk, slot: Slot): unknown {
  return JSON.parse(
    Buffer.from(walk.bytes.buffer, walk.bytes.byteOffset + slot.valueStart, slot.valueEnd - slot.valueStart).toString("utf8"),
  );
}

/** A path relative to the config file; "-" (stdin) and, for `name|file`, a bare name stay as they are. */
function resolvePath(text: string, flag: FlagSpec, dir: string): string {
  if (text === "-" || text === "" || isAbsolute(text)) return text;
  const nameOrFile = flag.placeholder?.split("|").includes("name") === true;
  if (nameOrFile && !/[/\\.]/.test(text)) return text;
  return resolve(dir, text);
}

function describeKind(flag: FlagSpec): string {
  if (flag.choices) return `one of ${flag.choices.map((choice) => JSON.stringify(choice)).join(", ")}`;
  if (flag.kind === "boolean") return "true or false";
  if (flag.kind === "list") return "a string or an array of strings";
  return "a string or a number";
}

function checkValue(walk: Walk, slot: Slot, key: string, flag: FlagSpec): FileSetting["value"] {
  const raw = valueOf(walk, slot);
  const scalar = (item: unknown): string | undefined =>
    typeof item === "string" ? item : typeof item === "number" && Number.isFinite(item) ? String(item) : undefined;
  let value: FileSetting["value"] | undefined;
  if (flag.kind === "boolean") value = typeof raw === "boolean" ? raw : undefined;
  else if (flag.kind === "list") {
    const items = (Array.isArray(raw) ? raw : [raw]).map(scalar);
    value = items.every((item) => item !== undefined) ? items : undefined;
  } else value = scalar(raw);
  if (value === undefined || (flag.choices && typeof value === "string" && !flag.choices.includes(value))) {
    fail(walk, slot, `"${key}" must be ${describeKind(flag)} (${flag.flag}); got ${JSON.stringify(raw)}`);
  }
  if (flag.path && typeof value === "string") value = resolvePath(value, flag, walk.dir);
  if (flag.path && Array.isArray(value)) value = value.map((item) => resolvePath(item, flag, walk.dir));
  return value;
}

function unknownKey(walk: Walk, slot: Slot, key: string, known: readonly string[], where: string): never {
  const name = key.slice(key.lastIndexOf(".") + 1);
  const close = known.filter((candidate) => editDistance(name.toLowerCase(), candidate.toLowerCase()) <= 2);
  const guess = close.length > 0 ? `Did you mean ${close.map((c) => `"${c}"`).join(" or ")}? ` : "";
  fail(walk, slot, `unknown setting "${key}"`, `${guess}${where}: ${known.join(", ")}.`);
}

function objectAt(walk: Walk, slot: Slot, key: string, what: string): Container {
  if (walk.bytes[slot.valueStart] !== 0x7b)
    fail(walk, slot, `"${key}" must be an object of ${what}'s settings; got ${JSON.stringify(valueOf(walk, slot))}`);
  return scanContainer(walk.bytes, slot.valueStart);
}

/** One command's section: its settings, and the sections of its own commands. */
function readSection(walk: Walk, container: Container, command: CommandSpec, prefix: string): void {
  const flags = new Map(settingFlags(command).map((flag) => [flag.key, flag]));
  const subcommands = new Map(command.commands.filter(hasSettings).map((sub) => [sub.name, sub]));
  for (const slot of container.slots) {
    const key = `${prefix}.${slot.key!}`;
    const flag = flags.get(slot.key!);
    const sub = subcommands.get(slot.key!);
    if (sub && walk.bytes[slot.valueStart] === 0x7b) readSection(walk, scanContainer(walk.bytes, slot.valueStart), sub, key);
    else if (flag) walk.settings.set(key, { key, line: walk.lines.position(slot.start).line, value: checkValue(walk, slot, key, flag) });
    else if (sub) objectAt(walk, slot, key, sub.path.join(" "));
    else unknownKey(walk, slot, key, [...flags.keys(), ...subcommands.keys()], `The settings of ${command.path.join(" ")}`);
  }
}

/**
 * Checks the file's bytes against the program's commands.
 * @param name the file as messages name it
 * @throws WtbhookError (exit 2) for a syntax error, an unknown key or a value of the wrong type, naming the line.
 */
export function parseConfigFile(bytes: Uint8Array, path: string, name: string, program: CommandSpec): ConfigFile {
  const body = startsWithBom(bytes) ? bytes.subarray(3) : bytes;
  const walk: Walk = { bytes: body, lines: new LineIndex(body), name, dir: dirname(path), settings: new Map() };
  const syntax = locateSyntaxError(body);
  if (syntax) throw new WtbhookError(`${name}:${syntax.line}:${syntax.column}: ${syntax.message}`, { code: "bad-config" });
  if (body[scanDocument(body).open] !== 0x7b) fail(walk, undefined, "the config file must hold one JSON object");
  const top = scanDocument(body);
  const shared = sharedFlags(program);
  const commands = new Map(program.commands.filter(hasSettings).map((command) => [command.name, command]));
  for (const slot of top.slots) {
    const key = slot.key!;
    const command = commands.get(key);
    const flag = shared.get(key);
    const isObject = body[slot.valueStart] === 0x7b;
    if (key === SCHEMA_KEY) {
      if (typeof valueOf(walk, slot) !== "string") fail(walk, slot, `"${SCHEMA_KEY}" must be a string (the schema's URL or path)`);
    } else if (command && (isObject || !flag)) readSection(walk, objectAt(walk, slot, key, key), command, key);
    else if (flag) walk.settings.set(key, { key, line: walk.lines.position(slot.start).line, value: checkValue(walk, slot, key, flag) });
    else
      unknownKey(
        walk,
        slot,
        key,
        // fixtures is both a command and a setting shared by send, check and listen: named once.
        [...new Set([...commands.keys(), ...shared.keys()])],
        "At the top: a command's section or a setting shared by commands",
      );
  }
  return { path, settings: walk.settings };
}

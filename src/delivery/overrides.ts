// --set / --unset: parsing the flags and applying them to an event's bytes without re-serialising it.

import { WtbhookError } from "../errors.js";
import {
  appendElement,
  findSlot,
  insertMember,
  JsonScanError,
  removeSlot,
  scanContainer,
  scanDocument,
  splice,
  type Container,
} from "../json/edit.js";

export type Override = { op: "set"; path: string[]; value: unknown; json: string } | { op: "unset"; path: string[] };

/** Path segments that could reach an object's prototype if a later step ever walked a parsed copy. */
const FORBIDDEN = new Set(["__proto__", "constructor", "prototype"]);

function badOverride(message: string, hint?: string): WtbhookError {
  return new WtbhookError(message, { code: "bad-override", ...(hint ? { hint } : {}) });
}

/** Splits a dotted path (`data.object.username`, `data.object.userGroups.0`) into segments. */
export function parsePath(text: string, flag: string): string[] {
  const segments = text.split(".");
  if (text === "" || segments.some((segment) => segment === "")) {
    throw badOverride(`${flag} "${text}": the path must be dotted names such as data.object.username`);
  }
  const forbidden = segments.find((segment) => FORBIDDEN.has(segment));
  if (forbidden) throw badOverride(`${flag} "${text}": the path segment "${forbidden}" is not allowed`);
  return segments;
}

/** `path=value`: the value is parsed as JSON when it is valid JSON, else taken as a string. */
export function parseSet(text: string): Override {
  const eq = text.indexOf("=");
  if (eq <= 0) {
    throw badOverride(`--set "${text}": expected path=value`, "Example: --set data.object.username=alice");
  }
  const path = parsePath(text.slice(0, eq), "--set");
  const raw = text.slice(eq + 1);
  try {
    // Valid JSON goes on the wire as typed: re-serialising would turn 1e999 into null and round
    // an integer past 2^53 (12345678901234567890 -> 12345678901234567000).
    return { op: "set", path, value: JSON.parse(raw) as unknown, json: raw.trim() };
  } catch {
    // Not JSON: the value is the string as typed.
    return { op: "set", path, value: raw, json: JSON.stringify(raw) };
  }
}

export function parseUnset(text: string): Override {
  return { op: "unset", path: parsePath(text, "--unset") };
}

/** How an applied override is listed in the output. */
export function describeOverride(override: Override): string {
  const path = override.path.join(".");
  return override.op === "set" ? `set ${path} = ${override.json}` : `unset ${path}`;
}

function scanOrThrow(scan: () => Container, what: string): Container {
  try {
    return scan();
  } catch (error) {
    if (error instanceof JsonScanError) {
      throw badOverride(`cannot apply overrides to ${what}: it is not valid JSON (${error.message})`);
    }
    throw error;
  }
}

/**
 * Applies one override to JSON bytes. Only the bytes of the changed member move; the rest of the
 * document keeps its exact layout.
 * @throws WtbhookError (exit 2) when a parent is missing or an unset key does not exist.
 */
export function applyOverride(bytes: Buffer, override: Override, what = "the event"): Buffer {
  let container = scanOrThrow(() => scanDocument(bytes), what);
  const path = override.path;
  for (let depth = 0; depth < path.length - 1; depth++) {
    const walked = path.slice(0, depth + 1).join(".");
    const slot = findSlot(container, path[depth]!);
    if (!slot) {
      throw badOverride(`${override.op === "set" ? "--set" : "--unset"} ${path.join(".")}: ${walked} does not exist in ${what}`);
    }
    const open = bytes[slot.valueStart];
    if (open !== 0x7b && open !== 0x5b) {
      throw badOverride(`${override.op === "set" ? "--set" : "--unset"} ${path.join(".")}: ${walked} is not an object or array in ${what}`);
    }
    container = scanOrThrow(() => scanContainer(bytes, slot.valueStart), what);
  }
  const last = path.at(-1)!;
  const slot = findSlot(container, last);
  if (override.op === "unset") {
    if (!slot) throw badOverride(`--unset ${path.join(".")}: no such key in ${what}`);
    return removeSlot(bytes, container, slot);
  }
  if (slot) return splice(bytes, slot.valueStart, slot.valueEnd, override.json);
  if (container.kind === "array") {
    // The index one past the end appends, as in JavaScript (`a[a.length] = v`).
    const length = container.slots.length;
    if (last === String(length)) return appendElement(bytes, container, override.json);
    throw badOverride(
      `--set ${path.join(".")}: no element ${last} in ${what}; the array has ${length} element${length === 1 ? "" : "s"}`,
      `Use index ${length} to append (${[...path.slice(0, -1), length].join(".")}=…).`,
    );
  }
  return insertMember(bytes, container, last, override.json);
}

/** Applies overrides in order. */
export function applyOverrides(bytes: Buffer, overrides: readonly Override[], what?: string): Buffer {
  return overrides.reduce((current, override) => applyOverride(current, override, what), bytes);
}

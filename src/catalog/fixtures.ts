// Fixtures, built-in or the user's own: `--fixtures DIR` (or WTBHOOK_FIXTURES) puts DIR/<type>.json
// before the built-in fixtures/<type>.json, for send, fixtures, scenarios and the consumer check.

import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, resolve } from "node:path";

import { describeFileError, WtbhookError } from "../errors.js";
import { assertEventType, loadFixture } from "./catalog.js";

/** The user's fixture folder, resolved once. */
export interface FixtureDir {
  /** As the user gave it, for messages and labels. */
  name: string;
  /** Absolute. */
  path: string;
}

/** A fixture's bytes and where they come from. */
export interface ResolvedFixture {
  bytes: Buffer;
  /** A label of where it was read: `fixtures/<type>.json` (built-in) or `<DIR>/<type>.json` as the user named DIR. */
  source: string;
  /** True when it is the user's own (from DIR). */
  own: boolean;
  /** The user's file, absolute; undefined for a built-in fixture. */
  path?: string | undefined;
}

/**
 * The user's fixture folder (`--fixtures DIR`, WTBHOOK_FIXTURES), checked to be a folder.
 * @throws WtbhookError (exit 2) when it does not exist or is not a folder.
 */
export function fixtureDir(name: string, cwd: string, origin = "--fixtures"): FixtureDir {
  if (name.trim() === "") throw new WtbhookError(`${origin} needs a folder name`, { code: "bad-flag" });
  const path = resolve(cwd, name);
  let isDirectory: boolean;
  try {
    isDirectory = statSync(path).isDirectory();
  } catch (error) {
    throw new WtbhookError(`${origin}: ${describeFileError(error, name, "folder")}`, { code: "bad-flag", cause: error });
  }
  if (!isDirectory) throw new WtbhookError(`${origin}: ${name} is not a folder`, { code: "bad-flag" });
  return { name, path };
}

/** The label of a file in the user's folder, as they would type it. */
function ownLabel(dir: FixtureDir, file: string): string {
  return dir.name.endsWith("/") ? `${dir.name}${file}` : `${dir.name}/${file}`;
}

/** The user's fixture of `type`, when DIR has one (a regular file). */
function ownFixture(type: string, dir: FixtureDir): ResolvedFixture | undefined {
  // A type from the command line never reaches outside DIR: "../x" is not a type.
  if (!/^[A-Za-z0-9_.-]+$/.test(type) || type.startsWith(".")) return undefined;
  const file = `${type}.json`;
  const path = join(dir.path, file);
  try {
    if (!statSync(path).isFile()) return undefined;
    return { bytes: readFileSync(path), source: ownLabel(dir, file), own: true, path };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ENOTDIR") return undefined;
    throw new WtbhookError(describeFileError(error, ownLabel(dir, file)), { code: "unreadable-input", cause: error });
  }
}

/**
 * The fixture of `type`: DIR/<type>.json when `dir` is given and holds one, else the built-in
 * one. A type the catalogue does not know is allowed only from DIR (a fixture imported from real
 * traffic of a type Website Toolbox added).
 * @throws WtbhookError (exit 2) for a type that is neither known nor in DIR (with did-you-mean).
 */
export function resolveFixture(type: string, dir?: FixtureDir): ResolvedFixture {
  const own = dir === undefined ? undefined : ownFixture(type, dir);
  if (own) return own;
  assertEventType(type);
  return { bytes: loadFixture(type), source: `fixtures/${type}.json`, own: false };
}

/**
 * The types DIR has a fixture for (DIR/<type>.json), sorted; the other shapes `fixtures import
 * --all` writes beside them (<type>.shape-2.json) are not types.
 */
export function ownFixtureTypes(dir: FixtureDir): string[] {
  return readdirSync(dir.path)
    .filter((file) => file.endsWith(".json") && !/\.shape-\d+\.json$/.test(file))
    .map((file) => file.slice(0, -".json".length))
    .filter((type) => ownFixture(type, dir) !== undefined)
    .sort();
}

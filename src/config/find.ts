// Where the config file is: the one named by --config or WTBHOOK_CONFIG, else wtbhook.config.json
// in the current folder or the nearest parent. Kept apart and tiny: every run asks, few have one.
import { existsSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";

import { WtbhookError } from "../errors.js";

export const CONFIG_FILE_NAME = "wtbhook.config.json";

/** What finding the file needs of a command: its --config value, and the command above it. */
export interface ConfigHolder {
  getOptionValue(key: string): unknown;
  readonly parent: ConfigHolder | null;
}

/**
 * The config file's absolute path, or undefined when there is none.
 * @param named the file given by --config or WTBHOOK_CONFIG, relative to `cwd`; `source` says which
 * @throws WtbhookError (exit 2) when a named file does not exist
 */
export function findConfigFile(cwd: string, named?: { path: string; source: string }): string | undefined {
  if (named !== undefined) {
    const path = resolve(cwd, named.path);
    if (!existsSync(path) || !statSync(path).isFile()) {
      throw new WtbhookError(`${named.source} ${named.path}: no such file`, { code: "unreadable-input" });
    }
    return path;
  }
  for (let dir = resolve(cwd); ; dir = dirname(dir)) {
    const path = join(dir, CONFIG_FILE_NAME);
    if (existsSync(path)) return path;
    if (dirname(dir) === dir) return undefined;
  }
}

/**
 * The config file for a command about to run: --config on it or above it, else WTBHOOK_CONFIG,
 * else wtbhook.config.json here or in the nearest parent folder; undefined when there is none.
 * @throws WtbhookError (exit 2) when a named file does not exist
 */
export function configFileFor(command: ConfigHolder, cwd: string, env: Readonly<Record<string, string | undefined>>): string | undefined {
  for (let at: ConfigHolder | null = command; at; at = at.parent) {
    const value = at.getOptionValue("config");
    if (typeof value === "string") return findConfigFile(cwd, { path: value, source: "--config" });
  }
  const named = env["WTBHOOK_CONFIG"];
  return findConfigFile(cwd, named ? { path: named, source: "WTBHOOK_CONFIG" } : undefined);
}

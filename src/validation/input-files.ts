// Turns the paths given to `validate` into a list of files: directories walked, `-` for stdin.

import { accessSync, constants, readdirSync, realpathSync, statSync, type Dirent, type Stats } from "node:fs";
import { extname, join, resolve } from "node:path";

import { describeFileError, WtbhookError } from "../errors.js";

/** One input to validate. */
export interface InputFile {
  /** How the file is named in reports: the path as given (joined under a directory), or `<stdin>`. */
  name: string;
  /** Absolute path; undefined for standard input. */
  path: string | undefined;
}

/** Extensions picked up when walking a directory. */
export const EVENT_FILE_EXTENSIONS = [".json", ".jsonl", ".ndjson"];
/** Directories never walked into: dependencies and VCS data are not webhook events. */
const SKIPPED_DIRECTORIES = new Set(["node_modules", ".git"]);

export const STDIN_NAME = "<stdin>";

function unreadable(path: string, error: unknown): WtbhookError {
  return new WtbhookError(describeFileError(error, path), { code: "unreadable-input", cause: error });
}

/** Runs a file-system call, turning its failure into a usage error naming `name`. */
function attempt<T>(name: string, call: () => T): T {
  try {
    return call();
  } catch (error) {
    throw unreadable(name, error);
  }
}

// Synchronous calls on purpose: a fresh process would pay for setting up the thread pool.
// Files come out in full path order (as `find | sort` would list them).
function walkDirectory(top: string, topPath: string): InputFile[] {
  const found: InputFile[] = [];
  const seen = new Set<string>();
  // An explicit stack (not recursion), and real paths so that a symlink loop ends.
  const stack: { name: string; path: string; directory: boolean }[] = [{ name: top, path: topPath, directory: true }];
  while (stack.length > 0) {
    const item = stack.pop()!;
    if (!item.directory) {
      attempt(item.name, () => accessSync(item.path, constants.R_OK));
      found.push({ name: item.name, path: item.path });
      continue;
    }
    const real = attempt(item.name, () => realpathSync(item.path));
    if (seen.has(real)) continue;
    seen.add(real);
    const entries: Dirent[] = attempt(item.name, () => readdirSync(item.path, { withFileTypes: true }));
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const next: typeof stack = [];
    for (const entry of entries) {
      const name = join(item.name, entry.name);
      const path = join(item.path, entry.name);
      let isDirectory = entry.isDirectory();
      let isFile = entry.isFile();
      if (entry.isSymbolicLink()) {
        let target: Stats | undefined;
        try {
          target = statSync(path);
        } catch {
          target = undefined;
        }
        isDirectory = target?.isDirectory() ?? false;
        isFile = target?.isFile() ?? false;
      }
      if (isDirectory && !SKIPPED_DIRECTORIES.has(entry.name)) next.push({ name, path, directory: true });
      else if (isFile && EVENT_FILE_EXTENSIONS.includes(extname(entry.name).toLowerCase())) next.push({ name, path, directory: false });
    }
    // Reversed onto the stack, so that they come off it in name order.
    for (let i = next.length - 1; i >= 0; i--) stack.push(next[i]!);
  }
  return found;
}

/**
 * The files to validate, in the order given (directories in name order, recursively).
 * @throws WtbhookError (exit 2) for a path that does not exist or cannot be read, a
 * directory that holds no event files, or `-` given twice.
 */
export function expandInputs(paths: readonly string[], cwd: string): InputFile[] {
  const files: InputFile[] = [];
  for (const given of paths) {
    if (given === "-") {
      // A second read of stdin finds it empty, which would be reported as malformed JSON.
      if (files.some((file) => file.path === undefined)) {
        throw new WtbhookError("- (stdin) is given twice; standard input can be read only once", { code: "bad-flag" });
      }
      files.push({ name: STDIN_NAME, path: undefined });
      continue;
    }
    // resolve(cwd, "") is cwd itself: `validate "$UNSET"` walked the whole current folder.
    if (given === "")
      throw new WtbhookError("an empty path was given", { code: "bad-flag", hint: "Name a file or folder, or - for stdin." });
    const path = resolve(cwd, given);
    const info = attempt(given, () => statSync(path));
    if (info.isDirectory()) {
      const inside = walkDirectory(given, path);
      if (inside.length === 0) {
        throw new WtbhookError(`no event files in ${given}`, {
          code: "no-input",
          hint: `Directories are searched for ${EVENT_FILE_EXTENSIONS.map((ext) => `*${ext}`).join(", ")} files.`,
        });
      }
      files.push(...inside);
    } else {
      attempt(given, () => accessSync(path, constants.R_OK));
      files.push({ name: given, path });
    }
  }
  return files;
}

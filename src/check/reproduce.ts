// The `wtbhook send … --to …` command lines that reproduce a check's failure, quoted for a POSIX
// shell (sh, bash, zsh). A body too large for a command line goes to a file sent with --data.

import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** How the commands reach the run's target the way the run did. */
export interface CommandSettings {
  /** The target as the user gave it (--to or WTBHOOK_TO). */
  target: string;
  /** The -H values as given, repeated in every command. */
  headers: readonly string[];
  insecure: boolean;
  /** The user's fixture folder (--fixtures) as given, repeated in every command that sends fixtures. */
  fixtures?: string | undefined;
}

/** Characters a POSIX shell takes literally outside quotes. */
const PLAIN = /^[A-Za-z0-9_@%+=:,./-]+$/;

/** One argument as a POSIX shell reads it back unchanged: bare when plain, else in single quotes. */
export function shellQuote(arg: string): string {
  return PLAIN.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

/** `wtbhook send <args> [-H …] [--insecure] --to <target>`, quoted. */
export function sendCommand(args: readonly string[], settings: CommandSettings): string {
  const all = [
    "send",
    ...args,
    ...(settings.fixtures === undefined ? [] : ["--fixtures", settings.fixtures]),
    ...settings.headers.flatMap((header) => ["-H", header]),
    ...(settings.insecure ? ["--insecure"] : []),
    "--to",
    settings.target,
  ];
  return ["wtbhook", ...all].map(shellQuote).join(" ");
}

/**
 * The longest argument put on a command line. Linux refuses a single argument over 128 KiB
 * (MAX_ARG_STRLEN), so a 200 KB --set value would never run.
 */
const MAX_ARGUMENT_BYTES = 100_000;

export function fitsCommandLine(args: readonly string[]): boolean {
  return args.every((arg) => Buffer.byteLength(arg) <= MAX_ARGUMENT_BYTES);
}

let folder: string | undefined;

/**
 * Writes a body that does not fit on a command line to a file in a folder of this run under the
 * temporary folder (kept, so the command can be run later), and returns its path; undefined when
 * it cannot be written.
 */
export function writeBodyFile(name: string, body: Buffer): string | undefined {
  try {
    folder ??= mkdtempSync(join(tmpdir(), "wtbhook-check-"));
    const path = join(folder, `${name}.json`);
    writeFileSync(path, body);
    return path;
  } catch {
    return undefined;
  }
}

// The one error type of wtbhook: a message for people, a stable code, and the exit code it maps to.

/** Exit codes, documented in the README. */
export const ExitCode = {
  /** Everything checked or sent was fine. */
  ok: 0,
  /** Something checked was invalid, or a delivery failed. */
  failed: 1,
  /** wtbhook could not do what was asked: usage, configuration, unreadable input. */
  usage: 2,
} as const;

export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

export interface WtbhookErrorOptions {
  /** A stable, machine-readable code such as `unknown-type` or `file-not-found`. */
  code: string;
  /** @default ExitCode.usage */
  exitCode?: ExitCodeValue;
  /** One line telling the user what to do next. */
  hint?: string;
  cause?: unknown;
}

export class WtbhookError extends Error {
  readonly code: string;
  readonly exitCode: ExitCodeValue;
  readonly hint: string | undefined;

  constructor(message: string, options: WtbhookErrorOptions) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "WtbhookError";
    this.code = options.code;
    this.exitCode = options.exitCode ?? ExitCode.usage;
    this.hint = options.hint;
  }
}

export function isWtbhookError(value: unknown): value is WtbhookError {
  return value instanceof WtbhookError;
}

/** A short reason from any thrown value, for messages that wrap a lower-level failure. */
export function describeCause(cause: unknown): string {
  if (cause instanceof Error) {
    const code = (cause as NodeJS.ErrnoException).code;
    return code && !cause.message.includes(code) ? `${cause.message} (${code})` : cause.message;
  }
  return String(cause);
}

/**
 * A file-system failure in words, naming the file as the user typed it (Node's own message names
 * the absolute path and the system call: "ENOENT: no such file or directory, open '/abs/nope'").
 */
export function describeFileError(error: unknown, name: string, what = "file"): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === "ENOENT" || code === "ENOTDIR") return `no such ${what}: ${name}`;
  if (code === "EACCES" || code === "EPERM") return `permission denied: ${name}`;
  if (code === "EISDIR") return `${name} is a directory, not a ${what}`;
  const message = error instanceof Error ? error.message : String(error);
  if (code === undefined) return `cannot read ${name}: ${message}`;
  // "EIO: i/o error, read '/abs/path'" → "i/o error (EIO)".
  const reason = message.replace(/^[A-Z0-9_]+: /, "").replace(/, \w+( '[^']*'( -> '[^']*')?)?$/, "");
  return `cannot read ${name}: ${reason} (${code})`;
}

// The one error type of wtbhook: a message for people, a stable code, and the exit code it maps to.

/** Exit codes, documented in the README and in `wtbhook --help`. */
export const ExitCode = {
  /** Everything checked or sent was fine. */
  ok: 0,
  /** Something checked was invalid, or a delivery failed. */
  failed: 1,
  /** wtbhook could not do what was asked: usage, configuration, unreadable input. */
  usage: 2,
  /** A bug in wtbhook (EX_SOFTWARE of sysexits.h): not the user's doing, and worth a report. */
  internal: 70,
} as const;

export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

/** Why a tunnel could not be opened or kept (tunnel/errors.ts maps ngrok's errors onto these). */
export type TunnelFailure =
  | "missing-token"
  | "bad-token"
  | "session-limit"
  | "domain"
  | "unreachable"
  | "tls"
  | "timeout"
  | "unavailable-platform"
  | "config"
  | "blocked"
  | "aborted"
  | "unknown";

/**
 * Every code a WtbhookError can carry: one per idea, so that scripts and library users can match
 * on them. A new error reuses the code of its idea; a new idea adds a code here.
 */
export type ErrorCode =
  /** A flag or argument wtbhook cannot use: a bad value, flags that do not go together, one missing. */
  | "bad-flag"
  /** No endpoint to deliver to: neither --to, WTBHOOK_TO nor "to" in the config file. */
  | "no-target"
  /** A --set or --unset (or a scenario step's set/unset) that cannot be made to the event. */
  | "bad-override"
  /** A proxy variable (HTTP_PROXY, …) that is not a URL wtbhook can use. */
  | "bad-proxy"
  /** A command, event type, scenario or check that does not exist. */
  | "unknown-command"
  | "unknown-type"
  | "unknown-scenario"
  | "unknown-check"
  /** A file, folder or stdin that cannot be read: missing, not permitted, an I/O error. */
  | "unreadable-input"
  /** What was given holds nothing to work on: an empty file or stdin, a folder without event files, no events to replay. */
  | "no-input"
  /** A recording line that is neither a recorded request nor an event, or a recorded header that cannot be sent. */
  | "bad-recording"
  /** A --schema file that is not a JSON Schema wtbhook can compile. */
  | "bad-schema"
  /** A scenario file that is not a valid scenario. */
  | "bad-scenario"
  /** A config file (wtbhook.config.json, --config) that cannot be read, is not JSON, or holds an unknown setting or a value of the wrong type. */
  | "bad-config"
  /** A file or folder wtbhook must write cannot be written: --out, --record, the junit spool. */
  | "cannot-write"
  /** The address or port cannot be listened on (in use, not permitted, no such address). */
  | "cannot-listen"
  /** Nothing accepts connections at the target (check). */
  | "unreachable"
  /** Stopped (Ctrl+C or SIGTERM) before the work was done. */
  | "interrupted"
  /** A tunnel that could not be opened or kept. */
  | `tunnel-${TunnelFailure}`
  /** A bug in wtbhook, a state it knew cannot happen: exit code 70, never 2. */
  | "internal";

export interface WtbhookErrorOptions {
  /** The idea of the error, stable and machine-readable. */
  code: ErrorCode;
  /** @default ExitCode.internal for the code "internal", else ExitCode.usage */
  exitCode?: ExitCodeValue;
  /** One line telling the user what to do next. */
  hint?: string;
  cause?: unknown;
}

export class WtbhookError extends Error {
  readonly code: ErrorCode;
  readonly exitCode: ExitCodeValue;
  readonly hint: string | undefined;

  constructor(message: string, options: WtbhookErrorOptions) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "WtbhookError";
    this.code = options.code;
    this.exitCode = options.exitCode ?? (options.code === "internal" ? ExitCode.internal : ExitCode.usage);
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

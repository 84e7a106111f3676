// What cli.ts hands to every command: streams, environment, colours and the stop signal.
// Commands read these instead of process.*, so tests can run them in-process.

import type { ExitCodeValue } from "./errors.js";
import type { Style } from "./format/style.js";

export interface OutputStream {
  write(chunk: string | Uint8Array): boolean;
  isTTY?: boolean | undefined;
  columns?: number | undefined;
  rows?: number | undefined;
  /** True when this output goes into the file at `path` (`> file` in the shell). Absent where that cannot be told. */
  writesTo?(path: string): boolean;
}

export interface CliContext {
  /** wtbhook's own version, from package.json. */
  version: string;
  env: Readonly<Record<string, string | undefined>>;
  cwd: string;
  /**
   * Read it only where a command reads standard input: Node opens process.stdin on first use, which
   * costs start-up (main() passes it as a getter).
   */
  stdin: NodeJS.ReadableStream & { isTTY?: boolean | undefined };
  stdout: OutputStream;
  stderr: OutputStream;
  /** Colours for what goes to stdout and to stderr; each is plain when its stream is not a colour terminal. */
  style: { out: Style; err: Style };
  /**
   * Aborted on the first SIGINT or SIGTERM; a second one ends the process at once. Read it only
   * where a command stops on it: main() makes it on first use, which costs start-up.
   */
  signal: AbortSignal;
  /**
   * Asks cli.ts to end the process once output is flushed, even if handles are still open
   * (a hung native tunnel cannot be closed any other way).
   */
  exitWhenDone(): void;
  /** Sets the exit code for a command that finished its work (1 when something checked or sent failed). */
  setExitCode(code: ExitCodeValue): void;
  /**
   * Where the running command's setting `key` (forwardTo) got its value, for messages: the flag
   * ("--forward-to"), its variable ("WTBHOOK_FORWARD_TO") or its place in the config file.
   */
  sourceOf(key: string): string;
}

// Runs `wtbhook send` from src/ in-process through cli.ts's run(), with captured output, so
// integration tests exercise the command, the domain and the error reporting without a process.
import { readFileSync } from "node:fs";

import { startInProcess, type InProcessOptions, type InProcessResult } from "../helpers/run-in-process.js";

export interface SendInProcessOptions extends Omit<InProcessOptions, "program" | "input" | "tty"> {
  stdin?: string;
  /** Called with each write to stderr, as it happens (to act on a line, e.g. Ctrl+C during a wait). */
  onStderr?: (text: string) => void;
  /** Pretend stderr is a terminal of this many rows and columns. */
  tty?: { rows: number; columns: number };
}

/** wtbhook's version, as the User-Agent carries it. */
export const VERSION = (JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string }).version;

export function sendInProcess(
  args: readonly string[],
  { stdin, onStderr, tty, ...options }: SendInProcessOptions = {},
): Promise<InProcessResult> {
  // Without colour, even on a pretend terminal: the tests read the text.
  const env = { NO_COLOR: "1", ...options.env };
  const run = startInProcess(["send", ...args], { ...options, env, input: stdin, tty: tty && { stderr: true, ...tty }, program: "src" });
  if (onStderr) run.stderr.onWrite(onStderr);
  return run.done;
}

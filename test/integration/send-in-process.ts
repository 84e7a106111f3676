// Runs `wtbhook send` in-process through the real commander program, with captured output, so
// integration tests exercise the command and the domain without spawning a process.
import { Readable } from "node:stream";

import { CommanderError } from "commander";

import { createProgram } from "../../src/cli.js";
import type { CliContext, OutputStream } from "../../src/context.js";
import { isWtbhookError } from "../../src/errors.js";
import { plainStyle } from "../../src/format/style.js";
import { ROOT } from "../helpers/run-cli.js";

export interface InProcessResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface InProcessOptions {
  env?: Record<string, string>;
  stdin?: string;
  signal?: AbortSignal;
  cwd?: string;
  /** Called with each write to stderr, as it happens (to act on a line, e.g. Ctrl+C during a wait). */
  onStderr?: (text: string) => void;
  /** Pretend stderr is a terminal of this many rows and columns. */
  tty?: { rows: number; columns: number };
}

function capture(onWrite?: (text: string) => void, tty?: { rows: number; columns: number }): OutputStream & { text: () => string } {
  const chunks: string[] = [];
  return {
    isTTY: tty !== undefined,
    ...tty,
    write(chunk: string | Uint8Array) {
      const text = typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8");
      chunks.push(text);
      onWrite?.(text);
      return true;
    },
    text: () => chunks.join(""),
  };
}

export const VERSION = "9.9.9-test";

export async function sendInProcess(args: readonly string[], options: InProcessOptions = {}): Promise<InProcessResult> {
  const stdout = capture();
  const stderr = capture(options.onStderr, options.tty);
  let code = 0;
  const ctx: CliContext = {
    version: VERSION,
    env: options.env ?? {},
    cwd: options.cwd ?? ROOT,
    stdin: Readable.from(options.stdin === undefined ? [] : [Buffer.from(options.stdin)]),
    stdout,
    stderr,
    style: { out: plainStyle, err: plainStyle },
    signal: options.signal ?? new AbortController().signal,
    exitWhenDone: () => {},
    setExitCode: (value) => {
      code = value;
    },
  };
  try {
    await createProgram(ctx).parseAsync(["node", "wtbhook", "send", ...args]);
  } catch (error) {
    if (isWtbhookError(error)) {
      stderr.write(`✖ ${error.message}\n`);
      code = error.exitCode;
    } else if (error instanceof CommanderError) {
      code = 2;
    } else {
      throw error;
    }
  }
  return { code, stdout: stdout.text(), stderr: stderr.text() };
}

// Runs wtbhook in this process through cli.ts's run(): chosen arguments, environment, folder,
// stdin and terminal-ness, output captured, no child process. e2e tests run the built program
// (dist/, as bin/wtbhook.cjs does); integration tests run src/.
import { existsSync } from "node:fs";
import { Readable } from "node:stream";
import { fileURLToPath, pathToFileURL } from "node:url";

import type { RunContext } from "../../src/cli.js";
import type { OutputStream } from "../../src/context.js";
import { watchOutput } from "./output-watch.js";
import { ROOT } from "./run-cli.js";

type CliModule = typeof import("../../src/cli.js");

const DIST_CLI = fileURLToPath(new URL("../../dist/cli.js", import.meta.url));

export interface InProcessOptions {
  /** The whole environment the program sees (nothing is inherited). @default {} */
  env?: Record<string, string | undefined>;
  /** @default the repository's root */
  cwd?: string;
  /** What standard input holds (the name runCli uses too). @default empty */
  input?: string | Buffer;
  /** Aborting it is Ctrl+C. @default never aborted (startInProcess's stop() aborts its own) */
  signal?: AbortSignal;
  /** Pretend stdout and/or stderr are terminals of this size. @default neither; 80 columns, 24 rows */
  tty?: { stdout?: boolean; stderr?: boolean; columns?: number; rows?: number } | undefined;
  /** The built program (as bin/wtbhook.cjs runs it) or the sources. @default "dist" */
  program?: "dist" | "src";
  /** Called each time the program reads its stdin (main() opens process.stdin then). */
  onStdinRead?: () => void;
}

export interface InProcessResult {
  code: number;
  stdout: string;
  stderr: string;
  /** The command asked for the process to end once its output is out (listen --tunnel). */
  exitWhenDone: boolean;
}

/** A stream that keeps what is written, and tells waiters as soon as a pattern shows up. */
export interface CapturedOutput extends OutputStream {
  text: () => string;
  /** Resolves with the first match once the text matches; rejects if the run ends first. */
  waitFor: (pattern: RegExp) => Promise<RegExpExecArray>;
  /** Calls `listener` with every write from now on, as it happens. */
  onWrite: (listener: (text: string) => void) => void;
}

export interface InProcessRun {
  stdout: CapturedOutput;
  stderr: CapturedOutput;
  /** Aborts the run as the first Ctrl+C does. */
  stop(reason?: string): void;
  done: Promise<InProcessResult>;
}

async function loadProgram(program: "dist" | "src"): Promise<CliModule> {
  if (program === "src") return import("../../src/cli.js");
  if (!existsSync(DIST_CLI)) throw new Error(`${DIST_CLI} is missing: run \`npm run build\` before the e2e tests`);
  return (await import(pathToFileURL(DIST_CLI).href)) as CliModule;
}

function capture(tty: InProcessOptions["tty"], stream: "stdout" | "stderr"): CapturedOutput & { end: (what: string) => void } {
  const watch = watchOutput();
  const terminal = tty?.[stream] === true;
  return {
    isTTY: terminal,
    columns: terminal ? (tty?.columns ?? 80) : undefined,
    rows: terminal ? (tty?.rows ?? 24) : undefined,
    write(chunk: string | Uint8Array) {
      watch.append(typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8"));
      return true;
    },
    text: watch.text,
    waitFor: watch.waitFor,
    onWrite: watch.onAppend,
    end: watch.end,
  };
}

/** Starts wtbhook in-process, for commands that run until stopped (listen) or whose output is awaited as it comes. */
export function startInProcess(args: readonly string[], options: InProcessOptions = {}): InProcessRun {
  const controller = new AbortController();
  const signal = options.signal ? AbortSignal.any([options.signal, controller.signal]) : controller.signal;
  const stdout = capture(options.tty, "stdout");
  const stderr = capture(options.tty, "stderr");
  let exitWhenDone = false;
  const stdin = Readable.from(options.input === undefined ? [] : [Buffer.from(options.input)]);
  const io: RunContext = {
    env: options.env ?? {},
    cwd: options.cwd ?? ROOT,
    get stdin() {
      options.onStdinRead?.();
      return stdin;
    },
    stdout,
    stderr,
    signal,
    exitWhenDone: () => {
      exitWhenDone = true;
    },
  };
  const done = loadProgram(options.program ?? "dist")
    .then(({ run }) => run(args, io))
    .then((code) => ({ code, stdout: stdout.text(), stderr: stderr.text(), exitWhenDone }))
    .finally(() => {
      stdout.end("the run ended");
      stderr.end("the run ended");
    });
  return { stdout, stderr, stop: (reason = "SIGINT") => controller.abort(reason), done };
}

/** Runs wtbhook in-process to the end. */
export function runInProcess(args: readonly string[], options: InProcessOptions = {}): Promise<InProcessResult> {
  return startInProcess(args, options).done;
}

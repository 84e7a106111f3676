// Runs the built `wtbhook listen` as a child process and waits for its ready line, output and exit.
import type { ChildProcess } from "node:child_process";

import { request } from "undici";

import { watchOutput } from "./output-watch.js";
import { startCli, type RunOptions } from "./run-cli.js";

export interface ListenProcess {
  child: ChildProcess;
  /** The URL from the ready line (JSON on stdout with --json, else the stderr "Ready!" line). */
  ready: Promise<string>;
  stdout: () => string;
  stderr: () => string;
  /** Resolves with the first match once stdout or stderr matches; rejects if the process ends first. */
  waitFor: (stream: "stdout" | "stderr", pattern: RegExp) => Promise<RegExpExecArray>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export function startListen(args: readonly string[], options: RunOptions = {}): ListenProcess {
  const child = startCli(["listen", ...args], options);
  const watches = { stdout: watchOutput(), stderr: watchOutput() };
  child.stdout!.setEncoding("utf8").on("data", (chunk: string) => watches.stdout.append(chunk));
  child.stderr!.setEncoding("utf8").on("data", (chunk: string) => watches.stderr.append(chunk));
  const timer = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs ?? 20_000);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      watches.stdout.end(`listen exited (${code ?? signal})`);
      watches.stderr.end(`listen exited (${code ?? signal})`);
      resolve({ code, signal });
    });
  });
  const ready = Promise.any([
    watches.stdout.waitFor(/^(\{"kind":"ready".*)$/m).then((match) => (JSON.parse(match[1]!) as { url: string }).url),
    watches.stderr.waitFor(/^Ready! (?:Listening on|Webhook URL:) (\S+)$/m).then((match) => match[1]!),
  ]).catch(() => {
    throw new Error(`listen exited before it was ready:\n${watches.stderr.text()}`);
  });
  ready.catch(() => undefined);
  child.stdin!.end();
  return {
    child,
    ready,
    stdout: watches.stdout.text,
    stderr: watches.stderr.text,
    waitFor: (stream, pattern) => watches[stream].waitFor(pattern),
    exited,
  };
}

/** POSTs a body and returns the status (or the error's code when the connection failed). */
export async function postStatus(url: string, body: string | Buffer): Promise<number | string> {
  try {
    const response = await request(url, { method: "POST", body, headers: { "content-type": "application/json" } });
    await response.body.dump();
    return response.statusCode;
  } catch (error) {
    return (error as { code?: string }).code ?? "error";
  }
}

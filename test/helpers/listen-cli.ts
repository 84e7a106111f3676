// Runs the built `wtbhook listen` as a child process and waits for its ready line, output and exit.
import type { ChildProcess } from "node:child_process";

import { request } from "undici";

import { startCli, type RunOptions } from "./run-cli.js";

export interface ListenProcess {
  child: ChildProcess;
  /** The URL from the ready line (JSON on stdout with --json, else the stderr "Ready!" line). */
  ready: Promise<string>;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export function startListen(args: readonly string[], options: RunOptions = {}): ListenProcess {
  const child = startCli(["listen", ...args], options);
  let stdout = "";
  let stderr = "";
  let resolveReady: (url: string) => void = () => undefined;
  let rejectReady: (error: Error) => void = () => undefined;
  const ready = new Promise<string>((resolve, reject) => {
    resolveReady = resolve;
    rejectReady = reject;
  });
  const check = (): void => {
    const json = /^(\{"kind":"ready".*)$/m.exec(stdout);
    if (json) resolveReady((JSON.parse(json[1]!) as { url: string }).url);
    const line = /^Ready! (?:Listening on|Webhook URL:) (\S+)$/m.exec(stderr);
    if (line) resolveReady(line[1]!);
  };
  child.stdout!.setEncoding("utf8").on("data", (chunk: string) => {
    stdout += chunk;
    check();
  });
  child.stderr!.setEncoding("utf8").on("data", (chunk: string) => {
    stderr += chunk;
    check();
  });
  const timer = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs ?? 20_000);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      rejectReady(new Error(`listen exited (${code ?? signal}) before it was ready:\n${stderr}`));
      resolve({ code, signal });
    });
  });
  ready.catch(() => undefined);
  child.stdin!.end();
  return { child, ready, stdout: () => stdout, stderr: () => stderr, exited };
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

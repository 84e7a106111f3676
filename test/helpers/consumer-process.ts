// Starts a consumer as a child process (a crash is a real crash): test/helpers/flawed-consumer.mjs
// with one flaw, or one of examples/; resolves once it prints `Listening on <url>`.
import { spawn, type ChildProcess } from "node:child_process";
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";

const SCRIPT = fileURLToPath(new URL("./flawed-consumer.mjs", import.meta.url));

export type Flaw = "none" | "redirect" | "unknown-type" | "optional-field" | "concurrency" | "duplicate" | "slow" | "crash";

export interface ConsumerProcess {
  /** The URL it printed: http://127.0.0.1:<port>/webhooks */
  url: string;
  child: ChildProcess;
  /** Resolves with the exit code when the process ends (crashes included). */
  exited: Promise<number | null>;
  /** What it wrote to stderr (a crash's stack trace). */
  stderr: () => string;
  close(): Promise<void>;
}

export function startConsumer(flaw: Flaw): Promise<ConsumerProcess> {
  return startScript(SCRIPT, { FLAW: flaw });
}

/** Runs `node <script>` (in its folder, with PORT=0 and `env`) until it prints where it listens. */
export function startScript(script: string, env: Record<string, string> = {}): Promise<ConsumerProcess> {
  const child = spawn(process.execPath, [script], {
    cwd: dirname(script),
    env: { ...process.env, PORT: "0", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  let errors = "";
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => (errors += chunk));
  return new Promise((resolve, reject) => {
    let out = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
      out += chunk;
      const url = /Listening on (\S+)/.exec(out)?.[1];
      if (url === undefined) return;
      resolve({
        url,
        child,
        exited,
        stderr: () => errors,
        close: async () => {
          if (child.exitCode === null && child.signalCode === null) child.kill();
          await exited;
        },
      });
    });
    void exited.then((code) => reject(new Error(`${script} exited (${code}) before listening: ${errors}`)));
  });
}

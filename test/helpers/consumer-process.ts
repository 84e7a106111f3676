// Starts test/helpers/flawed-consumer.mjs as a child process (a crash is a real crash) and
// resolves once it listens, with its URL.
import { spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";

const SCRIPT = fileURLToPath(new URL("./flawed-consumer.mjs", import.meta.url));

export type Flaw = "none" | "redirect" | "unknown-type" | "optional-field" | "concurrency" | "duplicate" | "slow" | "crash";

export interface ConsumerProcess {
  /** http://127.0.0.1:<port>/webhooks */
  url: string;
  child: ChildProcess;
  /** Resolves with the exit code when the process ends (crashes included). */
  exited: Promise<number | null>;
  /** What it wrote to stderr (a crash's stack trace). */
  stderr: () => string;
  close(): Promise<void>;
}

export function startConsumer(flaw: Flaw): Promise<ConsumerProcess> {
  const child = spawn(process.execPath, [SCRIPT], { env: { ...process.env, FLAW: flaw }, stdio: ["ignore", "pipe", "pipe"] });
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  let errors = "";
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => (errors += chunk));
  return new Promise((resolve, reject) => {
    let out = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
      out += chunk;
      const port = /listening (\d+)/.exec(out)?.[1];
      if (port === undefined) return;
      resolve({
        url: `http://127.0.0.1:${port}/webhooks`,
        child,
        exited,
        stderr: () => errors,
        close: async () => {
          if (child.exitCode === null && child.signalCode === null) child.kill();
          await exited;
        },
      });
    });
    void exited.then((code) => reject(new Error(`the ${flaw} consumer exited (${code}) before listening: ${errors}`)));
  });
}

// A real terminal of a fixed size for e2e tests: tmux on a socket of its own runs the built CLI, and
// the test reads the screen as a person would see it (wrapped lines joined again).
import { execFile, execFileSync } from "node:child_process";
import { promisify } from "node:util";

import stringWidth from "string-width";

import { BIN, ROOT } from "./run-cli.js";

const run = promisify(execFile);

export interface Terminal {
  /** Resolves once the command has ended (it signals through `tmux wait-for`); the screen stays. */
  ended: Promise<void>;
  /** The whole screen and its history, each line as the terminal shows it (wrapped lines joined). */
  screen(): Promise<string[]>;
  /** Resolves with the screen once `test` holds for it; rejects after `timeoutMs`. */
  waitForScreen(test: (lines: string[]) => boolean, timeoutMs?: number): Promise<string[]>;
  resize(columns: number): void;
  /** Ends the terminal and what runs in it. */
  close(): void;
}

let opened = 0;

/**
 * Runs a shell command line in a new terminal `columns` wide, in the repository, with an empty
 * environment but PATH and HOME. The command sees a real terminal on stdout and stderr (isTTY,
 * columns, SIGWINCH on resize); its screen can be read after it ends.
 */
export function runInTerminal(command: string, columns: number, rows = 200): Terminal {
  const socket = `wtbhook-test-${process.pid}-${++opened}`;
  const tmux = (...args: string[]): string => execFileSync("tmux", ["-L", socket, ...args], { encoding: "utf8" });
  const line = `env -i PATH=/usr/bin:/bin HOME=/tmp sh -c ${quote(command)}; tmux -L ${socket} wait-for -S ended; exec sleep 3600`;
  tmux("-f", "/dev/null", "new-session", "-d", "-s", "t", "-x", String(columns), "-y", String(rows), "-c", ROOT, line);
  // tmux remembers a signal that came before anyone waited for it.
  const ended = run("tmux", ["-L", socket, "wait-for", "ended"], { timeout: 60_000 }).then(() => undefined);
  const terminal: Terminal = {
    ended,
    async screen() {
      const { stdout } = await run("tmux", ["-L", socket, "capture-pane", "-p", "-J", "-S", "-", "-t", "t"]);
      return stdout.replace(/\n+$/, "").split("\n");
    },
    async waitForScreen(test, timeoutMs = 15_000) {
      const deadline = Date.now() + timeoutMs;
      // tmux tells nobody when a program writes to its screen: look until it shows, up to the deadline.
      for (;;) {
        const lines = await terminal.screen();
        if (test(lines)) return lines;
        if (Date.now() > deadline) throw new Error(`the screen never showed what was expected:\n${lines.join("\n")}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
    resize(width) {
      tmux("resize-window", "-t", "t", "-x", String(width));
    },
    close() {
      try {
        tmux("kill-server");
      } catch {
        // Already gone.
      }
    },
  };
  return terminal;
}

/** `text` as one word for /bin/sh. */
function quote(text: string): string {
  return `'${text.replaceAll("'", "'\\''")}'`;
}

/** The built CLI as a shell command, with colour forced (colours must count for nothing). */
export function wtbhook(args: string): string {
  return `FORCE_COLOR=1 ${process.execPath} ${BIN} ${args}`;
}

/** Columns a line of the screen takes. */
export function columnsOf(line: string): number {
  return stringWidth(line);
}

// Runs `wtbhook check` in-process through the real commander program (src/), output captured.
import { Readable } from "node:stream";

import type { CheckSummary } from "../../src/check/runner.js";
import { createProgram } from "../../src/cli.js";
import type { CliContext } from "../../src/context.js";
import { isWtbhookError } from "../../src/errors.js";
import { plainStyle } from "../../src/format/style.js";
import { ROOT } from "../helpers/run-cli.js";

export interface CheckRun {
  code: number;
  stdout: string;
  stderr: string;
}

export async function checkInProcess(args: readonly string[], env: Record<string, string> = {}, signal?: AbortSignal): Promise<CheckRun> {
  let stdout = "";
  let stderr = "";
  let code = 0;
  const ctx: CliContext = {
    version: "9.9.9-test",
    env,
    cwd: ROOT,
    stdin: Readable.from([]),
    stdout: { write: (chunk) => ((stdout += String(chunk)), true) },
    stderr: { write: (chunk) => ((stderr += String(chunk)), true) },
    style: { out: plainStyle, err: plainStyle },
    signal: signal ?? new AbortController().signal,
    exitWhenDone: () => {},
    setExitCode: (value) => {
      code = value;
    },
  };
  try {
    await createProgram(ctx).parseAsync(["node", "wtbhook", "check", ...args]);
  } catch (error) {
    if (!isWtbhookError(error)) throw error;
    stderr += `✖ ${error.message}\n`;
    code = error.exitCode;
  }
  return { code, stdout, stderr };
}

export interface JsonReport {
  target: string;
  checks: {
    id: string;
    status: "pass" | "warn" | "fail";
    reason: string;
    reproduce: string[];
    slowestMs: number | null;
    deliveries: {
      check: string;
      label: string;
      type: string | null;
      id: number | null;
      sent: boolean;
      status: number | null;
      ok: boolean;
      ms: number;
      error: string | null;
      command: string | null;
    }[];
  }[];
  summary: CheckSummary;
}

/** `check --format json` in-process, parsed. */
export async function checkJson(args: readonly string[]): Promise<{ code: number; report: JsonReport; stderr: string }> {
  const run = await checkInProcess([...args, "--format", "json"]);
  return { code: run.code, report: JSON.parse(run.stdout) as JsonReport, stderr: run.stderr };
}

/** id → status, for comparing whole verdicts at once. */
export function statuses(report: JsonReport): Record<string, string> {
  return Object.fromEntries(report.checks.map((check) => [check.id, check.status]));
}

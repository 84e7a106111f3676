// Runs `wtbhook check` from src/ in-process through cli.ts's run(), output captured: the
// command, the domain and the error reporting as the CLI has them, without a process.
import type { CheckSummary } from "../../src/check/runner.js";
import { runInProcess, type InProcessResult } from "../helpers/run-in-process.js";

export type CheckRun = InProcessResult;

export function checkInProcess(args: readonly string[], env: Record<string, string> = {}, signal?: AbortSignal): Promise<CheckRun> {
  return runInProcess(["check", ...args], { env, signal, program: "src" });
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

// `wtbhook drift --format json`: the report as one JSON document, for programs.

import type { DriftReport } from "../drift/drift.js";
import { escapeUnsafeInJson } from "../terminal/safe-text.js";

/** The report as it is, terminal-safe (what came from payloads cannot drive a terminal through it). */
export function formatDriftJson(report: DriftReport, version: string): string {
  return `${escapeUnsafeInJson(JSON.stringify({ tool: `wtbhook ${version}`, ...report }, null, 2))}\n`;
}

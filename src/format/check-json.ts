// `wtbhook check --format json`: one object on stdout, {"target", "checks", "summary"}.

import type { CheckReport } from "../check/runner.js";
import type { Delivery } from "../check/types.js";
import { escapeUnsafeInJson } from "../terminal/safe-text.js";

function deliveryJson(delivery: Delivery): Record<string, unknown> {
  return {
    check: delivery.check,
    label: delivery.label,
    type: delivery.type ?? null,
    id: delivery.id ?? null,
    sent: delivery.sent,
    status: delivery.status ?? null,
    ok: delivery.ok,
    ms: Math.round(delivery.ms * 10) / 10,
    error: delivery.error ?? null,
    location: delivery.location ?? null,
    answer: delivery.answer,
    command: delivery.command ?? null,
  };
}

export function formatCheckJson(report: CheckReport): string {
  const document = {
    target: report.target,
    checks: report.checks.map((check) => ({
      id: check.id,
      status: check.status,
      reason: check.reason,
      reproduce: check.reproduce,
      slowestMs: check.slowestMs === undefined ? null : Math.round(check.slowestMs * 10) / 10,
      deliveries: check.deliveries.map(deliveryJson),
    })),
    summary: { ...report.summary, elapsedMs: Math.round(report.summary.elapsedMs) },
  };
  // JSON.stringify escapes C0 controls; the rest that a terminal would obey is escaped here.
  return `${escapeUnsafeInJson(JSON.stringify(document, null, 2))}\n`;
}

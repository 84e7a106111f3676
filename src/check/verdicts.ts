// Words and verdicts the checks share: how a delivery was answered, in a few words, and the usual
// "every delivery must get a 2xx" judgement.

import type { CheckStatus, Delivery, Verdict } from "./types.js";

/** The first bytes of an answer's body, on one line, for a reason. */
function snippet(answer: string): string {
  const line = answer.replace(/\s+/g, " ").trim();
  return line.length > 60 ? `${line.slice(0, 60)}…` : line;
}

const NOT_SENT = "not sent (an earlier delivery of its check got no answer in time)";

/**
 * How a delivery was answered, as a phrase after "was": "answered 500 Internal Server Error
 * ({"error":"boom"})", "answered 308 Permanent Redirect to /webhooks/", "not answered: connection
 * refused by 127.0.0.1:3000".
 */
export function describeAnswer(delivery: Delivery): string {
  if (!delivery.sent) return NOT_SENT;
  if (delivery.status === undefined) return `not answered: ${delivery.error ?? "no answer"}`;
  const status = `${delivery.status}${delivery.statusText ? ` ${delivery.statusText}` : ""}`;
  if (delivery.status >= 300 && delivery.status < 400) {
    return `answered ${status} ${delivery.location === undefined ? "without a Location" : `to ${delivery.location}`}`;
  }
  const body = snippet(delivery.answer);
  return `answered ${status}${body ? ` (${body})` : ""}`;
}

/** "user.created", "user.created and post.created", "post.created ×20", "a, b and 3 more". */
function nameAll(labels: readonly string[]): string {
  const counts = new Map<string, number>();
  for (const label of labels) counts.set(label, (counts.get(label) ?? 0) + 1);
  const names = [...counts].map(([label, count]) => (count > 1 ? `${label} ×${count}` : label));
  if (names.length <= 2) return names.join(" and ");
  return `${names.slice(0, 2).join(", ")} and ${names.length - 2} more`;
}

/**
 * The failures grouped by how they were answered, the largest group first (those not sent
 * last), at most `shown` groups: "topic.created and topic.updated answered 500 Internal Server Error, user.updated not
 * answered: …".
 */
export function listFailures(failed: readonly Delivery[], shown = 2): string {
  const groups = new Map<string, string[]>();
  for (const delivery of failed) {
    const answer = describeAnswer(delivery);
    groups.set(answer, [...(groups.get(answer) ?? []), delivery.label]);
  }
  // What was not sent follows from an earlier failure: that one comes first.
  const sorted = [...groups].sort((a, b) => Number(a[0] === NOT_SENT) - Number(b[0] === NOT_SENT) || b[1].length - a[1].length);
  const named = sorted.slice(0, shown).map(([answer, labels]) => `${nameAll(labels)} ${answer}`);
  const rest = sorted.slice(shown).reduce((sum, [, labels]) => sum + labels.length, 0);
  return `${named.join("; ")}${rest > 0 ? `; and ${rest} more` : ""}`;
}

export function pass(reason: string): Verdict {
  return { status: "pass", reason };
}

/**
 * The usual judgement: pass when every delivery got a 2xx, else `status` with `failure` (given
 * the deliveries that did not) as the reason.
 */
export function everyAnswer2xx(
  deliveries: readonly Delivery[],
  status: Exclude<CheckStatus, "pass">,
  passed: string,
  failure: (failed: Delivery[]) => string,
): Verdict {
  const failed = deliveries.filter((delivery) => !delivery.ok);
  return failed.length === 0 ? pass(passed) : { status, reason: failure(failed) };
}

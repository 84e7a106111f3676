// response-time: judged over every delivery of the run but the burst's (a burst measures queueing,
// and judges its own timeouts). No answer within --timeout fails; over --slow warns.

import { formatDuration } from "../duration.js";
import type { CheckContext, CheckDefinition, Verdict } from "./types.js";
import { pass } from "./verdicts.js";

const UNDOCUMENTED = "Website Toolbox's own time limit is not documented";

export const responseTime: CheckDefinition = {
  id: "response-time",
  description:
    "judged over all checks: every answer within --timeout (default 10s; Website Toolbox's limit is not documented); warns over --slow (default 2s)",
  stage: "judge",
  run: (ctx) => Promise.resolve(judgeTimes(ctx)),
};

function judgeTimes(ctx: CheckContext): Verdict {
  const { timeoutMs, slowMs } = ctx.settings;
  const judged = ctx.history().filter((delivery) => delivery.sent && delivery.check !== "burst");
  const timedOut = judged.filter((delivery) => delivery.fault === "timeout");
  if (timedOut.length > 0) {
    const first = timedOut[0]!;
    const count = timedOut.length === 1 ? "1 delivery" : `${timedOut.length} deliveries`;
    return {
      status: "fail",
      reason: `${count} got no answer within --timeout ${formatDuration(timeoutMs)} (${first.label} of ${first.check}); ${UNDOCUMENTED}, so answer 2xx first and do the work after`,
      reproduce: first.command === undefined ? [] : [first.command],
      deliveries: timedOut,
    };
  }
  const answered = judged.filter((delivery) => delivery.status !== undefined);
  if (answered.length === 0) return pass("no delivery was answered, so there is no answer time to judge");
  const slowest = answered.reduce((a, b) => (b.ms > a.ms ? b : a));
  const slow = answered.filter((delivery) => delivery.ms > slowMs).sort((a, b) => b.ms - a.ms);
  if (slow.length === 0) {
    // The slowest is the delivery the verdict is about: its time is the one shown.
    return {
      ...pass(`every answer came within --slow ${formatDuration(slowMs)} (the slowest in ${formatDuration(slowest.ms)})`),
      deliveries: [slowest],
    };
  }
  const count = slow.length === 1 ? "1 answer" : `${slow.length} answers`;
  return {
    status: "warn",
    reason: `${count} took longer than --slow ${formatDuration(slowMs)} (the slowest: ${slowest.label} of ${slowest.check}, ${formatDuration(slowest.ms)}); ${UNDOCUMENTED}, so answer 2xx first and do the work after`,
    reproduce: slowest.command === undefined ? [] : [slowest.command],
    deliveries: slow,
  };
}

// no-redirect: judged over every delivery of the run. A 3xx is a failure that Website Toolbox
// never follows: the event is retried for 3 days and never arrives.

import type { CheckContext, CheckDefinition, Verdict } from "./types.js";
import { pass } from "./verdicts.js";

export const noRedirect: CheckDefinition = {
  id: "no-redirect",
  description: "judged over all checks: passes when no answer is a 3xx (a redirect is never followed)",
  stage: "judge",
  run: (ctx) => Promise.resolve(judgeRedirects(ctx)),
};

function judgeRedirects(ctx: CheckContext): Verdict {
  const redirected = ctx.history().filter((delivery) => delivery.status !== undefined && delivery.status >= 300 && delivery.status < 400);
  if (redirected.length === 0) return pass("no answer was a redirect (3xx)");
  const first = redirected[0]!;
  const where = first.location === undefined ? "without a Location header" : `to ${first.location}`;
  const count = redirected.length === 1 ? "1 answer was a redirect" : `${redirected.length} answers were redirects`;
  return {
    status: "fail",
    reason: `${count} (${first.label} of ${first.check}: ${first.status} ${where}); Website Toolbox does not follow redirects, so such an event is retried for 3 days and never arrives: give the forum the final URL`,
    reproduce: first.command === undefined ? [] : [first.command],
    deliveries: redirected,
  };
}

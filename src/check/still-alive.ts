// still-alive: one ordinary event after everything else: it must get a 2xx, which catches a
// consumer that answered and then crashed during the run.

import type { CheckDefinition } from "./types.js";
import { describeAnswer, pass } from "./verdicts.js";

export const stillAlive: CheckDefinition = {
  id: "still-alive",
  description: "one ordinary event after all the others; passes on a 2xx (catches a consumer that crashed during the run)",
  stage: "last",
  async run(ctx) {
    const type = ctx.source.types()[0]!;
    const before = ctx.history();
    const delivery = await ctx.deliver({ label: type, spec: { type } });
    if (delivery.ok) return pass(`an ordinary ${type} sent after all the other checks was answered 2xx`);
    if (delivery.status !== undefined)
      return { status: "fail", reason: `an ordinary ${type} sent after all the other checks was ${describeAnswer(delivery)}` };
    const lastAnswered = before.findLast((earlier) => earlier.status !== undefined);
    const got = `an ordinary ${type} sent after all the other checks got no answer (${delivery.error ?? "no answer"})`;
    if (!lastAnswered) return { status: "fail", reason: `${got}, and no delivery before it was answered either` };
    return {
      status: "fail",
      reason: `${got}: the consumer stopped during the run, probably a crash; the last delivery it answered was ${lastAnswered.check}'s ${lastAnswered.label}, so look at what that did to it`,
    };
  },
};

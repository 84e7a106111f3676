// retry-after-failure: an event, a later event about the same post, then the first event again on
// a new connection, as Website Toolbox's hourly retry arrives when it did not count the first
// delivery as received (the 2xx came too late, the connection broke). All must get a 2xx.

import type { CheckDefinition } from "./types.js";
import { describeAnswer, pass } from "./verdicts.js";

export const retryAfterFailure: CheckDefinition = {
  id: "retry-after-failure",
  description: "post.created, then post.approved, then post.created again (same id, new connection) as a retry; passes when all get a 2xx",
  stage: "together",
  async run(ctx) {
    const id = ctx.freshId();
    const first = await ctx.deliver({ label: "post.created", spec: { type: "post.created" }, id });
    const later = await ctx.deliver({ label: "post.approved", spec: { type: "post.approved" } });
    const retry = await ctx.deliver({
      label: "post.created (retry, same id, new connection)",
      spec: { type: "post.created" },
      id,
      newConnection: true,
    });
    if (first.ok && later.ok && retry.ok) {
      return pass(`post.created delivered again after a later post.approved, on a new connection as a retry arrives, was answered 2xx`);
    }
    // Its own id, so that the consumer has not seen it from this run.
    const replayId = String(ctx.freshId());
    const reproduce = [
      [
        ctx.command(["post.created", "--id", replayId]),
        ctx.command(["post.approved"]),
        ctx.command(["post.created", "--id", replayId]),
      ].join("; "),
    ];
    if (!first.ok || !later.ok) {
      const bad = first.ok ? later : first;
      return { status: "fail", reason: `${bad.label}, before the retry, was ${describeAnswer(bad)}`, reproduce };
    }
    return {
      status: "fail",
      reason: `the retry of post.created (id ${id}), after a later post.approved, was ${describeAnswer(retry)}: a retry must get a 2xx even when the event was handled already, or it is retried for 3 days`,
      reproduce,
    };
  },
};

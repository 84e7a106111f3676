// out-of-order: post.created and post.approved for a topic the consumer never saw, before that
// topic's topic.created (a failed event is retried an hour later, after the ones that followed
// it); a failure is a warning.

import type { CheckDefinition } from "./types.js";
import { everyAnswer2xx, listFailures } from "./verdicts.js";

const ORDER = ["post.created", "post.approved", "topic.created"];

export const outOfOrder: CheckDefinition = {
  id: "out-of-order",
  description:
    "post.created and post.approved for a topic never seen, before its topic.created; passes when all get a 2xx (warns otherwise)",
  stage: "together",
  async run(ctx) {
    // A topic id of this run only, the size of real ones.
    const topicId = Math.floor(ctx.freshId() / 1000) % 1_000_000_000;
    const set = [`data.object.topicId=${topicId}`];
    const deliveries = [];
    for (const type of ORDER) deliveries.push(await ctx.deliver({ label: type, spec: { type, set } }));
    const verdict = everyAnswer2xx(
      deliveries,
      "warn",
      `post.created and post.approved for topic ${topicId}, sent before its topic.created, were answered 2xx`,
      (failed) =>
        `events for topic ${topicId} sent before its topic.created did not all get a 2xx: ${listFailures(failed)}; events can arrive out of order, so store what you cannot link yet`,
    );
    return verdict.status === "pass" ? verdict : { ...verdict, reproduce: [ctx.command([...ORDER, "--set", set[0]!])] };
  },
};

// all-types: one event of every type Website Toolbox sends (the fixtures); each must get a 2xx.

import type { CheckDefinition } from "./types.js";
import { everyAnswer2xx, listFailures } from "./verdicts.js";

export const allTypes: CheckDefinition = {
  id: "all-types",
  description: "one event of each event type (the fixtures); passes when every answer is 2xx",
  stage: "together",
  async run(ctx) {
    const types = ctx.source.types();
    const deliveries = [];
    for (const type of types) deliveries.push(await ctx.deliver({ label: type, spec: { type } }));
    const verdict = everyAnswer2xx(
      deliveries,
      "fail",
      `all ${types.length} event types were answered 2xx`,
      (failed) =>
        `${failed.length} of ${types.length} event types did not get a 2xx: ${listFailures(failed)}; Website Toolbox retries every such event once an hour for 3 days`,
    );
    // One command sends every type that failed.
    const failedTypes = deliveries.filter((delivery) => !delivery.ok).map((delivery) => delivery.label);
    if (failedTypes.length === 0) return verdict;
    return { ...verdict, reproduce: [ctx.command(failedTypes.length === types.length ? ["--all"] : failedTypes)] };
  },
};

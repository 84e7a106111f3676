// concurrent-duplicate: the same event twice at once; both must get a 2xx.

import type { CheckDefinition } from "./types.js";
import { describeAnswer, pass } from "./verdicts.js";

export const concurrentDuplicate: CheckDefinition = {
  id: "concurrent-duplicate",
  description: "the same event twice at once; passes when both get a 2xx",
  stage: "alone",
  async run(ctx) {
    const type = ctx.source.types()[0]!;
    const id = ctx.freshId();
    const both = await Promise.all([
      ctx.deliver({ label: type, spec: { type }, id }),
      ctx.deliver({ label: `${type} (same id, at the same time)`, spec: { type }, id }),
    ]);
    const failed = both.filter((delivery) => !delivery.ok);
    if (failed.length === 0) return pass(`${type} sent twice at once with the same id was answered 2xx both times`);
    const which = failed.length === 2 ? "both deliveries" : "one of the two deliveries";
    return {
      status: "fail",
      reason: `${type} sent twice at once with the same id (${id}): ${which} ${describeAnswer(failed[0]!)}; a duplicate that arrives while the first is still being handled must get a 2xx too`,
      reproduce: [ctx.command([type, "--same-id", "--repeat", "2", "--concurrency", "2"])],
    };
  },
};

// burst: --burst N events at once (a busy forum, a moderator approving a queue); all must get a 2xx.

import type { CheckDefinition } from "./types.js";
import { everyAnswer2xx, listFailures } from "./verdicts.js";

export const burst: CheckDefinition = {
  id: "burst",
  description: "--burst N (default 20) post.created events at once; passes when all get a 2xx",
  stage: "alone",
  async run(ctx) {
    const count = ctx.settings.burst;
    const deliveries = await Promise.all(
      Array.from({ length: count }, () => ctx.deliver({ label: "post.created", spec: { type: "post.created" } })),
    );
    const verdict = everyAnswer2xx(
      deliveries,
      "fail",
      `${count} post.created events sent at once were all answered 2xx`,
      (failed) => `${failed.length} of ${count} events sent at once did not get a 2xx: ${listFailures(failed)}`,
    );
    const repeat = String(count);
    return verdict.status === "pass"
      ? verdict
      : { ...verdict, reproduce: [ctx.command(["post.created", "--repeat", repeat, "--concurrency", repeat])] };
  },
};

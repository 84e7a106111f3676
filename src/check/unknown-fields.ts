// unknown-fields: every type with fields it does not have today, in the envelope and in
// data.object (Website Toolbox adds fields without notice); each must get a 2xx.

import type { CheckDefinition } from "./types.js";
import { everyAnswer2xx, listFailures } from "./verdicts.js";

/** Plausible fields of tomorrow: a creation time on the envelope, reactions and labels on the object. */
const EXTRA_FIELDS = ["created=1767225600", 'data.object.reactionCounts={"like":2,"thanks":1}', 'data.object.labels=["featured"]'];

export const unknownFields: CheckDefinition = {
  id: "unknown-fields",
  description: "each event type with extra fields in the envelope and in data.object; passes when every answer is 2xx",
  stage: "together",
  async run(ctx) {
    const types = ctx.source.types();
    const deliveries = [];
    for (const type of types) deliveries.push(await ctx.deliver({ label: type, spec: { type, set: EXTRA_FIELDS } }));
    const verdict = everyAnswer2xx(
      deliveries,
      "fail",
      `all ${types.length} event types with extra fields in the envelope and data.object were answered 2xx`,
      (failed) =>
        `${failed.length} of ${types.length} events with extra fields did not get a 2xx: ${listFailures(failed)}; Website Toolbox adds fields without notice, so ignore the ones you do not know`,
    );
    const failedTypes = deliveries.filter((delivery) => !delivery.ok).map((delivery) => delivery.label);
    const sets = EXTRA_FIELDS.flatMap((text) => ["--set", text]);
    return failedTypes.length === 0 ? verdict : { ...verdict, reproduce: [ctx.command([...failedTypes, ...sets])] };
  },
};

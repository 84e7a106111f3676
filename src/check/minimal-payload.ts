// minimal-payload: each type with only the fields its schema requires (most fields are not
// documented as always present); each must get a 2xx.

import { outermostOptionalFields } from "./optional-fields.js";
import type { CheckDefinition } from "./types.js";
import { everyAnswer2xx, listFailures } from "./verdicts.js";

export const minimalPayload: CheckDefinition = {
  id: "minimal-payload",
  description: "each event type with only the fields its schema requires; passes when every answer is 2xx",
  stage: "together",
  async run(ctx) {
    const types = ctx.source.types();
    const deliveries = [];
    for (const type of types) {
      const event: unknown = JSON.parse((await ctx.source.plan({ type })).template.bytes.toString("utf8"));
      const unset = outermostOptionalFields(type, event);
      deliveries.push(await ctx.deliver({ label: type, spec: { type, unset } }));
    }
    return everyAnswer2xx(
      deliveries,
      "fail",
      `all ${types.length} event types with only their required fields were answered 2xx`,
      (failed) =>
        `${failed.length} of ${types.length} event types with only their required fields did not get a 2xx: ${listFailures(failed)}; read optional fields with a fallback`,
    );
  },
};

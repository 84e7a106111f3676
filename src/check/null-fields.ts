// null-fields: each type whose event has optional fields, with them all set to null; a failure is
// a warning (null is not in the schemas, but a PHP backend may well send it).

import { outermostOptionalFields } from "./optional-fields.js";
import type { CheckDefinition } from "./types.js";
import { everyAnswer2xx, listFailures, pass } from "./verdicts.js";

export const nullFields: CheckDefinition = {
  id: "null-fields",
  description: "each event type with its optional fields set to null; passes when every answer is 2xx (warns otherwise)",
  stage: "together",
  async run(ctx) {
    const deliveries = [];
    for (const type of ctx.source.types()) {
      const event: unknown = JSON.parse((await ctx.source.plan({ type })).template.bytes.toString("utf8"));
      const fields = outermostOptionalFields(type, event);
      if (fields.length === 0) continue;
      deliveries.push(await ctx.deliver({ label: type, spec: { type, set: fields.map((path) => `${path}=null`) }, invalid: true }));
    }
    if (deliveries.length === 0) return pass("no event has optional fields to set to null");
    return everyAnswer2xx(
      deliveries,
      "warn",
      `all ${deliveries.length} events with their optional fields set to null were answered 2xx`,
      (failed) =>
        `${failed.length} of ${deliveries.length} events with optional fields set to null did not get a 2xx: ${listFailures(failed)}; treat null like a missing field`,
    );
  },
};

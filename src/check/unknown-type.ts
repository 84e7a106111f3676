// unknown-type: a well-formed event of a type that does not exist yet; it must get a 2xx.

import type { CheckDefinition } from "./types.js";
import { describeAnswer, pass } from "./verdicts.js";

/** A type Website Toolbox could add any day: its object is a Topic, its name follows theirs. */
const FUTURE_TYPE = "topic.moved";

export const unknownType: CheckDefinition = {
  id: "unknown-type",
  description: `a well-formed event of a type that does not exist yet (${FUTURE_TYPE}); passes on a 2xx`,
  stage: "together",
  async run(ctx) {
    const delivery = await ctx.deliver({
      label: FUTURE_TYPE,
      spec: { type: "topic.created", set: [`type=${FUTURE_TYPE}`] },
      invalid: true,
    });
    if (delivery.ok) return pass(`${FUTURE_TYPE}, a type that does not exist yet, was answered 2xx`);
    return {
      status: "fail",
      reason: `${FUTURE_TYPE}, a type that does not exist yet, was ${describeAnswer(delivery)}: answer 2xx to types you do not handle, or every type Website Toolbox adds is retried for 3 days`,
    };
  },
};

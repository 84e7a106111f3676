// no-data: an event without `data` (consumer code in the wild guards for it); anything but a 5xx
// or no answer passes, and those only warn.

import type { CheckDefinition } from "./types.js";
import { describeAnswer, pass } from "./verdicts.js";

export const noData: CheckDefinition = {
  id: "no-data",
  description: "an event without data; passes on any answer but a 5xx or a dropped connection (warns then)",
  stage: "alone",
  async run(ctx) {
    const type = ctx.source.types()[0]!;
    const delivery = await ctx.deliver({ label: `${type} without data`, spec: { type, unset: ["data"] }, invalid: true });
    const status = delivery.status;
    if (status !== undefined && status < 500) return pass(`${type} without data was ${describeAnswer(delivery)}`);
    return {
      status: "warn",
      reason: `${type} without data was ${describeAnswer(delivery)}: check that data is there before reading it`,
    };
  },
};

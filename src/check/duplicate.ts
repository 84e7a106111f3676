// duplicate: the same event (same id, same bytes) twice, one after the other; both must get a 2xx.

import type { CheckDefinition } from "./types.js";
import { describeAnswer, pass } from "./verdicts.js";

export const duplicate: CheckDefinition = {
  id: "duplicate",
  description: "the same event (same id, same bytes) twice, one after the other; passes when both get a 2xx",
  stage: "together",
  async run(ctx) {
    const type = ctx.source.types()[0]!;
    const id = ctx.freshId();
    const first = await ctx.deliver({ label: type, spec: { type }, id });
    const second = await ctx.deliver({ label: `${type} (again, same id)`, spec: { type }, id });
    const reproduce = [ctx.command([type, "--same-id", "--repeat", "2"])];
    if (!first.ok) return { status: "fail", reason: `the first delivery of ${type} (id ${id}) was ${describeAnswer(first)}`, reproduce };
    if (second.ok) return pass(`${type} sent twice with the same id was answered 2xx both times`);
    return {
      status: "fail",
      reason: `${type} sent again with the same id (${id}) was ${describeAnswer(second)}: a duplicate must get a 2xx too (ignore it), or Website Toolbox retries it for 3 days`,
      reproduce,
    };
  },
};

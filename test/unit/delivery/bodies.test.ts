import { describe, expect, it } from "vitest";

import { createBodyFor, type IdMode } from "../../../src/delivery/bodies.js";
import { createTemplate } from "../../../src/delivery/event-body.js";
import type { PlanItem } from "../../../src/delivery/plan.js";

function item(text: string, freshId: boolean): PlanItem {
  const template = createTemplate(Buffer.from(text));
  return { source: "test", type: template.type, template, freshId, applied: [] };
}

const fixture = item('{"id": 7, "type": "user.created"}', true);
const ownBytes = item('{"id": 8, "type": "user.created"}', false);
const noId = item('{"type": "user.created"}', true);

/** Three deliveries of each item, in turn; ids from a counter starting at 100. */
function deliveries(mode: IdMode): [number | undefined, string][][] {
  let next = 100;
  const bodyFor = createBodyFor(mode, () => next++);
  const rounds: [number | undefined, string][][] = [];
  for (let round = 0; round < 3; round++) {
    rounds.push(
      [fixture, ownBytes, noId].map((one) => {
        const { id, body } = bodyFor(one);
        return [id, body.toString()];
      }),
    );
  }
  return rounds;
}

describe("createBodyFor: one place decides each delivery's bytes and id", () => {
  it("fresh: a new id per delivery for events that take one; the others as they are", () => {
    expect(deliveries({ kind: "fresh" }).map((round) => round.map(([id]) => id))).toEqual([
      [100, 8, undefined],
      [101, 8, undefined],
      [102, 8, undefined],
    ]);
    expect(deliveries({ kind: "fresh" })[1]![0]![1]).toBe('{"id": 101, "type": "user.created"}');
    expect(deliveries({ kind: "fresh" })[0]![1]![1]).toBe('{"id": 8, "type": "user.created"}');
  });

  it("same: one fresh id per event, shared by all its deliveries (the same bytes)", () => {
    expect(deliveries({ kind: "same" }).map((round) => round.map(([id]) => id))).toEqual([
      [100, 8, undefined],
      [100, 8, undefined],
      [100, 8, undefined],
    ]);
  });

  it("fixed: --id goes into every event that has an id, the user's own too", () => {
    const rounds = deliveries({ kind: "fixed", id: 5 });
    expect(rounds.map((round) => round.map(([id]) => id))).toEqual([
      [5, 5, undefined],
      [5, 5, undefined],
      [5, 5, undefined],
    ]);
    expect(rounds[2]![1]![1]).toBe('{"id": 5, "type": "user.created"}');
    expect(rounds[0]![2]![1]).toBe('{"type": "user.created"}');
  });
});

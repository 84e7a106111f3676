// Which bytes and envelope id each delivery of a planned event carries, per id mode: the one place
// that decides it, for the pre-send check, the dry run and the run alike.

import { createIdSource, renderBody } from "./event-body.js";
import type { PlanItem } from "./plan.js";

/** How envelope ids are chosen: `--id N` (fixed), `--same-id` (same), or a fresh one per delivery. */
export type IdMode = { kind: "fresh" } | { kind: "same" } | { kind: "fixed"; id: number };

/** One delivery's body and the envelope id written in it (undefined when it has none that is an integer). */
export interface DeliveryBody {
  id: number | undefined;
  body: Buffer;
}

/** Gives the body of the next delivery of an item. */
export type BodyFor = (item: PlanItem) => DeliveryBody;

/**
 * Makes `bodyFor` for one run. `--id N` writes N into every event that has a top-level id (the
 * user's own --data event too); otherwise an event that takes a fresh id (fixtures, scenario
 * steps, unless --set fixed the id) gets a new one per delivery, or with --same-id one per event
 * that all its deliveries share; every other event (a recording, --data) goes with its own bytes.
 */
export function createBodyFor(idMode: IdMode, nextId: () => number = createIdSource()): BodyFor {
  /** Bodies made once and reused (--id, --same-id): the same bytes for every delivery of an item. */
  const fixed = new Map<PlanItem, DeliveryBody>();
  const once = (item: PlanItem, id: number): DeliveryBody => {
    let made = fixed.get(item);
    if (made === undefined) {
      made = { id, body: renderBody(item.template, id) };
      fixed.set(item, made);
    }
    return made;
  };
  return (item) => {
    const template = item.template;
    if (template.idSpan !== undefined) {
      if (idMode.kind === "fixed") return once(item, idMode.id);
      if (item.freshId) {
        if (idMode.kind === "same") return fixed.get(item) ?? once(item, nextId());
        const id = nextId();
        return { id, body: renderBody(template, id) };
      }
    }
    return { id: template.id, body: template.bytes };
  };
}

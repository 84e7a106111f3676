// Which delivery of its event id a request is: redeliveries are marked, and --fail-first fails the first N.

import type { Reply } from "./answer.js";

/** @see ReceiverOptions.rememberIds */
export const DEFAULT_REMEMBER_IDS = 100_000;

/** Counts deliveries per event id, remembering at most `remember` ids (those first seen longest ago are forgotten). */
export class DeliveryCounter {
  private readonly counts = new Map<number, number>();
  private readonly remember: number;

  constructor(remember: number) {
    this.remember = Math.max(1, remember);
  }

  /** Counts one more delivery of `id`; returns which one it is (1 = the first). */
  count(id: number): number {
    const delivery = (this.counts.get(id) ?? 0) + 1;
    // A Map keeps insertion order: the first key is the id first seen longest ago.
    if (delivery === 1 && this.counts.size >= this.remember) this.counts.delete(this.counts.keys().next().value!);
    this.counts.set(id, delivery);
    return delivery;
  }
}

/** The 500 that `--fail-first N` gives the sender for the first N deliveries of an event id (forwarded or not). */
export function failFirstReply(failFirst: number, delivery: number, id: number): Reply {
  return {
    status: 500,
    by: "fail-first",
    contentType: "text/plain; charset=utf-8",
    body: `wtbhook: --fail-first ${failFirst} (delivery ${delivery} of event ${id})\n`,
  };
}

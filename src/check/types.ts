// The vocabulary of the consumer checks: what a check is, what it sends, and what it reports.

import type { AttemptOutcome } from "../http/attempt.js";
import type { CheckId } from "./check-ids.js";
import type { EventSource, EventSpec } from "./event-source.js";

/** fail: a real delivery would be retried or lost; warn: risky, not fatal; pass. */
export type CheckStatus = "pass" | "warn" | "fail";

/**
 * When a check runs. `together`: side by side with the other such checks (a few deliveries in
 * flight at once); `alone`: after them, one check at a time, so that load does not slow the
 * others' answers and a crash does not take them down; `last`: after everything that sends;
 * `judge`: sends nothing and judges the answers every other check got.
 */
export type CheckStage = "together" | "alone" | "last" | "judge";

/** One event a check asks to deliver. */
export interface DeliveryRequest {
  /** What it is, for people: "user.created", "topic.moved", "post.created (again, same id)". */
  label: string;
  /** The event, as the arguments of `wtbhook send` describe it. */
  spec: EventSpec;
  /** The envelope id to send; a fresh one when undefined. */
  id?: number | undefined;
  /** The event breaks its schema on purpose (its reproduction needs --no-validate). @default false */
  invalid?: boolean;
  /** Send it on a connection of its own, as a retry an hour later arrives. @default false */
  newConnection?: boolean;
}

/**
 * One delivery as it went: what was sent, and how the consumer answered (status, statusText, ok,
 * ms, error, fault and location as the HTTP attempt reported them).
 */
export interface Delivery extends Pick<AttemptOutcome, "status" | "statusText" | "ok" | "ms" | "error" | "fault" | "location"> {
  /** The check that sent it. */
  check: string;
  label: string;
  /** The `type` written in the body (undefined when it has none). */
  type: string | undefined;
  /** The envelope id written in the body. */
  id: number | undefined;
  /** False when it was not sent because an earlier delivery of its check got no answer in time. */
  sent: boolean;
  /** The start of the answer's body, as text (outside text: escape before printing). */
  answer: string;
  /** The `wtbhook send` command that makes this delivery again (undefined for a large body that passed). */
  command: string | undefined;
}

/** What a check concludes. */
export interface Verdict {
  status: CheckStatus;
  /** One sentence. */
  reason: string;
  /** Commands that reproduce a failure or warning; by default those of the deliveries that were not 2xx. */
  reproduce?: string[];
  /** For judges: the deliveries the verdict is about (their own list is empty). */
  deliveries?: Delivery[];
}

export interface CheckResult {
  id: string;
  status: CheckStatus;
  reason: string;
  reproduce: string[];
  deliveries: Delivery[];
  /** The slowest answer among the deliveries it sent or judged; undefined when none was answered. */
  slowestMs: number | undefined;
  elapsedMs: number;
}

/** The thresholds a run judges by. */
export interface CheckSettings {
  /** No answer within this is a failure; 0 = no limit. */
  timeoutMs: number;
  /** Answers slower than this get a warning. */
  slowMs: number;
  /** Events the burst check sends at once. */
  burst: number;
}

/** What a check gets to do its work. */
export interface CheckContext {
  readonly source: EventSource;
  readonly settings: CheckSettings;
  /**
   * Delivers one event and resolves with how it went (never rejects for network trouble). After a
   * delivery of this check got no answer within the timeout, later ones are not sent (`sent: false`).
   */
  deliver(request: DeliveryRequest): Promise<Delivery>;
  /** A fresh envelope id, unique in the run and above the previous run's. */
  freshId(): number;
  /** The `wtbhook send` command line with these arguments, aimed at the run's target with its headers. */
  command(args: readonly string[]): string;
  /** Every delivery of the run so far, in the order they ended. */
  history(): readonly Delivery[];
}

export interface CheckDefinition {
  /** The id users type: all-types, no-redirect, … (one of check-ids.ts). */
  id: CheckId;
  /** One line for --list: what is sent, and when it passes. */
  description: string;
  stage: CheckStage;
  run(ctx: CheckContext): Promise<Verdict>;
}

// Parses the durations that flags take: 500ms, 2s, 1m, 1h, or 0 for "no limit".

import { WtbhookError } from "./errors.js";

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
const PATTERN = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/;
/** The longest wait a Node.js timer can hold (about 24.8 days); a longer one would fire at once. */
export const MAX_DURATION_MS = 2_147_483_647;

/**
 * Returns milliseconds. A bare number is taken as seconds except `0`, which means no limit.
 * @throws WtbhookError (exit 2) for anything else.
 */
export function parseDuration(text: string, flag: string): number {
  const match = PATTERN.exec(text.trim());
  if (!match) {
    throw new WtbhookError(`${flag} takes a duration such as 500ms, 2s, 1m or 1h; got "${text}"`, {
      code: "bad-flag",
    });
  }
  const value = Number(match[1]);
  const unit = match[2] ?? "s";
  const ms = value * (UNITS[unit] ?? 1000);
  if (ms > MAX_DURATION_MS) {
    throw new WtbhookError(`${flag} takes at most 596h (about 24.8 days, the longest a timer can wait); got "${text}"`, {
      code: "bad-flag",
    });
  }
  // A positive duration under half a millisecond must not round to 0, which means "no limit".
  return ms > 0 ? Math.max(1, Math.round(ms)) : 0;
}

/** A duration for people: 850ms, 2.5s, 3m, 1h. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  if (ms < 60_000) return `${Number((ms / 1000).toFixed(1))}s`;
  if (ms < 3_600_000) return `${Number((ms / 60_000).toFixed(1))}m`;
  return `${Number((ms / 3_600_000).toFixed(1))}h`;
}

// Website Toolbox's retry schedule: once an hour, for up to 3 days.

/** Website Toolbox retries a failed delivery once an hour... */
export const WT_RETRY_INTERVAL_MS = 3_600_000;
/** ...for up to 3 days: 72 retries after the first attempt. */
export const WT_MAX_RETRIES = 72;

export interface RetryPolicy {
  /** Attempts in all, the first included. */
  maxAttempts: number;
  /** Wait between attempts. */
  intervalMs: number;
}

/**
 * The schedule for one delivery: a single attempt unless `retry`; with it, Website Toolbox's
 * hourly schedule, optionally compressed (`intervalMs`) or capped (`maxAttempts`).
 */
export function retryPolicy(options: { retry: boolean; intervalMs?: number | undefined; maxAttempts?: number | undefined }): RetryPolicy {
  if (!options.retry) return { maxAttempts: 1, intervalMs: 0 };
  return {
    maxAttempts: options.maxAttempts ?? WT_MAX_RETRIES + 1,
    intervalMs: options.intervalMs ?? WT_RETRY_INTERVAL_MS,
  };
}

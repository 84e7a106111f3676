// The one clock for durations: milliseconds from an arbitrary start, never going back. Not
// performance.now(): its global loads node:perf_hooks on first use, about a millisecond of start-up.

/** Milliseconds, with sub-millisecond precision, from an arbitrary start. */
export function now(): number {
  const time = process.hrtime();
  return time[0] * 1e3 + time[1] / 1e6;
}

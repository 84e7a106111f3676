// ISO 8601 timestamps for lines written per event; many events share a millisecond under load.

let cachedMs = Number.NaN;
let cachedIso = "";

/** `time.toISOString()`, formatted once per millisecond. */
export function isoTime(time: Date): string {
  const ms = time.getTime();
  if (ms !== cachedMs) {
    cachedMs = ms;
    cachedIso = time.toISOString();
  }
  return cachedIso;
}

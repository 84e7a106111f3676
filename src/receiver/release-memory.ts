// Gives memory back to the system during and after bursts of large bodies: V8 collects its large
// strings and buffers only under pressure, so listen would otherwise grow to several times what it
// holds, and keep hundreds of MB once idle.

import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";

/** After this many bytes of bodies, a collection runs even while the traffic goes on. */
const COLLECT_EVERY = 128 * 1024 * 1024;

/** A burst of at least this many bytes of bodies is followed by a collection once it is over. */
const BURST_BYTES = 32 * 1024 * 1024;

/** How long the bodies must have all been done before the collection after a burst. */
const QUIET_MS = 1_000;

let collect: (() => void) | undefined | null;

/** V8's full collection, or null where it cannot be had (flags locked down). */
function collector(): (() => void) | null {
  if (collect === undefined) {
    try {
      // Exposes gc() to contexts created from now on; the one made here hands it over.
      setFlagsFromString("--expose-gc");
      collect = runInNewContext("gc") as () => void;
    } catch {
      collect = null;
    }
  }
  return collect;
}

/** A full collection, then another once the first one's finalizers have freed the buffers' memory. */
function collectTwice(): void {
  const gc = collector();
  if (!gc) return;
  gc();
  setTimeout(gc, 100).unref();
}

/**
 * Watches the bodies taken in. Every COLLECT_EVERY bytes a collection runs (at the end of the
 * turn), which keeps a long flood of large bodies from growing the heap far beyond what is held;
 * and once BURST_BYTES or more came in and nothing is held for QUIET_MS, one more runs, which
 * returns the memory of the burst to the system.
 */
export class BurstRelease {
  private sinceQuiet = 0;
  private sinceCollect = 0;
  private timer: NodeJS.Timeout | undefined;

  /** Tells that `bytes` more of bodies were taken in. */
  took(bytes: number): void {
    this.sinceQuiet += bytes;
    this.sinceCollect += bytes;
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.sinceCollect >= COLLECT_EVERY) {
      this.sinceCollect = 0;
      setImmediate(() => collector()?.());
    }
  }

  /** Tells how many bytes of bodies are held now. */
  held(bytes: number): void {
    if (bytes > 0 || this.sinceQuiet < BURST_BYTES || this.timer !== undefined) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.sinceQuiet = 0;
      this.sinceCollect = 0;
      collectTwice();
    }, QUIET_MS);
    this.timer.unref();
  }

  /** Stops watching (the receiver is closing). */
  stop(): void {
    clearTimeout(this.timer);
  }
}

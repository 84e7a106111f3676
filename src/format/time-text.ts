// Times and durations as the lines of listen and send show them.

import { formatDuration } from "../duration.js";

// Load mode writes tens of thousands of lines a second, nearly all in the same second: its
// `HH:MM:SS` is made once per second and reused.
let lastSecond = Number.NaN;
let lastSecondText = "";

/** `12:00:01`, local time; with `millis`, `12:00:01.123`. */
export function clockText(time: Date, millis = false): string {
  const ms = time.getTime();
  const second = Math.floor(ms / 1000);
  if (second !== lastSecond) {
    const two = (n: number): string => String(n).padStart(2, "0");
    lastSecondText = `${two(time.getHours())}:${two(time.getMinutes())}:${two(time.getSeconds())}`;
    lastSecond = second;
  }
  return millis ? `${lastSecondText}.${String(ms - second * 1000).padStart(3, "0")}` : lastSecondText;
}

/** `4.2ms` under ten milliseconds, else as formatDuration (`12ms`, `1.5s`). */
export function durationText(ms: number): string {
  return ms < 10 ? `${ms.toFixed(1)}ms` : formatDuration(ms);
}

// A line as segments that may be shortened in a given order, and the layout that joins them: whole
// for a pipe, fitted to the width for a terminal (terminal/fit.ts, loaded only for a terminal).

import type { OutputStream } from "../context.js";

/** One piece of a line. Its text is what is shown (already terminal-safe), before styling; empty text is left out. */
export interface Segment {
  text: string;
  /** Applied after fitting, so that escape sequences are never counted or cut. */
  style?: ((text: string) => string) | undefined;
  /** What stands before it, unless nothing is shown before it. @default "" */
  gap?: string;
  /**
   * When the fitter may shorten it: segments of a lower rank are shortened first (the rightmost
   * of a rank first), each down to `min`. Undefined: never shortened (a status, an id, a verdict).
   */
  rank?: number;
  /** Columns it keeps when shortened (an ellipsis included); 0 lets it go entirely. @default 0 */
  min?: number;
  /** Shown whole or left out, never cut (a time, a duration: "12:0…" says nothing). @default false */
  whole?: boolean;
}

/**
 * The one order in which the lines of listen and send give way on a narrow terminal: the answer
 * preview first, then the facts, side notes, the time, durations, a problem's wording and the
 * event type. The status, the id and the ✓/✗ verdict have no rank: they always stay.
 */
export const RANK = {
  preview: 1,
  facts: 2,
  note: 3,
  time: 4,
  duration: 5,
  detail: 6,
  type: 7,
} as const;

/** Columns kept of a shortened event type or problem, so that it can still be recognised. */
export const KEEP_COLUMNS = 12;

/** How lines are laid out for one output stream. */
export interface Layout {
  /** The width to fit, read now (a terminal can be resized); undefined for a pipe, where nothing is shortened. */
  columns(): number | undefined;
  /** The segments as one line, shortened by rank to fit `width` (default: the columns). */
  line(segments: readonly Segment[], width?: number): string;
  /**
   * Each line of `text` broken at spaces where it is wider than the columns. A continuation line
   * starts with `hang` (default: the line's own indentation and two spaces).
   */
  wrap(text: string, hang?: string): string;
}

/**
 * The segments joined, styled: whole for a pipe (or a test), or each as `shown[i]` where the fitter
 * shortened it (an empty text is left out, its gap with it).
 */
export function joinSegments(segments: readonly Segment[], shown?: readonly string[]): string {
  let out = "";
  let first = true;
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i]!;
    const text = shown ? shown[i]! : segment.text;
    if (text === "") continue;
    if (!first) out += segment.gap ?? "";
    out += segment.style ? segment.style(text) : text;
    first = false;
  }
  return out;
}

/** No width: lines are never shortened or wrapped (pipes, files, --json, and formatter tests). */
export const plainLayout: Layout = {
  columns: () => undefined,
  line: (segments) => joinSegments(segments),
  wrap: (text) => text,
};

/**
 * The layout for what is written to `stream`: fitted to its width when it is a terminal, whole
 * otherwise. The fitter (and string-width) is loaded only for a terminal: piped runs and start-up
 * do not pay for it.
 */
export async function layoutFor(stream: OutputStream): Promise<Layout> {
  if (stream.isTTY !== true) return plainLayout;
  const { terminalLayout } = await import("./fit.js");
  return terminalLayout(stream);
}

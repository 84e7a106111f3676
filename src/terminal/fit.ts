// Fitting lines to a terminal's width: display widths (wide characters, emoji, combining marks),
// cutting with an ellipsis, shortening segments by rank, wrapping prose at spaces. Loaded only
// when writing to a terminal (see layoutFor in line.ts).

import { eastAsianWidth } from "get-east-asian-width";

import type { OutputStream } from "../context.js";
import { joinSegments, type Layout, type Segment } from "./line.js";

const PRINTABLE_ASCII = /^[\u0020-\u007e]*$/;
/** The colours wtbhook's styles add (SGR sequences): the only escape sequences in its lines, as outside text is escaped. */
const COLOURS = /\u001b\[[0-9;]*m/g;
/** Characters that take no column of their own: combining marks, format characters, variation selectors. */
const ZERO_WIDTH = /^[\p{Mn}\p{Me}\p{Cf}\p{Variation_Selector}]$/u;
/**
 * Characters whose width depends on their neighbours (combining marks, joiners, variation
 * selectors, skin tones, flags, Hangul jamo, tags): text holding one is measured as grapheme
 * clusters by string-width.
 */
const CLUSTERING = /[\p{M}\p{Cf}\p{Variation_Selector}\p{Emoji_Modifier}\p{Regional_Indicator}\u1100-\u11ff\ua960-\ua97f\ud7b0-\ud7ff]/u;

/** string-width, once loaded: the first text that needs it starts the load. */
let clusterWidth: ((text: string) => number) | undefined;
let loading: Promise<void> | undefined;

/**
 * Loads string-width (about 100 ms of start-up on a busy machine: grapheme segmentation and the
 * emoji sequence tables), which only text with combining or joining characters needs.
 */
export function loadClusterWidths(): Promise<void> {
  loading ??= import("string-width").then((module) => {
    clusterWidth = module.default;
  });
  return loading;
}

/** One code point's columns by its East Asian Width (the table string-width itself uses). */
function codePointWidth(char: string): number {
  const code = char.codePointAt(0)!;
  // U+FE0F asks for the emoji form, two columns: counted on its own so that the sum never falls short.
  if (code === 0xfe0f) return 1;
  if (code < 0x20 || (code >= 0x7f && code < 0xa0) || ZERO_WIDTH.test(char)) return 0;
  return eastAsianWidth(code);
}

/**
 * Columns `text` takes on a terminal: East Asian wide characters and emoji 2, combining marks and
 * escape sequences (colours) 0. Printable ASCII is its length; other text is summed by East Asian
 * Width, except text with characters that combine or join, which string-width measures as
 * grapheme clusters (until it is loaded, such text is over-counted, never under-counted).
 */
export function displayWidth(text: string): number {
  if (PRINTABLE_ASCII.test(text)) return text.length;
  const plain = text.includes("\u001b") ? text.replace(COLOURS, "") : text;
  if (CLUSTERING.test(plain)) {
    if (clusterWidth) return clusterWidth(plain);
    void loadClusterWidths();
  }
  let width = 0;
  for (const char of plain) width += codePointWidth(char);
  return width;
}

let graphemes: Intl.Segmenter | undefined;

/** The characters of `text` as the terminal shows them: clusters where characters combine. */
function characters(text: string): Iterable<string> {
  if (!CLUSTERING.test(text)) return text;
  graphemes ??= new Intl.Segmenter();
  return Array.from(graphemes.segment(text), (part) => part.segment);
}

/** `text` in at most `width` columns, ending in "…" when cut; cut between characters, never inside one. */
export function cutToWidth(text: string, width: number): string {
  if (displayWidth(text) <= width) return text;
  if (width < 1) return "";
  let out = "";
  let used = 0;
  for (const char of characters(text)) {
    const columns = displayWidth(char);
    if (used + columns > width - 1) break;
    out += char;
    used += columns;
  }
  // "a long…", not "a long …".
  return `${out.trimEnd()}…`;
}

/** A cut keeps at least this many columns (five characters and the ellipsis), or the segment goes: less says nothing. */
const MIN_CUT = 6;

interface Placed {
  segment: Segment;
  shown: string;
  width: number;
  gapWidth: number;
}

function lineWidth(placed: readonly Placed[]): number {
  let sum = 0;
  let first = true;
  for (const item of placed) {
    if (item.shown === "") continue;
    sum += (first ? 0 : item.gapWidth) + item.width;
    first = false;
  }
  return sum;
}

/** Shows `item` as `text`; false (and unchanged) when the line would then be wider than `width`. */
function tryShow(placed: readonly Placed[], item: Placed, text: string, width: number): boolean {
  const before = { shown: item.shown, width: item.width };
  item.shown = text;
  item.width = displayWidth(text);
  if (lineWidth(placed) <= width) return true;
  Object.assign(item, before);
  return false;
}

/** What `item` can be cut to in `target` columns: "" when it must go instead (too little left, or `whole`). */
function shortened(item: Placed, target: number, min: number): string {
  return target < Math.max(min, MIN_CUT) || item.segment.whole === true ? "" : cutToWidth(item.segment.text, target);
}

/**
 * The segments as one line of at most `width` columns where it can be done. Segments are shortened
 * by rank (lowest first, rightmost first within a rank), each only as much as needed and not below
 * its `min`; one that would keep fewer than MIN_CUT columns, or is `whole`, goes entirely, its gap
 * with it. If that is not enough, the same again below the mins. Then what was shortened gets back
 * what still fits, in the reverse order (greedy shortening can take more than needed: the last fact
 * dropped before the first one had to go too, when the first alone would have made room).
 * Segments without a rank are never touched: when they alone are wider, the line is wider.
 */
export function fitSegments(segments: readonly Segment[], width: number): string {
  const placed: Placed[] = segments
    .filter((segment) => segment.text !== "")
    .map((segment) => ({ segment, shown: segment.text, width: displayWidth(segment.text), gapWidth: displayWidth(segment.gap ?? "") }));
  let excess = lineWidth(placed) - width;
  if (excess <= 0) return joinSegments(segments);
  const ranks = [...new Set(placed.map((item) => item.segment.rank).filter((rank) => rank !== undefined))].sort((a, b) => a - b);
  const shortenedOrder: Placed[] = [];
  for (const keepMin of [true, false]) {
    for (const rank of ranks) {
      for (let i = placed.length - 1; i >= 0 && excess > 0; i--) {
        const item = placed[i]!;
        const min = keepMin ? (item.segment.min ?? 0) : 0;
        if (item.segment.rank !== rank || item.width <= min) continue;
        item.shown = shortened(item, Math.max(min, item.width - excess), min);
        item.width = displayWidth(item.shown);
        if (!shortenedOrder.includes(item)) shortenedOrder.push(item);
        excess = lineWidth(placed) - width;
      }
    }
  }
  // What gave way last comes back first, and nothing of a lower rank comes back once one of a
  // higher rank could not: a lower rank is never shown whole while a higher one is cut.
  let failedRank: number | undefined;
  for (const item of shortenedOrder.reverse()) {
    const rank = item.segment.rank!;
    if (failedRank !== undefined && rank < failedRank) break;
    if (tryShow(placed, item, item.segment.text, width)) continue;
    failedRank = rank;
    // As much as the room allows: the columns it has now, the free ones, less its gap if it is back.
    const room = width - lineWidth(placed) + item.width - (item.shown === "" ? item.gapWidth : 0);
    const text = room > item.width ? shortened(item, room, item.segment.min ?? 0) : "";
    if (text !== "" && displayWidth(text) > item.width) tryShow(placed, item, text, width);
  }
  return joinSegments(
    placed.map((item) => item.segment),
    placed.map((item) => item.shown),
  );
}

/** Leading spaces, a word, and so on: the pieces a line is broken between. */
const PIECES = / +|[^ ]+/g;

/**
 * `line` broken at spaces into lines of at most `width` columns, continuation lines starting with
 * `hang`. Escape sequences (colours) count 0 columns; a word wider than the room keeps a line of
 * its own rather than being cut.
 */
export function wrapLine(line: string, width: number, hang: string): string[] {
  if (displayWidth(line) <= width) return [line];
  const indent = /^ */.exec(line)![0];
  const lines: string[] = [];
  let current = indent;
  let currentWidth = indent.length;
  let space = "";
  let started = false;
  for (const piece of line.slice(indent.length).match(PIECES) ?? []) {
    if (piece.startsWith(" ")) {
      space += piece;
      continue;
    }
    const pieceWidth = displayWidth(piece);
    if (pieceWidth === 0 && started) {
      // A colour's end after padding (`cyan(pointer.padEnd(n))`): it goes with the word before it,
      // and the padding stays pending, so a break here leaves no spaces at the end of the line.
      current += piece;
      continue;
    }
    if (started && currentWidth + space.length + pieceWidth > width) {
      lines.push(current);
      current = hang + piece;
      currentWidth = displayWidth(hang) + pieceWidth;
    } else {
      current += (started ? space : "") + piece;
      currentWidth += (started ? space.length : 0) + pieceWidth;
    }
    started = true;
    space = "";
  }
  lines.push(current);
  return lines;
}

/** A terminal's layout: its width read at each line (so a resize applies to the next line). */
export function terminalLayout(stream: OutputStream): Layout {
  // A pseudo-terminal may report 0 columns, or none.
  const columns = (): number => (stream.columns !== undefined && stream.columns > 0 ? stream.columns : 80);
  return {
    columns,
    line: (segments, width) => fitSegments(segments, width ?? columns()),
    wrap: (text, hang) => {
      const width = columns();
      return text
        .split("\n")
        .flatMap((line) => wrapLine(line, width, hang ?? `${/^ */.exec(line)![0]}  `))
        .join("\n");
    },
  };
}

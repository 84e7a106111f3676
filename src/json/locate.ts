// Where values sit in JSON bytes that JSON.parse accepted: the offsets of JSON Pointers (all of
// them in one pass, so 50,000 problems cost one scan, not 50,000) and of a top-level array's elements.

import { CLOSE_BRACE, CLOSE_BRACKET, COMMA, OPEN_BRACE, OPEN_BRACKET, QUOTE, readKey, skipSpace, skipString, skipValue } from "./scan.js";

/** One place in the tree of the pointers asked for. */
interface Place {
  /** Member names below this place that are asked for (as in an object). */
  children: Map<string, Place> | undefined;
  /** The same places by canonical index ("1", never "01"), for when this place is an array. */
  elements: Map<number, Place> | undefined;
  /** Offset of the value, when it was reached. */
  offset: number;
  /** Stamp of the last time the value was reached (duplicate keys reach a place again: the last wins). */
  visit: number;
  /** The parent's stamp when this place was reached: stale if the parent was reached again later. */
  parentVisit: number;
}

const newPlace = (): Place => ({ children: undefined, elements: undefined, offset: -1, visit: 0, parentVisit: -1 });
const INDEX = /^(0|[1-9][0-9]*)$/;

/** A container being walked: the place it is, and where its next member starts. */
interface Frame {
  place: Place;
  close: number;
  at: number;
  index: number;
}

/**
 * The offset of the value each pointer (as reference tokens) names, in valid JSON bytes whose
 * value starts at or after `start`. A place that does not exist gives its deepest existing parent
 * (a missing property: the object that lacks it). With duplicate keys the last one wins, as in
 * JSON.parse. One pass over the bytes, whatever the number of pointers.
 */
export function locatePointers(bytes: Uint8Array, pointers: readonly (readonly string[])[], start = 0): number[] {
  const root = newPlace();
  for (const tokens of pointers) {
    let place = root;
    for (const token of tokens) {
      place.children ??= new Map();
      let child = place.children.get(token);
      if (!child) {
        child = newPlace();
        place.children.set(token, child);
        if (INDEX.test(token)) (place.elements ??= new Map()).set(Number(token), child);
      }
      place = child;
    }
  }

  let stamp = 0;
  const stack: Frame[] = [];
  /** Reaches the value at `at` for `place`: records it, and walks into it if deeper places are asked for. */
  const reach = (place: Place, at: number, parentVisit: number): number | undefined => {
    place.offset = at;
    place.visit = ++stamp;
    place.parentVisit = parentVisit;
    const byte = bytes[at];
    if (place.children === undefined || (byte !== OPEN_BRACE && byte !== OPEN_BRACKET)) return skipValue(bytes, at);
    stack.push({ place, close: byte === OPEN_BRACE ? CLOSE_BRACE : CLOSE_BRACKET, at: skipSpace(bytes, at + 1), index: 0 });
    return undefined;
  };

  let end = reach(root, skipSpace(bytes, start), 0);
  while (stack.length > 0) {
    const frame = stack.at(-1)!;
    if (end !== undefined) {
      // The member before has ended at `end`: past its comma, or the container closes.
      const next = skipSpace(bytes, end);
      if (bytes[next] !== COMMA) {
        stack.pop();
        end = next + 1;
        continue;
      }
      frame.at = skipSpace(bytes, next + 1);
    }
    let at = frame.at;
    if (bytes[at] === frame.close) {
      stack.pop();
      end = at + 1;
      continue;
    }
    let child: Place | undefined;
    if (frame.close === CLOSE_BRACE) {
      if (bytes[at] !== QUOTE) {
        // Not JSON.parse's JSON after all: stop rather than guess.
        break;
      }
      const keyEnd = skipString(bytes, at);
      child = frame.place.children!.get(readKey(bytes, at, keyEnd));
      at = skipSpace(bytes, skipSpace(bytes, keyEnd) + 1);
    } else {
      child = frame.place.elements?.get(frame.index++);
    }
    end = child ? reach(child, at, frame.place.visit) : skipValue(bytes, at);
  }

  // A place counts only if it was reached during its parent's last visit (duplicate keys); else
  // the deepest place that counts stands in for it.
  return pointers.map((tokens) => {
    let place = root;
    for (const token of tokens) {
      const child = place.children!.get(token)!;
      if (child.visit === 0 || child.parentVisit !== place.visit) break;
      place = child;
    }
    return place.offset;
  });
}

/** The offset of the value one pointer names (see locatePointers). */
export function locatePointer(bytes: Uint8Array, tokens: readonly string[], start = 0): number {
  return locatePointers(bytes, [tokens], start)[0]!;
}

/** Offsets of the elements of the array starting at or after `start`, in valid JSON bytes. */
export function arrayElementOffsets(bytes: Uint8Array, start = 0): number[] {
  const offsets: number[] = [];
  let i = skipSpace(bytes, start);
  if (bytes[i] !== OPEN_BRACKET) return offsets;
  i = skipSpace(bytes, i + 1);
  if (bytes[i] === CLOSE_BRACKET) return offsets;
  while (i < bytes.length) {
    offsets.push(i);
    i = skipSpace(bytes, skipValue(bytes, i));
    if (bytes[i] !== COMMA) break;
    i = skipSpace(bytes, i + 1);
  }
  return offsets;
}

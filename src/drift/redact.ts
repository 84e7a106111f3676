// Redaction of real payloads for drift reports and imported fixtures: email addresses, names and
// free text become placeholders of the same shape; numbers, booleans and null are kept. When it is
// not sure a string is harmless, it redacts it.

import { isEventType } from "../catalog/catalog.js";
import { scanContainer, type Container } from "../json/edit.js";
import { skipSpace, skipString } from "../json/scan.js";

/** Object names the catalogue knows: an `object` field holding one of these is not personal. */
const OBJECT_NAMES = new Set([
  "event",
  "user",
  "topic",
  "post",
  "conversation",
  "message",
  "category",
  "usergroup",
  "attachment",
  "payment",
  "subscription",
]);
/** An event type's shape: dotted lower-case words. Kept, since the type is what the report is about. */
const EVENT_TYPE = /^[a-z][a-z0-9_]*(?:\.[a-z][a-z0-9_]*)+$/;

/**
 * Anything with an `@` between non-blank characters is taken for an email address: "j.doe@x.io",
 * but also "john@localhost" or an address hidden in a URL or HTML. Being generous costs nothing.
 */
const EMAIL = /[^\s@<>"'(),;:[\]\\]+@[^\s@<>"'(),;:[\]\\]+/gu;
const URL_START = /^[a-z][a-z0-9+.-]*:\/\//i;

/** An email address of the same shape: the local part as that many "x", the domain example.com. */
function emailPlaceholder(address: string): string {
  const at = address.lastIndexOf("@");
  const local = Math.min(Math.max(at, 1), 64);
  return `${"x".repeat(local)}@example.com`;
}

/**
 * A string of the same shape: capitals X, other letters x, digits 0, blanks and ASCII punctuation
 * kept, anything else x. "John Doe" is "Xxxx Xxx", "181855" is "000000".
 */
function mask(text: string): string {
  let out = "";
  for (const char of text) {
    if (/\p{Lu}/u.test(char)) out += "X";
    else if (/\p{L}/u.test(char)) out += "x";
    else if (/\p{Nd}/u.test(char)) out += "0";
    else if (/[\s!-/:-@[-`{-~]/u.test(char)) out += char;
    else out += "x";
  }
  return out;
}

/** A URL with its host replaced by example.com and the rest masked: the shape of a link, none of its content. */
function maskUrl(text: string): string {
  const scheme = URL_START.exec(text)![0];
  const rest = text.slice(scheme.length);
  const slash = rest.search(/[/?#]/);
  const path = slash < 0 ? "" : rest.slice(slash);
  return `${scheme.toLowerCase()}example.com${mask(path)}`;
}

/** Free text (HTML, several lines, a long sentence): its content is no one's business, so only its length is kept. */
function isFreeText(text: string): boolean {
  return /<[a-z/!][^>]*>/i.test(text) || text.includes("\n") || (text.length > 48 && /\s/.test(text));
}

function freeTextPlaceholder(text: string): string {
  const n = [...text].length;
  return /<[a-z/!][^>]*>/i.test(text) ? `<p>[redacted HTML, ${n} characters]</p>` : `[redacted text, ${n} characters]`;
}

/**
 * A string value, redacted. `key` is the name of the member holding it (for array items, the
 * array's), `envelope` says it is a member of the event's top level: the only strings kept as they
 * are are the event's type (any dotted lower-case name there, a known event type anywhere), `mode`
 * and `api_version` values of their documented shapes, an `object` naming a kind of object, and a
 * three-letter currency code. Everything else is masked: email addresses as addresses, URLs as
 * URLs, free text as a placeholder.
 */
export function redactString(value: string, key: string | undefined, envelope = false): string {
  if (!value.includes("@")) {
    if (key === "type" && (isEventType(value) || (envelope && EVENT_TYPE.test(value)))) return value;
    if (key === "object" && OBJECT_NAMES.has(value.toLowerCase())) return value;
    if (key === "mode" && (value === "live" || value === "test")) return value;
    if (key === "api_version" && /^\d{1,4}(?:\.\d{1,4})*$/.test(value)) return value;
    if (key === "currency" && /^[A-Z]{3}$/.test(value)) return value;
  }
  if (isFreeText(value)) return freeTextPlaceholder(value);
  // Addresses first, then the rest around them: "John <j@x.io>" is "Xxxx <x@example.com>".
  let out = "";
  let last = 0;
  for (const match of value.matchAll(EMAIL)) {
    out += maskPart(value.slice(last, match.index));
    out += emailPlaceholder(match[0]);
    last = match.index + match[0].length;
  }
  return out + maskPart(value.slice(last));
}

function maskPart(text: string): string {
  return URL_START.test(text) ? maskUrl(text) : mask(text);
}

/**
 * A member name, redacted only when it looks like data rather than a field name: it holds an `@`,
 * a blank or a character outside letters, digits and `_.-$`, or it is very long.
 */
export function redactKey(key: string): string {
  if (/^[A-Za-z0-9_.$-]{1,64}$/.test(key)) return key;
  return redactString(key, undefined);
}

/**
 * A parsed value, redacted: strings and member names as above, the rest kept. `key` is the member
 * holding it; `envelope` that it is the whole event (its members are the envelope's).
 */
export function redactValue(value: unknown, key?: string, envelope = false): unknown {
  if (typeof value === "string") return redactString(value, key, envelope);
  if (Array.isArray(value)) return value.map((item) => redactValue(item, key));
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [name, item] of Object.entries(value)) {
      const redacted = typeof item === "string" ? redactString(item, name, envelope) : redactValue(item, name);
      // defineProperty, not assignment: a "__proto__" key stays data.
      Object.defineProperty(out, redactKey(name), { value: redacted, enumerable: true, writable: true, configurable: true });
    }
    return out;
  }
  return value;
}

interface Edit {
  start: number;
  end: number;
  text: string;
}

/** The edits that redact one container's member names and string values, and those inside it. */
function collectEdits(bytes: Buffer, container: Container, key: string | undefined, edits: Edit[], envelope: boolean): number {
  let count = 0;
  for (const slot of container.slots) {
    if (slot.key !== undefined) {
      const redacted = redactKey(slot.key);
      if (redacted !== slot.key) {
        edits.push({ start: slot.start, end: skipString(bytes, slot.start), text: JSON.stringify(redacted) });
        count++;
      }
    }
    const holder = slot.key ?? key;
    const first = bytes[slot.valueStart];
    if (first === 0x22) {
      const value = JSON.parse(bytes.toString("utf8", slot.valueStart, slot.valueEnd)) as string;
      const redacted = redactString(value, holder, envelope);
      if (redacted !== value) {
        edits.push({ start: slot.valueStart, end: slot.valueEnd, text: JSON.stringify(redacted) });
        count++;
      }
    } else if (first === 0x7b || first === 0x5b) {
      count += collectEdits(bytes, scanContainer(bytes, slot.valueStart), holder, edits, false);
    }
  }
  return count;
}

/**
 * A JSON document's bytes with its member names and string values redacted in place: every other
 * byte (layout, numbers, key order, escapes of untouched strings) kept. `redacted` counts the
 * strings changed.
 * @throws JsonScanError when the bytes are not one JSON object or array.
 */
export function redactJsonBytes(bytes: Buffer): { bytes: Buffer; redacted: number } {
  const edits: Edit[] = [];
  const redacted = collectEdits(bytes, scanContainer(bytes, skipSpace(bytes, 0)), undefined, edits, true);
  if (edits.length === 0) return { bytes, redacted: 0 };
  edits.sort((a, b) => a.start - b.start);
  const parts: Buffer[] = [];
  let at = 0;
  for (const edit of edits) {
    parts.push(bytes.subarray(at, edit.start), Buffer.from(edit.text, "utf8"));
    at = edit.end;
  }
  parts.push(bytes.subarray(at));
  return { bytes: Buffer.concat(parts), redacted };
}

// "Copy as curl" and "Copy as wtbhook send": shell commands that send an event's exact bytes,
// safe to paste whatever the body holds. The body goes in single quotes (nothing inside is
// expanded) through printf, or as base64 when it is not plain text (bytes that are not UTF-8,
// control characters: an escape sequence in pasted text could end a terminal's bracketed paste).

import { isUnsafeCodePoint } from "../../terminal/safe-text.js";

/** One shell word: single-quoted, each `'` written as `'\''`. */
export function shellQuote(text: string): string {
  return `'${text.replaceAll("'", "'\\''")}'`;
}

/** True when the text holds a character that must not be pasted raw into a terminal (newline and tab are fine). */
function hasUnsafe(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code !== 0x0a && code !== 0x09 && isUnsafeCodePoint(code)) return true;
  }
  return false;
}

/** The body of an event: its text when it is UTF-8, else its bytes in base64. */
export type BodySource = { text: string } | { base64: string };

/** A pipeline stage writing the body's exact bytes to stdout. */
export function bodyPipe(body: BodySource): string {
  if ("text" in body && !hasUnsafe(body.text)) return `printf '%s' ${shellQuote(body.text)}`;
  const base64 = "base64" in body ? body.base64 : toBase64(body.text);
  return `printf '%s' ${shellQuote(base64)} | base64 -d`;
}

function toBase64(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

/** Headers curl sets itself, or that describe one connection (they are not replayed). */
const LEFT_OUT = new Set([
  "host",
  "content-length",
  "connection",
  "keep-alive",
  "proxy-connection",
  "transfer-encoding",
  "te",
  "trailer",
  "upgrade",
  "expect",
  "wtbhook-via",
]);

/** `curl` sending the body with the recorded headers; a header that cannot be pasted safely is left out, with a note. */
export function curlCommand(url: string, headers: Record<string, string>, body: BodySource): string {
  const parts = [`curl -sS -i ${shellQuote(url)}`];
  const notes: string[] = [];
  let contentType = false;
  for (const [name, value] of Object.entries(headers)) {
    if (LEFT_OUT.has(name.toLowerCase())) continue;
    if (hasUnsafe(name) || hasUnsafe(value)) {
      notes.push(`# left out the header ${JSON.stringify(name).replace(/[^\x20-\x7e]/g, "?")}: it holds control characters`);
      continue;
    }
    if (name.toLowerCase() === "content-type") contentType = true;
    parts.push(`-H ${shellQuote(`${name}: ${value}`)}`);
  }
  if (!contentType) parts.push(`-H 'Content-Type: application/json'`);
  parts.push("--data-binary @-");
  return [...notes, `${bodyPipe(body)} \\\n  | ${parts.join(" \\\n    ")}`].join("\n");
}

/** `wtbhook send --data -` with the body on stdin; `--no-validate` when the event is invalid (it is sent as it came). */
export function sendCommand(url: string, body: BodySource, invalid: boolean): string {
  return `${bodyPipe(body)} \\\n  | wtbhook send --data - --to ${shellQuote(url)}${invalid ? " --no-validate" : ""}`;
}

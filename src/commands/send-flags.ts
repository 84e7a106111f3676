// Pure parsers for `send`'s own flags: the target, headers and ids. Each bad value is a usage error.

import type { IdMode } from "../delivery/bodies.js";
import { WtbhookError } from "../errors.js";
import { parseHttpUrl, parseWholeNumber } from "./flag-values.js";

/** A header name as RFC 9110 allows it (a token). */
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
/** Headers the HTTP client owns: setting them by hand would corrupt the request. */
const RESERVED = new Set(["content-length", "transfer-encoding", "connection", "keep-alive", "upgrade", "expect", "te", "trailer"]);

/**
 * The target of the deliveries; `source` names where the text came from (--to or WTBHOOK_TO).
 * @throws WtbhookError (exit 2) for a missing or malformed URL or a scheme other than http(s).
 */
export function parseTarget(text: string | undefined, source = "--to"): URL {
  if (text === undefined || text.trim() === "") {
    throw new WtbhookError("no target: pass --to <url> or set WTBHOOK_TO", {
      code: "no-target",
      hint: "Example: wtbhook send user.created --to http://localhost:3000/webhooks",
    });
  }
  return parseHttpUrl(text, source);
}

/**
 * Moves the user:password of a target URL into an `Authorization: Basic` header, as curl does:
 * the request goes to the origin and path only, so credentials left in the URL were silently dropped.
 * An `-H Authorization` given by the user wins. Returns the headers to send.
 */
export function applyUrlCredentials(target: URL, headers: Record<string, string>): Record<string, string> {
  if (target.username === "" && target.password === "") return headers;
  const credentials = `${decodeURIComponent(target.username)}:${decodeURIComponent(target.password)}`;
  target.username = "";
  target.password = "";
  if (Object.keys(headers).some((name) => name.toLowerCase() === "authorization")) return headers;
  return { ...headers, Authorization: `Basic ${Buffer.from(credentials, "utf8").toString("base64")}` };
}

/**
 * One `-H "Name: value"`.
 * @throws WtbhookError (exit 2) when it has no colon, a bad name, a line break, or names a header the client owns.
 */
export function parseHeader(text: string): [string, string] {
  const colon = text.indexOf(":");
  const name = colon > 0 ? text.slice(0, colon).trim() : "";
  if (!name || !TOKEN.test(name)) {
    throw new WtbhookError(`-H "${text}": expected "Name: value"`, { code: "bad-header", hint: 'Example: -H "X-Test: 1"' });
  }
  const value = text.slice(colon + 1).trim();
  if (/[\r\n\0]/.test(value)) throw new WtbhookError(`-H "${name}": the value must not contain line breaks`, { code: "bad-header" });
  if (RESERVED.has(name.toLowerCase())) {
    throw new WtbhookError(`-H "${name}": wtbhook sets ${name} itself`, { code: "bad-header" });
  }
  return [name, value];
}

/**
 * The request headers: Content-Type and User-Agent as Website Toolbox-like defaults, then each
 * `-H` in order (one with the same name, in any case, replaces the default).
 */
export function buildHeaders(version: string, extra: readonly string[]): Record<string, string> {
  const headers: Record<string, string> = { "content-type": "application/json", "user-agent": `wtbhook/${version}` };
  const names = new Map<string, string>([
    ["content-type", "Content-Type"],
    ["user-agent", "User-Agent"],
  ]);
  for (const text of extra) {
    const [name, value] = parseHeader(text);
    const lower = name.toLowerCase();
    headers[lower] = value;
    names.set(lower, name);
  }
  const out: Record<string, string> = {};
  for (const [lower, value] of Object.entries(headers)) out[names.get(lower) ?? lower] = value;
  return out;
}

/**
 * How envelope ids are chosen, from --id (a non-negative integer that JavaScript reads exactly)
 * and --same-id.
 * @throws WtbhookError (exit 2) for a bad --id, or both flags.
 */
export function parseIdMode(id: string | undefined, sameId: boolean): IdMode {
  if (id === undefined) return sameId ? { kind: "same" } : { kind: "fresh" };
  const fixed = parseWholeNumber(id, "--id");
  if (sameId) throw new WtbhookError("--id already gives every delivery the same id; drop --same-id", { code: "bad-usage" });
  return { kind: "fixed", id: fixed };
}

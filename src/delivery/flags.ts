// Pure parsers for `send`'s flags: target URL, headers, counts and ids. Each bad value is a usage error.

import { WtbhookError } from "../errors.js";

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
  // "localhost:3000/hook" parses as a URL whose scheme is "localhost:": say what was meant.
  const noScheme = !text.includes("://");
  const example = noScheme ? `Did you mean http://${text.trim()}?` : "Give a full URL such as http://localhost:3000/webhooks";
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    throw new WtbhookError(`${source} "${text}" is not a valid URL`, { code: "bad-url", hint: example });
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    if (noScheme) throw new WtbhookError(`${source} "${text}" has no http:// or https:// scheme`, { code: "bad-url", hint: example });
    throw new WtbhookError(`${source} "${text}": only http:// and https:// targets are supported, not ${url.protocol}//`, {
      code: "bad-url",
    });
  }
  url.hash = "";
  return url;
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
 * A whole number of at least `min` for flags such as --repeat.
 * @throws WtbhookError (exit 2) otherwise.
 */
export function parseCount(text: string, flag: string, min = 1): number {
  const value = /^\d+$/.test(text.trim()) ? Number(text.trim()) : Number.NaN;
  if (!Number.isSafeInteger(value) || value < min) {
    throw new WtbhookError(`${flag} takes a whole number of at least ${min}; got "${text}"`, { code: "bad-number" });
  }
  return value;
}

/**
 * An envelope id for --id: a non-negative integer that JavaScript reads exactly.
 * @throws WtbhookError (exit 2) otherwise.
 */
export function parseEventId(text: string): number {
  return parseCount(text, "--id", 0);
}

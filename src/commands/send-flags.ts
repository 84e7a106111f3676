// Pure parsers for `send`'s own flags: the target, headers and ids. Each bad value is a usage error.

import type { IdMode } from "../delivery/bodies.js";
import { CONFIG_FILE_NAME } from "../config/find.js";
import { retryPolicy, type RetryPolicy } from "../delivery/retry.js";
import { parseDuration } from "../duration.js";
import { WtbhookError } from "../errors.js";
import { parseHttpUrl, parseWholeNumber } from "./flag-values.js";

/** A header name as RFC 9110 allows it (a token). */
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
/** Headers the HTTP client owns: setting them by hand would corrupt the request. */
const RESERVED = new Set(["content-length", "transfer-encoding", "connection", "keep-alive", "upgrade", "expect", "te", "trailer"]);

/** What a command that delivers says when it has nowhere to deliver to. */
export const NO_TARGET = `no target: pass --to <url>, set WTBHOOK_TO or give "to" in ${CONFIG_FILE_NAME}`;

/**
 * The target of the deliveries; `source` names where the text came from (--to or WTBHOOK_TO).
 * @throws WtbhookError (exit 2) for a missing or malformed URL or a scheme other than http(s).
 */
export function parseTarget(text: string | undefined, source = "--to"): URL {
  if (text === undefined || text.trim() === "") {
    throw new WtbhookError(NO_TARGET, {
      code: "no-target",
      hint: "Example: wtbhook send user.created --to http://localhost:3000/webhooks",
    });
  }
  return parseHttpUrl(text, source);
}

/**
 * Takes the user:password out of a target URL and returns them as an `Authorization: Basic`
 * value, as curl does (the request goes to the origin and path only, so credentials left in the
 * URL were silently dropped); undefined when the URL has none. `source` names --to or WTBHOOK_TO.
 * @throws WtbhookError (exit 2) when they are not valid percent-encoding (the secret is not repeated).
 */
export function takeUrlCredentials(target: URL, source = "--to"): string | undefined {
  if (target.username === "" && target.password === "") return undefined;
  const decode = (text: string): string => {
    try {
      return decodeURIComponent(text);
    } catch {
      // The URL parser keeps a stray "%" as it is; decodeURIComponent then throws "URI malformed".
      const bad = /%(?![0-9a-f]{2}).{0,2}|%[0-9a-f]{2}/i.exec(text)?.[0] ?? "%";
      throw new WtbhookError(`${source}: the user name or password is not valid percent-encoding (${bad})`, {
        code: "bad-flag",
        hint: "Write a literal % as %25, and other special characters as %XX (for example @ as %40).",
      });
    }
  };
  const credentials = `${decode(target.username)}:${decode(target.password)}`;
  target.username = "";
  target.password = "";
  return `Basic ${Buffer.from(credentials, "utf8").toString("base64")}`;
}

/**
 * One `-H "Name: value"`.
 * @throws WtbhookError (exit 2) when it has no colon, a bad name, a line break, or names a header the client owns.
 */
export function parseHeader(text: string): [string, string] {
  const colon = text.indexOf(":");
  const name = colon > 0 ? text.slice(0, colon).trim() : "";
  if (!name || !TOKEN.test(name)) {
    throw new WtbhookError(`-H "${text}": expected "Name: value"`, { code: "bad-flag", hint: 'Example: -H "X-Test: 1"' });
  }
  const value = text.slice(colon + 1).trim();
  if (/[\r\n\0]/.test(value)) throw new WtbhookError(`-H "${name}": the value must not contain line breaks`, { code: "bad-flag" });
  if (RESERVED.has(name.toLowerCase())) {
    throw new WtbhookError(`-H "${name}": wtbhook sets ${name} itself`, { code: "bad-flag" });
  }
  return [name, value];
}

/** What goes into the request headers besides the defaults and -H. */
export interface HeaderLayers {
  /** A recorded request's end-to-end headers (raw name/value pairs), with where they come from for messages. */
  recorded?: { headers: readonly string[]; source: string } | undefined;
  /** From user:password in the target URL. */
  authorization?: string | undefined;
}

/**
 * The request headers: Content-Type and User-Agent as Website Toolbox-like defaults, then the
 * recorded headers (`--recorded-headers`), then Authorization from the URL, then each `-H` in
 * order. A later header with the same name, in any case, replaces an earlier one.
 * @throws WtbhookError (exit 2) for a recorded header that cannot go on the wire.
 */
export function buildHeaders(version: string, extra: readonly string[], layers: HeaderLayers = {}): Record<string, string> {
  const headers = new Map<string, [string, string]>([
    ["content-type", ["Content-Type", "application/json"]],
    ["user-agent", ["User-Agent", `wtbhook/${version}`]],
  ]);
  const recorded = layers.recorded;
  for (let i = 0; recorded && i + 1 < recorded.headers.length; i += 2) {
    const name = recorded.headers[i]!;
    const value = recorded.headers[i + 1]!;
    // A hand-edited recording may hold anything; the HTTP client would refuse it mid-run.
    if (!TOKEN.test(name) || /[\r\n\0]/.test(value)) {
      throw new WtbhookError(`${recorded.source}: the recorded header ${JSON.stringify(name)} cannot be sent as it is`, {
        code: "bad-recording",
        hint: "Fix or remove it in the recording, or replay without --recorded-headers.",
      });
    }
    headers.set(name.toLowerCase(), [name, value]);
  }
  if (layers.authorization !== undefined) headers.set("authorization", ["Authorization", layers.authorization]);
  for (const text of extra) {
    const [name, value] = parseHeader(text);
    headers.set(name.toLowerCase(), [name, value]);
  }
  return Object.fromEntries(headers.values());
}

/**
 * How envelope ids are chosen, from --id (a non-negative integer that JavaScript reads exactly)
 * and --same-id.
 * @throws WtbhookError (exit 2) for a bad --id, or both flags.
 */
export function parseIdMode(id: string | undefined, sameId: boolean): IdMode {
  if (id === undefined) return sameId ? { kind: "same" } : { kind: "fresh" };
  const fixed = parseWholeNumber(id, "--id");
  if (sameId) throw new WtbhookError("--id already gives every delivery the same id; drop --same-id", { code: "bad-flag" });
  return { kind: "fixed", id: fixed };
}

/**
 * The retry schedule from --retry, --retry-interval and --max-attempts (either of the last two
 * implies --retry).
 * @throws WtbhookError (exit 2) for a bad duration or count.
 */
export function parseRetry(flags: {
  retry?: boolean | undefined;
  retryInterval?: string | undefined;
  maxAttempts?: string | undefined;
}): RetryPolicy {
  return retryPolicy({
    retry: flags.retry === true || flags.retryInterval !== undefined || flags.maxAttempts !== undefined,
    intervalMs: flags.retryInterval === undefined ? undefined : parseDuration(flags.retryInterval, "--retry-interval"),
    maxAttempts: flags.maxAttempts === undefined ? undefined : parseWholeNumber(flags.maxAttempts, "--max-attempts", { min: 1 }),
  });
}

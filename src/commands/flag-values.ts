// The parsers of flag values that commands share: whole numbers, sizes, http(s) URLs and the
// fixtures folder. Each bad value is a usage error (exit 2) that names the flag and repeats what
// was given.

import type { FixtureDir } from "../catalog/fixtures.js";
import type { CliContext } from "../context.js";
import { WtbhookError } from "../errors.js";

/**
 * The parser of a repeatable flag: each use adds its value. One function for every command, so
 * that command-spec.ts can tell a repeatable flag by it.
 */
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

function badValue(message: string, hint?: string): WtbhookError {
  return new WtbhookError(message, { code: "bad-flag", ...(hint === undefined ? {} : { hint }) });
}

/**
 * A whole number (digits only, surrounding spaces ignored) within `min`..`max`.
 * @throws WtbhookError (exit 2) otherwise, saying the accepted range.
 */
export function parseWholeNumber(text: string, flag: string, range: { min?: number; max?: number } = {}): number {
  const min = range.min ?? 0;
  const max = range.max ?? Number.MAX_SAFE_INTEGER;
  const value = /^\d+$/.test(text.trim()) ? Number(text.trim()) : Number.NaN;
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    const accepted = range.max === undefined ? `of at least ${min}` : `from ${min} to ${max}`;
    throw badValue(`${flag} takes a whole number ${accepted}; got "${text}"`);
  }
  return value;
}

const SIZE_UNITS: Record<string, number> = { "": 1, b: 1, k: 1024, kb: 1024, kib: 1024, m: 1024 ** 2, mb: 1024 ** 2, mib: 1024 ** 2 };

/**
 * "1048576", "512kb", "1mb" (binary units) → bytes.
 * @throws WtbhookError (exit 2) for anything else, or for less than one byte.
 */
export function parseSize(text: string, flag: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*([a-z]*)$/i.exec(text.trim());
  const unit = SIZE_UNITS[match?.[2]?.toLowerCase() ?? "?"];
  if (!match || unit === undefined || Number(match[1]) * unit < 1) {
    throw badValue(`${flag} takes a size such as 1048576, 512kb or 1mb; got "${text}"`);
  }
  return Math.floor(Number(match[1]) * unit);
}

/**
 * An http:// or https:// URL, without its fragment. `flag` names where the text came from
 * (`--to`, `WTBHOOK_TO`, `--forward-to`).
 * @throws WtbhookError (exit 2) for text that is not a URL, has no scheme (`localhost:3000/hook`,
 * with a did-you-mean), or has another scheme.
 */
export function parseHttpUrl(text: string, flag: string): URL {
  // "localhost:3000/hook" parses as a URL whose scheme is "localhost:": say what was meant.
  const noScheme = !text.includes("://");
  const example = noScheme ? `Did you mean http://${text.trim()}?` : "Give a full URL such as http://localhost:3000/webhooks";
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    throw badValue(`${flag} "${text}" is not a valid URL`, example);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    if (noScheme) throw badValue(`${flag} "${text}" has no http:// or https:// scheme`, example);
    throw badValue(`${flag} "${text}": only http:// and https:// URLs are supported, not ${url.protocol}//`);
  }
  url.hash = "";
  return url;
}

/**
 * The user's fixture folder: --fixtures, else WTBHOOK_FIXTURES; undefined when neither is set.
 * @throws WtbhookError (exit 2) when it is not a folder.
 */
export async function fixtureDirFrom(flag: string | undefined, ctx: CliContext): Promise<FixtureDir | undefined> {
  // WTBHOOK_FIXTURES and the config file fill --fixtures in (cli.ts); sourceOf says which gave it.
  if (flag === undefined) return undefined;
  const { fixtureDir } = await import("../catalog/fixtures.js");
  return fixtureDir(flag, ctx.cwd, ctx.sourceOf("fixtures"));
}

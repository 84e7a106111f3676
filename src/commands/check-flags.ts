// Pure mappers of `check`'s flags to the run's settings: the target and its headers (as send
// parses them), the thresholds and the burst size. Each bad value is a usage error.

import { parseDuration } from "../duration.js";
import type { CheckFormat } from "./check-reporter.js";
import { WtbhookError } from "../errors.js";
import { parseWholeNumber } from "./flag-values.js";
import { buildHeaders, NO_TARGET, parseTarget, takeUrlCredentials } from "./send-flags.js";

export interface CheckFlags {
  to?: string;
  only?: string[];
  skip?: string[];
  list?: boolean;
  timeout: string;
  slow: string;
  burst: string;
  header?: string[];
  insecure?: boolean;
  format: CheckFormat;
  fixtures?: string;
}

/** The largest --burst: enough for any forum's spike, not enough to flood a laptop. */
const MAX_BURST = 1000;

export interface CheckTarget {
  target: URL;
  /** The target as given, for the reproduction commands. */
  text: string;
  headers: Record<string, string>;
}

/**
 * The target from --to (which WTBHOOK_TO or the config file may have set; `source` says where it
 * came from), with user:password moved to Authorization and the request headers send would use.
 * @throws WtbhookError (exit 2) for a missing or bad URL or header.
 */
export function parseCheckTarget(flags: CheckFlags, version: string, source = "--to"): CheckTarget {
  const text = flags.to?.trim();
  if (text === undefined || text === "") {
    throw new WtbhookError(NO_TARGET, {
      code: "no-target",
      hint: "Start your app, then: wtbhook check --to http://localhost:3000/webhooks",
    });
  }
  const target = parseTarget(text, source);
  const authorization = takeUrlCredentials(target, source);
  return { target, text, headers: buildHeaders(version, flags.header ?? [], { authorization }) };
}

/**
 * --timeout, --slow and --burst.
 * @throws WtbhookError (exit 2) for a bad value, or a --slow that is not below --timeout.
 */
export function parseThresholds(flags: CheckFlags): { timeoutMs: number; slowMs: number; burst: number } {
  const timeoutMs = parseDuration(flags.timeout, "--timeout");
  const slowMs = parseDuration(flags.slow, "--slow");
  if (slowMs === 0) throw new WtbhookError(`--slow takes a duration above 0, such as 2s; got "${flags.slow}"`, { code: "bad-flag" });
  if (timeoutMs > 0 && slowMs >= timeoutMs) {
    throw new WtbhookError(`--slow (${flags.slow}) must be shorter than --timeout (${flags.timeout})`, { code: "bad-flag" });
  }
  return { timeoutMs, slowMs, burst: parseWholeNumber(flags.burst, "--burst", { min: 1, max: MAX_BURST }) };
}

// The checks in the order they run and are reported, and the choice of checks (--only, --skip).

import { editDistance } from "../catalog/catalog.js";
import { WtbhookError } from "../errors.js";
import { allTypes } from "./all-types.js";
import { burst } from "./burst.js";
import { CHECK_IDS, type CheckId } from "./check-ids.js";
import { concurrentDuplicate } from "./concurrent-duplicate.js";
import { duplicate } from "./duplicate.js";
import { hostileContent } from "./hostile-content.js";
import { largePayload } from "./large-payload.js";
import { minimalPayload } from "./minimal-payload.js";
import { noData } from "./no-data.js";
import { noRedirect } from "./no-redirect.js";
import { nullFields } from "./null-fields.js";
import { outOfOrder } from "./out-of-order.js";
import { responseTime } from "./response-time.js";
import { retryAfterFailure } from "./retry-after-failure.js";
import { stillAlive } from "./still-alive.js";
import type { CheckDefinition } from "./types.js";
import { unknownFields } from "./unknown-fields.js";
import { unknownType } from "./unknown-type.js";

/** Each check by its id; the type makes sure that every id of check-ids.ts has one. */
const BY_ID: { readonly [Id in CheckId]: CheckDefinition } = {
  "all-types": allTypes,
  duplicate,
  "retry-after-failure": retryAfterFailure,
  "unknown-type": unknownType,
  "unknown-fields": unknownFields,
  "minimal-payload": minimalPayload,
  "null-fields": nullFields,
  "out-of-order": outOfOrder,
  "large-payload": largePayload,
  "hostile-content": hostileContent,
  "concurrent-duplicate": concurrentDuplicate,
  burst,
  "no-data": noData,
  "still-alive": stillAlive,
  "no-redirect": noRedirect,
  "response-time": responseTime,
};

/**
 * Every check, in run order (check-ids.ts): those that run together, then those that run alone
 * (load first, the event most likely to crash a consumer last), still-alive, and the judges.
 */
export const CHECKS: readonly CheckDefinition[] = CHECK_IDS.map((id) => BY_ID[id]);

/** The known ids close to a mistyped one, best first (none when nothing is close). */
function closestIds(name: string): string[] {
  const lower = name.toLowerCase();
  return CHECKS.map((check) => ({ id: check.id, distance: editDistance(lower, check.id) }))
    .filter((entry) => entry.distance <= 3 || entry.id.startsWith(lower) || lower.startsWith(entry.id))
    .sort((a, b) => a.distance - b.distance)
    .slice(0, 2)
    .map((entry) => entry.id);
}

/** Comma-separated ids from repeated flags, each checked. @throws WtbhookError (exit 2) naming an unknown id. */
function parseIds(values: readonly string[], flag: string): Set<string> {
  const ids = new Set<string>();
  for (const id of values.flatMap((value) => value.split(",")).map((part) => part.trim())) {
    if (id === "") continue;
    if (!CHECKS.some((check) => check.id === id)) {
      const close = closestIds(id);
      const guess = close.length > 0 ? `; did you mean ${close.join(" or ")}?` : "";
      throw new WtbhookError(`${flag}: unknown check "${id}"${guess}`, {
        code: "unknown-check",
        hint: "wtbhook check --list shows every check.",
      });
    }
    ids.add(id);
  }
  if (ids.size === 0) throw new WtbhookError(`${flag} needs check ids, such as ${flag} all-types,duplicate`, { code: "bad-flag" });
  return ids;
}

/**
 * The checks to run, in run order: all of them, only those of --only, or all but those of --skip.
 * @throws WtbhookError (exit 2) for an unknown id, both flags, or a choice of judges alone (they judge what others sent).
 */
export function selectChecks(only: readonly string[], skip: readonly string[]): CheckDefinition[] {
  if (only.length > 0 && skip.length > 0) throw new WtbhookError("use --only or --skip, not both", { code: "bad-flag" });
  const chosen = only.length > 0 ? parseIds(only, "--only") : undefined;
  const skipped = skip.length > 0 ? parseIds(skip, "--skip") : new Set<string>();
  const checks = CHECKS.filter((check) => (chosen ? chosen.has(check.id) : !skipped.has(check.id)));
  if (!checks.some((check) => check.stage !== "judge")) {
    throw new WtbhookError(
      checks.length === 0
        ? "--skip leaves no check to run"
        : `${checks.map((check) => check.id).join(" and ")} ${checks.length === 1 ? "judges" : "judge"} the answers other checks get; add one that sends, such as all-types`,
      { code: "bad-flag" },
    );
  }
  return checks;
}

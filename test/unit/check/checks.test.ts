import { describe, expect, it } from "vitest";

import { CHECK_IDS } from "../../../src/check/check-ids.js";
import { CHECKS, selectChecks } from "../../../src/check/checks.js";
import { usageMessage } from "../../helpers/usage-error.js";

/** The ids of issue 12's table. */
const ISSUE_IDS = [
  "all-types",
  "no-redirect",
  "response-time",
  "duplicate",
  "concurrent-duplicate",
  "retry-after-failure",
  "unknown-type",
  "unknown-fields",
  "minimal-payload",
  "null-fields",
  "out-of-order",
  "burst",
  "large-payload",
  "hostile-content",
  "no-data",
  "still-alive",
];

describe("the checks and their selection", () => {
  it("runs the checks of check-ids.ts (the list completion offers), each under its own id, in that order", () => {
    expect(CHECKS.map((check) => check.id)).toEqual([...CHECK_IDS]);
  });

  it("has exactly the ids of the issue, the judges last and still-alive last of those that send", () => {
    expect(CHECKS.map((check) => check.id).sort()).toEqual([...ISSUE_IDS].sort());
    const stages = CHECKS.map((check) => check.stage);
    expect(stages.slice(-3)).toEqual(["last", "judge", "judge"]);
    expect(stages.indexOf("alone")).toBeGreaterThan(stages.lastIndexOf("together"));
    expect(CHECKS.find((check) => check.stage === "last")?.id).toBe("still-alive");
  });

  it("runs everything by default, --only a subset in run order, --skip the rest", () => {
    expect(selectChecks([], []).map((check) => check.id)).toEqual(CHECKS.map((check) => check.id));
    expect(selectChecks(["still-alive,all-types", " burst "], []).map((check) => check.id)).toEqual(["all-types", "burst", "still-alive"]);
    const skipped = selectChecks([], ["burst,concurrent-duplicate"]).map((check) => check.id);
    expect(skipped).toHaveLength(14);
    expect(skipped).not.toContain("burst");
  });

  it.each([
    [() => selectChecks(["unknwon-type"], []), '--only: unknown check "unknwon-type"; did you mean unknown-type?'],
    [() => selectChecks([], ["burts"]), '--skip: unknown check "burts"; did you mean burst?'],
    [() => selectChecks([], ["duplicat"]), '--skip: unknown check "duplicat"; did you mean duplicate?'],
    [() => selectChecks([], ["xyz"]), '--skip: unknown check "xyz"'],
  ])("an unknown id is a usage error, with a suggestion when one is close (%#)", (select, message) => {
    expect(usageMessage(select)).toBe(message);
  });

  it("refuses --only with --skip, judges alone, and skipping everything", () => {
    expect(usageMessage(() => selectChecks(["burst"], ["duplicate"]))).toBe("use --only or --skip, not both");
    expect(usageMessage(() => selectChecks(["no-redirect,response-time"], []))).toBe(
      "no-redirect and response-time judge the answers other checks get; add one that sends, such as all-types",
    );
    expect(usageMessage(() => selectChecks([], [CHECKS.map((check) => check.id).join(",")]))).toBe("--skip leaves no check to run");
    expect(usageMessage(() => selectChecks([","], []))).toBe("--only needs check ids, such as --only all-types,duplicate");
  });
});

// The check report's formats, from a hand-made report: text, JSON, JUnit and GitHub annotations,
// with outside text (answers, Location) that must never reach a terminal or log raw.
import { describe, expect, it } from "vitest";

import type { CheckReport } from "../../../src/check/runner.js";
import type { CheckResult, Delivery } from "../../../src/check/types.js";
import { formatGithubCheck, formatGithubCheckSummary } from "../../../src/format/check-github.js";
import { formatCheckJson } from "../../../src/format/check-json.js";
import { formatCheckJunit } from "../../../src/format/check-junit.js";
import { formatCheckList, formatCheckReport, formatCheckResult } from "../../../src/format/check-pretty.js";
import { terminalLayout } from "../../../src/terminal/fit.js";
import { plainStyle } from "../../../src/format/style.js";

const delivery = (extra: Partial<Delivery>): Delivery => ({
  check: "all-types",
  label: "user.created",
  type: "user.created",
  id: 1796000000000000,
  sent: true,
  status: 200,
  statusText: "OK",
  ok: true,
  ms: 3.21,
  error: undefined,
  fault: undefined,
  location: undefined,
  answer: "",
  command: "wtbhook send user.created --to http://localhost:3000/webhooks",
  ...extra,
});

const failed = delivery({
  check: "unknown-type",
  label: "topic.moved",
  type: "topic.moved",
  status: 500,
  statusText: "Internal Server Error",
  ok: false,
  ms: 12.5,
  error: "500 Internal Server Error: only a 2xx counts as delivered",
  answer: "\u001b[2Jboom",
  command: "wtbhook send topic.created --set type=topic.moved --no-validate --to http://localhost:3000/webhooks",
});

const results: CheckResult[] = [
  {
    id: "all-types",
    status: "pass",
    reason: "all 17 event types were answered 2xx",
    reproduce: [],
    deliveries: [delivery({})],
    slowestMs: 3.21,
    elapsedMs: 40,
  },
  {
    id: "unknown-type",
    status: "fail",
    reason: "topic.moved, a type that does not exist yet, was answered 500 Internal Server Error (\u001b[2Jboom)",
    reproduce: [failed.command!],
    deliveries: [failed],
    slowestMs: 12.5,
    elapsedMs: 13,
  },
  {
    id: "no-data",
    status: "warn",
    reason: "user.created without data was answered 500 Internal Server Error (100% <down>\r\n::error::x\u009b)",
    reproduce: ["wtbhook send user.created --unset data --no-validate --to http://localhost:3000/webhooks"],
    deliveries: [],
    slowestMs: 0.4,
    elapsedMs: 1,
  },
];

const report: CheckReport = {
  target: "http://localhost:3000/webhooks",
  checks: results,
  summary: { checks: 3, passed: 1, warnings: 1, failed: 1, deliveries: 2, elapsedMs: 1234, interrupted: false },
};

describe("check report formats", () => {
  it("text: a line per check (verdict, id, slowest answer, reason), commands under failures and warnings, the summary", () => {
    expect(formatCheckReport(report, plainStyle)).toMatchInlineSnapshot(`
      "Checking http://localhost:3000/webhooks with 3 checks (only a 2xx counts as received; a redirect is a failure)
      ✔ pass  all-types        3ms  all 17 event types were answered 2xx
      ✖ fail  unknown-type    13ms  topic.moved, a type that does not exist yet, was answered 500 Internal Server Error (\\e[2Jboom)
          $ wtbhook send topic.created --set type=topic.moved --no-validate --to http://localhost:3000/webhooks
      ⚠ warn  no-data         <1ms  user.created without data was answered 500 Internal Server Error (100% <down>\\r\\n::error::x\\x9b)
          $ wtbhook send user.created --unset data --no-validate --to http://localhost:3000/webhooks
      3 checks in 1.2s (2 deliveries): 1 passed, 1 warning, 1 failed
      "
    `);
  });

  it("text on a terminal: reasons wrapped at words under their column (or the left, when narrow); commands never wrapped", () => {
    const terminal = (columns: number) => terminalLayout({ isTTY: true, columns, write: () => true });
    const failed = results[1]!;
    expect(formatCheckResult(failed, plainStyle, 12, terminal(100))).toBe(
      "✖ fail  unknown-type    13ms  topic.moved, a type that does not exist yet, was answered 500 Internal\n" +
        "                              Server Error (\\e[2Jboom)\n" +
        "    $ wtbhook send topic.created --set type=topic.moved --no-validate --to http://localhost:3000/webhooks\n",
    );
    expect(formatCheckResult(failed, plainStyle, 12, terminal(60))).toBe(
      "✖ fail  unknown-type    13ms  topic.moved, a type that does\n" +
        "    not exist yet, was answered 500 Internal Server Error\n" +
        "    (\\e[2Jboom)\n" +
        "    $ wtbhook send topic.created --set type=topic.moved --no-validate --to http://localhost:3000/webhooks\n",
    );
  });

  it("--list: ids aligned with their descriptions", () => {
    expect(
      formatCheckList(
        [
          { id: "burst", description: "many at once" },
          { id: "all-types", description: "each type" },
        ],
        plainStyle,
      ),
    ).toBe("burst      many at once\nall-types  each type\n");
  });

  it("json: one object with target, checks (id, status, reason, deliveries) and summary; nothing a terminal obeys", () => {
    const text = formatCheckJson(report);
    expect(text).not.toMatch(/[\u001b\u009b]/);
    const parsed = JSON.parse(text);
    expect(Object.keys(parsed)).toEqual(["target", "checks", "summary"]);
    expect(parsed.checks[1]).toMatchObject({ id: "unknown-type", status: "fail", reproduce: [failed.command] });
    expect(parsed.checks[1].deliveries[0]).toEqual({
      check: "unknown-type",
      label: "topic.moved",
      type: "topic.moved",
      id: 1796000000000000,
      sent: true,
      status: 500,
      ok: false,
      ms: 12.5,
      error: "500 Internal Server Error: only a 2xx counts as delivered",
      location: null,
      answer: "\u001b[2Jboom",
      command: failed.command,
    });
    expect(parsed.summary).toEqual({ checks: 3, passed: 1, warnings: 1, failed: 1, deliveries: 2, elapsedMs: 1234, interrupted: false });
  });

  it("junit: a testcase per check, a failure with the reason and command, a warning in system-out; XML-escaped, terminal-safe", () => {
    const xml = formatCheckJunit(report);
    expect(xml).toContain('<testsuites name="wtbhook check" tests="3" failures="1" errors="0" time="1.234">');
    expect(xml).toContain('<testcase classname="wtbhook check" name="all-types" time="0.040"/>');
    expect(xml).toContain(
      '<failure message="topic.moved, a type that does not exist yet, was answered 500 Internal Server Error (\\e[2Jboom)" type="fail">',
    );
    expect(xml).toContain("$ wtbhook send topic.created --set type=topic.moved --no-validate --to http://localhost:3000/webhooks\n");
    expect(xml).toContain(
      "<system-out>warning: user.created without data was answered 500 Internal Server Error (100% &lt;down&gt;\\r\\n::error::x\\x9b)",
    );
    expect(xml).not.toMatch(/[\u001b\u009b]/);
  });

  it("github: ::error for a failure, ::warning for a warning, nothing for a pass; data escaped by the workflow-command rules", () => {
    expect(formatGithubCheck(results[0]!)).toBe("");
    expect(formatGithubCheck(results[1]!)).toBe(
      "::error title=wtbhook check%3A unknown-type::topic.moved, a type that does not exist yet, was answered 500 Internal Server Error (\\e[2Jboom)%0AReproduce: wtbhook send topic.created --set type=topic.moved --no-validate --to http://localhost:3000/webhooks\n",
    );
    expect(formatGithubCheck(results[2]!)).toBe(
      "::warning title=wtbhook check%3A no-data::user.created without data was answered 500 Internal Server Error (100%25 <down>%0D%0A::error::x\\x9b)%0AReproduce: wtbhook send user.created --unset data --no-validate --to http://localhost:3000/webhooks\n",
    );
    expect(formatGithubCheckSummary(report.summary)).toBe("wtbhook check: 3 checks, 1 passed, 1 warning, 1 failed\n");
  });
});

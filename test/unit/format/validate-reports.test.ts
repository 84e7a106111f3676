import { describe, expect, it } from "vitest";

import { WtbhookError } from "../../../src/errors.js";
import { plainStyle } from "../../../src/format/style.js";
import { escapeGithubData, escapeGithubProperty, formatGithubEvent } from "../../../src/format/validate-github.js";
import { formatJsonReport } from "../../../src/format/validate-json.js";
import { closeSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { JunitWriter } from "../../../src/commands/junit-writer.js";
import { escapeXmlAttribute, escapeXmlText, formatJunitReport } from "../../../src/format/validate-junit.js";
import { formatDuration, TextReporter } from "../../../src/format/validate-text.js";
import type { ValidationReport } from "../../../src/validation/report.js";
import type { EventReport, FileReport } from "../../../src/validation/types.js";

const invalid: EventReport = {
  file: "events/bad.ndjson",
  index: 1,
  line: 3,
  column: 1,
  type: "user.created",
  valid: false,
  severity: "error",
  problems: [
    {
      pointer: "/data/object",
      severity: "error",
      keyword: "required",
      expected: 'property "email"',
      message: 'missing property "email"',
      line: 3,
      column: 41,
    },
    {
      pointer: "/data/object/userId",
      severity: "error",
      keyword: "type",
      expected: "integer",
      found: '"181855"',
      message: 'expected integer, found "181855"',
      line: 3,
      column: 266,
    },
  ],
  omitted: 2,
};
const malformed: EventReport = {
  file: "events/bad.ndjson",
  index: 2,
  line: 4,
  column: 1,
  type: undefined,
  valid: false,
  severity: "error",
  problems: [
    {
      pointer: "",
      severity: "error",
      keyword: "syntax",
      message: "malformed JSON: unexpected end of input (expected a value)",
      line: 4,
      column: 6,
    },
  ],
  omitted: 0,
};
const warned: EventReport = {
  file: "events/topic.json",
  index: 0,
  line: 1,
  column: 1,
  type: "topic.created",
  valid: true,
  severity: "warning",
  problems: [
    {
      pointer: "/data/object",
      severity: "warning",
      keyword: "required",
      expected: 'properties "title", "author"',
      message: 'missing properties "title", "author"',
      line: 1,
      column: 40,
    },
    {
      pointer: "/data/object/object",
      severity: "info",
      keyword: "const",
      expected: '"Topic"',
      found: '"Thread"',
      message: 'expected "Topic", found "Thread"',
      line: 1,
      column: 60,
    },
  ],
  omitted: 0,
};
const validEvent: EventReport = {
  file: "events/bad.ndjson",
  index: 0,
  line: 1,
  column: 1,
  type: "user.created",
  valid: true,
  severity: undefined,
  problems: [],
  omitted: 0,
};
const badFile: FileReport = { file: "events/bad.ndjson", events: 3, valid: 1, invalid: 2, warned: 0, durationMs: 4 };
const goodFile: FileReport = { file: "fixtures/user.created.json", events: 1, valid: 1, invalid: 0, warned: 0, durationMs: 1 };
const warnedFile: FileReport = { file: "events/topic.json", events: 1, valid: 1, invalid: 0, warned: 1, durationMs: 1 };
const summary = { files: 3, events: 5, valid: 3, invalid: 2, warned: 1, durationMs: 12.4, aborted: false };
const report: ValidationReport = {
  summary,
  files: [
    { ...badFile, reported: [validEvent, invalid, malformed] },
    { ...goodFile, reported: [{ ...validEvent, file: goodFile.file }] },
    { ...warnedFile, reported: [warned] },
  ],
};

describe("text report", () => {
  it("lists problems with their marks under a ✗ or ⚠ per file, ✓ for valid files, then the summary", () => {
    const text = new TextReporter(plainStyle);
    const out =
      text.event(invalid) +
      text.event(malformed) +
      text.file(badFile) +
      text.file(goodFile) +
      text.event(warned) +
      text.file(warnedFile) +
      text.summary(summary);
    expect(out).toMatchInlineSnapshot(`
      "✗ events/bad.ndjson
        events/bad.ndjson:3:41   ✗ /data/object         missing property "email"
        events/bad.ndjson:3:266  ✗ /data/object/userId  expected integer, found "181855"
        … and 2 more problems in this event
        events/bad.ndjson:4:6  ✗ (root)  malformed JSON: unexpected end of input (expected a value)
        3 events: 1 valid, 2 invalid
      ✓ fixtures/user.created.json  1 event
      ⚠ events/topic.json
        events/topic.json:1:40  ⚠ /data/object         missing properties "title", "author"
        events/topic.json:1:60  ℹ /data/object/object  expected "Topic", found "Thread"
        1 event: 1 valid (1 with warnings), 0 invalid

      3 files, 5 events: 3 valid (1 with warnings), 2 invalid (12 ms)
      "
    `);
  });

  it("gives a ✗ line to an invalid file whose events were not streamed", () => {
    expect(new TextReporter(plainStyle).file(badFile)).toMatchInlineSnapshot(`
      "✗ events/bad.ndjson
        3 events: 1 valid, 2 invalid
      "
    `);
  });

  it("writes the file's line again when a later event is worse (an error after warnings)", () => {
    const text = new TextReporter(plainStyle);
    const file = { ...warned, file: "mixed.ndjson" };
    const out = text.event(file) + text.event({ ...invalid, file: "mixed.ndjson" }) + text.event({ ...file, index: 2 });
    expect(out.split("\n").filter((line) => line.endsWith("mixed.ndjson"))).toEqual(["⚠ mixed.ndjson", "✗ mixed.ndjson"]);
  });

  it("gives no ✓ to a file that Ctrl+C stopped before its end", () => {
    const out = new TextReporter(plainStyle).file({ ...goodFile, events: 110_014, valid: 110_014, stopped: true });
    expect(out).toBe("… fixtures/user.created.json  stopped after 110,014 events\n");
  });

  it("escapes control characters in file names", () => {
    const out = new TextReporter(plainStyle).file({ ...goodFile, file: "evil\u001b[2J.json" });
    expect(out).not.toContain("\u001b");
    expect(out).toContain("evil\\e[2J.json");
  });

  it("formats durations", () => {
    expect([formatDuration(12.4), formatDuration(3456), formatDuration(65_000)]).toEqual(["12 ms", "3.46 s", "65.0 s"]);
  });
});

describe("github report", () => {
  it("writes one workflow command per problem, by severity: ::error, ::warning, ::notice", () => {
    expect(formatGithubEvent(warned)).toMatchInlineSnapshot(`
      "::warning file=events/topic.json,line=1,col=40,title=topic.created /data/object::missing properties "title", "author"
      ::notice file=events/topic.json,line=1,col=60,title=topic.created /data/object/object::expected "Topic", found "Thread"
      "
    `);
    expect(formatGithubEvent(invalid) + formatGithubEvent(malformed)).toMatchInlineSnapshot(`
      "::error file=events/bad.ndjson,line=3,col=41,title=user.created /data/object::missing property "email"
      ::error file=events/bad.ndjson,line=3,col=266,title=user.created /data/object/userId::expected integer, found "181855"
      ::error file=events/bad.ndjson,line=3,col=1::… and 2 more problems in this event
      ::error file=events/bad.ndjson,line=4,col=6,title=event (root)::malformed JSON: unexpected end of input (expected a value)
      "
    `);
    expect(formatGithubEvent(validEvent)).toBe("");
  });

  it("escapes as GitHub's toolkit does", () => {
    expect(escapeGithubData("100%\r\nnext: a, b")).toBe("100%25%0D%0Anext: a, b");
    expect(escapeGithubProperty("a:b,c%\n")).toBe("a%3Ab%2Cc%25%0A");
    const hostile = formatGithubEvent({
      ...malformed,
      file: "x,line=1::y.json",
      problems: [{ ...malformed.problems[0]!, message: "a\n::error::fake" }],
    });
    expect(hostile.trimEnd().split("\n")).toHaveLength(1);
    expect(hostile).toContain("file=x%2Cline=1%3A%3Ay.json,");
  });

  it("lets no control character through, in the title, the file or the message", () => {
    const out = formatGithubEvent({
      ...malformed,
      file: "a\u001b]0;owned\u0007.json",
      type: "user.\u001b[2Jcreated",
      problems: [{ ...malformed.problems[0]!, pointer: "/data/\u001b[31mred\u0000\t\u009b\u200b", message: "bad \u001b[2J\r\nx" }],
    });
    const line = out.trimEnd();
    expect(line.split("\n")).toHaveLength(1);
    expect(line).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u200b]/);
    expect(line).toBe(
      "::error file=a\\e]0;owned\\x07.json,line=4,col=6,title=user.\\e[2Jcreated /data/\\e[31mred\\x00\\t\\x9b\\u200b::bad \\e[2J%0D%0Ax",
    );
  });
});

describe("json report", () => {
  it("is one JSON object with the summary and the invalid events", () => {
    const document = JSON.parse(formatJsonReport(report)) as Record<string, any>;
    expect(document["valid"]).toBe(false);
    expect(document["summary"]).toEqual({ files: 3, events: 5, valid: 3, invalid: 2, warned: 1, durationMs: 12, aborted: false });
    expect(document["files"][0].invalidEvents).toHaveLength(2);
    expect(document["files"][0].invalidEvents[0]).toEqual({
      index: 1,
      line: 3,
      column: 1,
      type: "user.created",
      severity: "error",
      problems: [
        {
          severity: "error",
          line: 3,
          column: 41,
          pointer: "/data/object",
          keyword: "required",
          message: 'missing property "email"',
          expected: 'property "email"',
          found: null,
        },
        {
          severity: "error",
          line: 3,
          column: 266,
          pointer: "/data/object/userId",
          keyword: "type",
          message: 'expected integer, found "181855"',
          expected: "integer",
          found: '"181855"',
        },
      ],
      omittedProblems: 2,
    });
    expect(document["files"][1]).toEqual({
      file: "fixtures/user.created.json",
      events: 1,
      valid: 1,
      invalid: 0,
      warned: 0,
      invalidEvents: [],
      warnedEvents: [],
    });
    expect(document["files"][2].warnedEvents).toEqual([
      expect.objectContaining({
        type: "topic.created",
        severity: "warning",
        problems: [expect.objectContaining({ severity: "warning" }), expect.objectContaining({ severity: "info", found: '"Thread"' })],
      }),
    ]);
  });
});

describe("junit report", () => {
  it("has a testsuite per file and a testcase per event; warnings in system-out and properties, never failures", () => {
    expect(formatJunitReport(report)).toMatchInlineSnapshot(`
      "<?xml version="1.0" encoding="UTF-8"?>
      <testsuites name="wtbhook validate" tests="5" failures="2" errors="0" time="0.012">
        <testsuite name="events/bad.ndjson" tests="3" failures="2" errors="0" skipped="0" time="0.004">
          <testcase classname="events/bad.ndjson" name="event 1 (user.created) at line 1" time="0"/>
          <testcase classname="events/bad.ndjson" name="event 2 (user.created) at line 3" time="0">
            <failure message="/data/object: missing property &quot;email&quot; (and 3 more)" type="required">events/bad.ndjson:3:41  error  /data/object  missing property "email"
      events/bad.ndjson:3:266  error  /data/object/userId  expected integer, found "181855"
      … and 2 more problems</failure>
          </testcase>
          <testcase classname="events/bad.ndjson" name="event 3 at line 4" time="0">
            <failure message="(root): malformed JSON: unexpected end of input (expected a value)" type="syntax">events/bad.ndjson:4:6  error  (root)  malformed JSON: unexpected end of input (expected a value)</failure>
          </testcase>
        </testsuite>
        <testsuite name="fixtures/user.created.json" tests="1" failures="0" errors="0" skipped="0" time="0.001">
          <testcase classname="fixtures/user.created.json" name="event 1 (user.created) at line 1" time="0"/>
        </testsuite>
        <testsuite name="events/topic.json" tests="1" failures="0" errors="0" skipped="0" time="0.001">
          <testcase classname="events/topic.json" name="event 1 (topic.created) at line 1" time="0">
            <properties>
              <property name="wtbhook.warnings" value="1"/>
              <property name="wtbhook.infos" value="1"/>
            </properties>
            <system-out>events/topic.json:1:40  warning  /data/object  missing properties "title", "author"
      events/topic.json:1:60  info  /data/object/object  expected "Topic", found "Thread"</system-out>
          </testcase>
        </testsuite>
      </testsuites>
      "
    `);
  });

  /** Runs `body` with TMPDIR pointing at a fresh folder, and returns what is left in it afterwards. */
  function inPrivateTmp(body: () => void): string[] {
    const saved = process.env["TMPDIR"];
    const dir = mkdtempSync(join(tmpdir(), "wtbhook-junit-test-"));
    process.env["TMPDIR"] = dir;
    try {
      body();
      return readdirSync(dir);
    } finally {
      process.env["TMPDIR"] = saved;
      if (saved === undefined) delete process.env["TMPDIR"];
      rmSync(dir, { recursive: true, force: true });
    }
  }

  it("is written the same by the streaming writer, through a temporary file that no one else sees", () => {
    // Enough non-ASCII testcases to spill to the file several times and to split characters
    // between read chunks.
    const many: EventReport[] = Array.from({ length: 4000 }, (_, index) => ({
      ...malformed,
      index,
      line: index + 1,
      type: `ü€😀.${"ä".repeat(index % 97)}`,
    }));
    const big: ValidationReport = {
      summary: { ...summary, events: 4001, invalid: 4000 },
      files: [
        { ...badFile, events: 4000, invalid: 4000, reported: many },
        {
          file: "fixtures/user.created.json",
          events: 1,
          valid: 1,
          invalid: 0,
          warned: 0,
          durationMs: 1,
          reported: [{ ...validEvent, file: "fixtures/user.created.json" }],
        },
      ],
    };
    for (const input of [report, big]) {
      let out = "";
      const left = inPrivateTmp(() => {
        const writer = new JunitWriter();
        // Unlinked as soon as it is open: a process killed now leaves nothing behind.
        expect(readdirSync(tmpdir())).toEqual([]);
        for (const file of input.files) {
          for (const event of file.reported) writer.onEvent(event);
          writer.onFile(file);
        }
        writer.finish(input.summary, (text: string) => (out += text));
      });
      expect(out).toBe(formatJunitReport(input));
      expect(left).toEqual([]);
    }
  });

  it("a spool that cannot be written fails as a WtbhookError (exit 2) and leaves no temporary file", () => {
    let thrown: unknown;
    const left = inPrivateTmp(() => {
      const writer = new JunitWriter();
      closeSync((writer as unknown as { fd: number }).fd);
      try {
        for (let i = 0; i < 2000; i++) writer.onEvent(malformed);
      } catch (error) {
        thrown = error;
      }
    });
    expect(thrown).toBeInstanceOf(WtbhookError);
    expect((thrown as WtbhookError).exitCode).toBe(2);
    expect((thrown as WtbhookError).message).toMatch(/^cannot spool the junit report in .*EBADF/);
    expect(left).toEqual([]);
  });

  it("escapes markup and drops characters XML 1.0 cannot carry", () => {
    expect(escapeXmlText('a<b>&"c"\u0000\u0007\ud800\uffff é😀')).toBe('a&lt;b&gt;&amp;"c" é😀');
    expect(escapeXmlAttribute("say \"hi\" & 'bye'\n")).toBe("say &quot;hi&quot; &amp; &apos;bye&apos;&#10;");
    const xml = formatJunitReport({
      summary,
      files: [
        {
          ...badFile,
          file: "a&b<\u0001>.json",
          reported: [{ ...malformed, file: "a&b<\u0001>.json", problems: [{ ...malformed.problems[0]!, message: "]]> \u0000 <x>" }] }],
        },
      ],
    });
    expect(xml).toContain('name="a&amp;b&lt;&gt;.json"');
    expect(xml).toContain("]]&gt;  &lt;x&gt;");
    expect(xml).not.toMatch(/[\u0000-\u0008]/);
  });
});

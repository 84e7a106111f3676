import { describe, expect, it } from "vitest";

import type { AjvError } from "../../../src/catalog/validators.js";
import { describeFound, problemsFromAjv } from "../../../src/validation/problems.js";

const error = (instancePath: string, keyword: string, params: Record<string, unknown>, message?: string): AjvError => ({
  instancePath,
  schemaPath: "#",
  keyword,
  params,
  message,
});

describe("problemsFromAjv", () => {
  it("merges the branches of an anyOf at one place into one problem", () => {
    const problems = problemsFromAjv(
      [
        error("/a", "type", { type: "string" }),
        error("/a", "type", { type: "null" }),
        error("/a", "anyOf", {}, "must match a schema in anyOf"),
      ],
      { a: 42 },
    );
    expect(problems).toEqual([
      {
        pointer: "/a",
        severity: "error",
        keyword: "type",
        expected: "string or null",
        found: "42",
        message: "expected string or null, found 42",
      },
    ]);
  });

  it("prefers allowed values to the type they imply", () => {
    const problems = problemsFromAjv(
      [error("/mode", "type", { type: "string" }), error("/mode", "enum", { allowedValues: ["live", "test"] })],
      { mode: 3 },
    );
    expect(problems.map((problem) => problem.message)).toEqual(['expected "live" or "test", found 3']);
  });

  it("points a required error at the parent and names every missing property", () => {
    const problems = problemsFromAjv(
      [error("/data/object", "required", { missingProperty: "email" }), error("/data/object", "required", { missingProperty: "name" })],
      { data: { object: {} } },
    );
    expect(problems).toEqual([
      {
        pointer: "/data/object",
        severity: "error",
        keyword: "required",
        expected: 'properties "email", "name"',
        message: 'missing properties "email", "name"',
      },
    ]);
  });

  it("says what limits expected", () => {
    const event = { n: -1, s: "", list: [1, 1] };
    const problems = problemsFromAjv(
      [error("/n", "minimum", { limit: 0 }), error("/s", "minLength", { limit: 1 }), error("/list", "uniqueItems", { i: 1, j: 0 })],
      event,
    );
    expect(problems.map((problem) => problem.message)).toEqual([
      "expected unique items (items 0 and 1 are equal), found an array [1, 1]",
      "expected a number >= 0, found -1",
      'expected a string of at least 1 characters, found ""',
    ]);
  });

  it("turns additionalProperties into an unknown-field problem at the field", () => {
    const problems = problemsFromAjv([error("", "additionalProperties", { additionalProperty: "x/y" })], { "x/y": 1 });
    expect(problems).toEqual([
      {
        pointer: "/x~1y",
        severity: "error",
        keyword: "unknown-field",
        expected: "no such field",
        message: 'unknown field "x/y" (not in the schema)',
      },
    ]);
  });

  it("grades each problem by the schema node it broke (x-missing, x-severity), an error where none says", () => {
    const node = { "x-severity": "warning", "x-missing": { topicId: "error", title: "warning", replyCount: "info" } };
    const graded = (keyword: string, params: Record<string, unknown>, instancePath = "/o"): AjvError => ({
      ...error(instancePath, keyword, params),
      parentSchema: node,
    });
    const problems = problemsFromAjv(
      [
        graded("required", { missingProperty: "topicId" }),
        graded("required", { missingProperty: "title" }),
        graded("required", { missingProperty: "replyCount" }),
        graded("type", { type: "string" }, "/o/title"),
        error("/o/x", "type", { type: "string" }),
      ],
      { o: { title: 1, x: 2 } },
    );
    expect(problems.map((problem) => [problem.severity, problem.pointer, problem.message])).toEqual([
      ["error", "/o", 'missing property "topicId"'],
      ["error", "/o/x", "expected string, found 2"],
      ["warning", "/o", 'missing property "title"'],
      ["warning", "/o/title", "expected string, found 1"],
      ["info", "/o", 'missing property "replyCount"'],
    ]);
  });

  it("leaves out a wrapper (if, anyOf) whose branches said why, and keeps it alone", () => {
    const branchFailed = [
      error("/o", "required", { missingProperty: "email" }),
      error("/o", "if", { failingKeyword: "then" }, 'must match "then" schema'),
    ];
    expect(problemsFromAjv(branchFailed, { o: {} }).map((problem) => problem.message)).toEqual(['missing property "email"']);
    expect(problemsFromAjv([error("/o", "if", {}, 'must match "then" schema')], { o: {} })).toHaveLength(1);
  });

  it("reads values as own properties only (a __proto__ key is data)", () => {
    const event = JSON.parse('{"__proto__": {"polluted": 1}}') as unknown;
    const problems = problemsFromAjv([error("/__proto__", "type", { type: "string" })], event);
    expect(problems[0]?.found).toBe('an object {"polluted": 1}');
    expect(problemsFromAjv([error("/constructor", "type", { type: "string" })], {})[0]?.found).toBe("nothing");
  });
});

describe("describeFound", () => {
  it("shows a value briefly, cut and terminal-safe", () => {
    expect(describeFound("x".repeat(1000))).toMatch(/^"x{30,40}…"$/);
    expect(describeFound("\u001b[2J\u202e")).toBe('"\\u001b[2J\\u202e"');
    expect(describeFound([])).toBe("an empty array");
    expect(describeFound(Array.from({ length: 100 }, (_, i) => i))).toMatch(/^an array \[0, 1, 2, .*…\]$/);
  });

  it("costs nothing on a 100,000-deep array", () => {
    let deep: unknown = [];
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(describeFound(deep)).toBe("an array [[[…]]]");
  });
});

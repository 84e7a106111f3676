import { describe, expect, it } from "vitest";

import { loadFixture } from "../../../src/catalog/catalog.js";
import { validateEvent } from "../../../src/validation/validate-event.js";

const fixture = (): Record<string, any> => JSON.parse(loadFixture("user.created").toString("utf8")) as Record<string, any>;

describe("validateEvent", () => {
  it("accepts the documented user.created example unchanged", () => {
    expect(validateEvent(fixture())).toEqual({
      type: "user.created",
      id: 1534,
      knownType: true,
      valid: true,
      problems: [],
      omitted: 0,
      estimated: false,
    });
  });

  it("reports each problem at its place, expected and found", () => {
    const event = fixture();
    event["data"].object.userId = "181855";
    delete event["data"].object.email;
    const check = validateEvent(event);
    expect(check.valid).toBe(false);
    expect(check.problems).toEqual([
      { pointer: "/data/object", keyword: "required", expected: 'property "email"', message: 'missing property "email"' },
      {
        pointer: "/data/object/userId",
        keyword: "type",
        expected: "integer",
        found: '"181855"',
        message: 'expected integer, found "181855"',
      },
    ]);
  });

  it("names the closest known types for an unknown type", () => {
    const check = validateEvent({ ...fixture(), type: "user.craeted" });
    expect(check.valid).toBe(false);
    expect(check.problems).toHaveLength(1);
    expect(check.problems[0]).toMatchObject({ pointer: "/type", keyword: "event-type" });
    expect(check.problems[0]?.message).toMatch(/^unknown event type "user\.craeted"; did you mean user\.created\b/);
  });

  it("names types of the same family when type is missing", () => {
    const { type: _type, ...event } = fixture();
    const check = validateEvent(event);
    expect(check.problems[0]).toMatchObject({ pointer: "", keyword: "required" });
    expect(check.problems[0]?.message).toMatch(/^missing property "type" \(the event type, such as user\./);
  });

  it("rejects what is not an object", () => {
    for (const value of [[1, 2], null, 42, "user.created"]) {
      const check = validateEvent(value);
      expect(check.valid).toBe(false);
      expect(check.problems[0]?.message).toMatch(/^expected an event object, found /);
    }
  });

  it("checks as a forced type, and reports an unknown forced type", () => {
    const check = validateEvent(fixture(), { type: "post.created" });
    expect(check.type).toBe("post.created");
    expect(
      check.problems.some((problem) => problem.pointer === "/type" && problem.message === 'expected "post.created", found "user.created"'),
    ).toBe(true);
    expect(validateEvent(fixture(), { type: "nope" }).problems[0]?.keyword).toBe("event-type");
  });

  it("allows unknown fields, except in strict mode", () => {
    const event = { ...fixture(), nickname: "jd" };
    expect(validateEvent(event).valid).toBe(true);
    const strict = validateEvent(event, { strict: true });
    expect(strict.valid).toBe(false);
    expect(strict.problems).toEqual([expect.objectContaining({ pointer: "/nickname", keyword: "unknown-field" })]);
  });

  it("treats __proto__ and constructor keys as plain data", () => {
    const text = JSON.stringify(fixture()).replace(/}$/, ', "__proto__": {"type": "x"}, "constructor": {"prototype": 1}}');
    const event = JSON.parse(text) as unknown;
    expect(validateEvent(event).valid).toBe(true);
    expect(validateEvent(event, { strict: true }).problems.map((problem) => problem.pointer)).toEqual(["/__proto__", "/constructor"]);
    expect(({} as Record<string, unknown>)["type"]).toBeUndefined();
  });
});

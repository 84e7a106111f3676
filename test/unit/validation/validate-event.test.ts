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
      severity: undefined,
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
      {
        pointer: "/data/object",
        severity: "error",
        keyword: "required",
        expected: 'property "email"',
        message: 'missing property "email"',
      },
      {
        pointer: "/data/object/userId",
        severity: "error",
        keyword: "type",
        expected: "integer",
        found: '"181855"',
        message: 'expected integer, found "181855"',
      },
    ]);
  });

  it("makes a typo of a known type an error with did-you-mean", () => {
    for (const typo of ["user.craeted", "user.update", "User.Created", "post_created", "topic.deleted2"]) {
      const check = validateEvent({ ...fixture(), type: typo });
      expect(check.valid, typo).toBe(false);
      expect(check.severity).toBe("error");
      expect(check.problems).toHaveLength(1);
      expect(check.problems[0]).toMatchObject({ pointer: "/type", severity: "error", keyword: "event-type" });
      expect(check.problems[0]?.message).toMatch(/; did you mean (user|post|topic)\.[a-z]+\?$/);
    }
    expect(validateEvent({ ...fixture(), type: "user.craeted" }).problems[0]?.message).toBe(
      'unknown event type "user.craeted"; did you mean user.created?',
    );
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

  it("accepts events without the optional fields that carry no warning", () => {
    expect(validateEvent(fixture(), { info: true })).toMatchObject({ valid: true, severity: undefined, problems: [] });
  });
});

/** An event of `type` around `object`, with a correct envelope. */
function event(type: string, object: unknown): Record<string, unknown> {
  return { api_version: "1", object: "event", id: 5, type, mode: "live", data: { object } };
}

const problemsOf = (check: ReturnType<typeof validateEvent>): [string, string, string][] =>
  check.problems.map((problem) => [problem.severity, problem.pointer, problem.message]);

describe("validateEvent, graded", () => {
  it("makes a topic.created whose object is {hello: world} an error: it has no topicId", () => {
    const check = validateEvent(event("topic.created", { hello: "world" }));
    expect(check).toMatchObject({ valid: false, severity: "error" });
    expect(problemsOf(check)[0]).toEqual(["error", "/data/object", 'missing property "topicId"']);
    expect(problemsOf(check)[1]).toEqual(["warning", "/data/object", expect.stringMatching(/^missing properties "title", "categoryId", /)]);
  });

  it("makes a User sent as topic.created an error: no topicId, and it names itself a User", () => {
    const user = fixture();
    const check = validateEvent({ ...user, type: "topic.created" });
    expect(check.valid).toBe(false);
    expect(problemsOf(check).filter(([severity]) => severity === "error")).toEqual([
      ["error", "/data/object", 'missing property "topicId"'],
      ["error", "/data/object/object", 'expected "Topic", found "User"'],
    ]);
    // --type topic.created on a user event says the same, and more than /type.
    const forced = validateEvent(JSON.parse(loadFixture("user.updated").toString("utf8")), { type: "topic.created" });
    expect(forced.problems.filter((problem) => problem.severity === "error").map((problem) => problem.pointer)).toEqual([
      "/data/object",
      "/data/object/object",
      "/type",
    ]);
  });

  it("makes a topic with only its identity key valid with warnings, and --strict fails it", () => {
    const topic = event("topic.created", { topicId: 12804902 });
    const check = validateEvent(topic);
    expect(check).toMatchObject({ valid: true, severity: "warning", knownType: true });
    expect(check.problems.map((problem) => problem.severity)).toEqual(["warning"]);
    const strict = validateEvent(topic, { strict: true });
    expect(strict).toMatchObject({ valid: false, severity: "error" });
    // The warnings became errors; the infos are shown and stay infos.
    expect(strict.problems.map((problem) => problem.severity)).toEqual(["error", "info"]);
  });

  it("reports infos only when asked (-v)", () => {
    const topic = event("topic.created", { topicId: 1, object: "Thread" });
    expect(validateEvent(topic).problems.every((problem) => problem.severity === "warning")).toBe(true);
    const verbose = validateEvent(topic, { info: true });
    expect(verbose.valid).toBe(true);
    expect(problemsOf(verbose)).toContainEqual(["info", "/data/object/object", 'expected "Topic", found "Thread"']);
    expect(problemsOf(verbose)).toContainEqual(["info", "/data/object", 'missing properties "replyCount", "firstPost"']);
  });

  it("weighs a wrong type by what is known of the field", () => {
    const topic = JSON.parse(loadFixture("topic.created").toString("utf8")) as { data: { object: Record<string, unknown> } };
    const mistyped = (field: string, value: unknown): [string, string, string][] =>
      problemsOf(validateEvent(event("topic.created", { ...topic.data.object, [field]: value }), { info: true }));
    expect(mistyped("topicId", "12804902")).toEqual([["error", "/data/object/topicId", 'expected integer, found "12804902"']]);
    expect(mistyped("title", 42)).toEqual([["warning", "/data/object/title", "expected string, found 42"]]);
    expect(mistyped("subject", 42)).toEqual([["info", "/data/object/subject", "expected string, found 42"]]);
    // Inside a field seen only in code, nothing weighs more than a warning.
    expect(mistyped("author", "maria")).toEqual([["warning", "/data/object/author", 'expected object, found "maria"']]);
    const user = fixture();
    user["data"].object.reputation = "423";
    expect(problemsOf(validateEvent(user))).toEqual([["error", "/data/object/reputation", 'expected integer, found "423"']]);
  });

  it("makes a well-formed event of an unknown type a warning: the envelope is checked, the object is not", () => {
    const renamed = event("forum.renamed", { forumId: "anything", title: 42 });
    const check = validateEvent(renamed);
    expect(check).toMatchObject({ type: "forum.renamed", knownType: false, valid: true, severity: "warning" });
    expect(problemsOf(check)).toEqual([
      ["warning", "/type", expect.stringMatching(/^unknown event type "forum\.renamed": only its envelope is checked/)],
    ]);
    const brokenEnvelope = validateEvent({ ...renamed, mode: "test", id: "7" });
    expect(brokenEnvelope.valid).toBe(false);
    expect(problemsOf(brokenEnvelope).map(([severity, pointer]) => `${severity} ${pointer}`)).toEqual([
      "error /id",
      "error /mode",
      "warning /type",
    ]);
    expect(validateEvent(renamed, { strict: true })).toMatchObject({ valid: false, severity: "error" });
    // A new type is not a typo, even when it is two edits from a known one.
    expect(validateEvent(event("post.rejected", {})).valid).toBe(true);
  });

  it("requires the member of a payment event, whatever its object is", () => {
    expect(problemsOf(validateEvent(event("user.payment.received", { amount: 4.99 })))).toEqual([
      ["error", "/data/object", 'missing property "userId"'],
    ]);
    expect(validateEvent(event("user.paid_subscription.started", { userId: 5, subscriptionId: 9 }))).toMatchObject({
      valid: true,
      problems: [],
    });
    expect(problemsOf(validateEvent(event("user.paid_subscription.ended", { userId: 5, object: "Post" })))).toEqual([
      ["error", "/data/object/object", 'expected "User" or "Payment" or "Subscription", found "Post"'],
    ]);
  });

  it("puts errors first and cuts to maxProblems after grading, counting the rest", () => {
    const check = validateEvent(event("topic.created", { title: 5 }), { maxProblems: 1 });
    expect(check.problems).toEqual([expect.objectContaining({ severity: "error", message: 'missing property "topicId"' })]);
    expect(check.omitted).toBe(2);
    expect(check.severity).toBe("error");
  });
});

// The package's library entry: what `import … from "wtbhook"` gives, with its types.
import { describe, expect, expectTypeOf, it } from "vitest";

import { eventTypes, loadFixture, validateEvent, type EventPayloadMap, type WebhookEvent } from "../../src/index.js";

describe("library entry", () => {
  it("lists the 17 event types and validates their fixtures", () => {
    expect(eventTypes()).toHaveLength(17);
    for (const type of eventTypes()) {
      const check = validateEvent(JSON.parse(loadFixture(type).toString("utf8")));
      expect(check).toMatchObject({ type, valid: true, problems: [] });
    }
  });

  it("narrows the WebhookEvent union by its type", () => {
    const event = JSON.parse(loadFixture("post.created").toString("utf8")) as WebhookEvent;
    if (event.type !== "post.created") throw new Error("fixture has the wrong type");
    expectTypeOf(event).toEqualTypeOf<EventPayloadMap["post.created"]>();
    expect(event.data.object.postId).toBeGreaterThan(1_000_000_000);
  });

  it("reports a problem with its JSON pointer", () => {
    const event = JSON.parse(loadFixture("user.created").toString("utf8")) as { data: { object: { userId: unknown } } };
    event.data.object.userId = "181855";
    const check = validateEvent(event);
    expect(check.valid).toBe(false);
    expect(check.problems).toContainEqual(expect.objectContaining({ pointer: "/data/object/userId" }));
  });

  it("grades each problem and the event: a warning leaves it valid, an error does not, an unknown type is a warning", () => {
    const envelope = (type: string, object: unknown): unknown => ({
      api_version: "1",
      object: "event",
      id: 5,
      type,
      mode: "live",
      data: { object },
    });
    expect(validateEvent(envelope("topic.created", { topicId: 12804902 }))).toMatchObject({ valid: true, severity: "warning" });
    const hello = validateEvent(envelope("topic.created", { hello: "world" }));
    expect(hello).toMatchObject({ valid: false, severity: "error" });
    expect(hello.problems[0]).toMatchObject({ severity: "error", pointer: "/data/object", message: 'missing property "topicId"' });
    expect(validateEvent(envelope("forum.renamed", { forumId: 1 }))).toMatchObject({ knownType: false, valid: true, severity: "warning" });
    expect(validateEvent(envelope("user.craeted", {}))).toMatchObject({ valid: false, severity: "error" });
  });
});

import { describe, expect, it } from "vitest";

import { eventTypes } from "../../../src/catalog/catalog.js";
import { compileEventFilter, unmatchedGlobs } from "../../../src/receiver/event-filter.js";

describe("compileEventFilter", () => {
  it.each([
    ["user.*,post.created", "user.created", true],
    ["user.*,post.created", "user.paid_subscription.ended", true],
    ["user.*,post.created", "post.created", true],
    ["user.*,post.created", "post.updated", false],
    ["user.*,post.created", "userx.created", false],
    ["user.*,post.created", undefined, false],
    [" topic.* , message.created ", "topic.deleted", true],
    ["*", "anything.at.all", true],
    ["*.created", "conversation.created", true],
    ["*.created", "user.updated", false],
  ])("%s matches %s: %s", (globs, type, expected) => {
    expect(compileEventFilter(globs)(type)).toBe(expected);
  });

  it("shows everything without a filter", () => {
    expect(compileEventFilter(undefined)(undefined)).toBe(true);
    expect(compileEventFilter("")("post.created")).toBe(true);
  });

  it("treats dots and other regex characters literally", () => {
    expect(compileEventFilter("user.created")("userXcreated")).toBe(false);
  });
});

describe("unmatchedGlobs", () => {
  it("names the globs that match no known event type", () => {
    expect(unmatchedGlobs("user.create, post.*,usr.*,*", eventTypes())).toEqual(["user.create", "usr.*"]);
    expect(unmatchedGlobs(undefined, eventTypes())).toEqual([]);
  });
});

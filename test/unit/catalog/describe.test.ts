// Field listings and the confidence table of `wtbhook schemas`.
import { describe, expect, it } from "vitest";

import { formatCatalogueSummary, formatFieldTable, formatFixtureList } from "../../../src/format/catalog-text.js";
import { eventCatalogue, eventTypes } from "../../../src/catalog/catalog.js";
import { eventFields, summariseCatalogue } from "../../../src/catalog/describe.js";
import { plainStyle } from "../../../src/format/style.js";
import { readFixture } from "./helpers.js";

describe("eventFields", () => {
  it("lists the 19 documented User fields of user.created as required, the rest as optional", () => {
    const fields = eventFields("user.created").filter((field) => /^data\.object\.[^.]+$/.test(field.path));
    const documented = fields.filter((field) => field.confidence === "documented");
    expect(documented.map((field) => field.path.slice("data.object.".length)).sort()).toEqual(
      Object.keys(readFixture("user.created").data.object).sort(),
    );
    expect(documented.every((field) => field.required)).toBe(true);
    expect(fields.filter((field) => field.confidence !== "documented").every((field) => !field.required)).toBe(true);
  });

  it("includes the envelope with the event's own type constant", () => {
    const fields = eventFields("post.created");
    expect(fields.slice(0, 2).map((field) => field.path)).toEqual(["api_version", "data"]);
    expect(fields.find((field) => field.path === "type")).toMatchObject({
      jsonType: '"post.created"',
      required: true,
      confidence: "documented",
    });
    expect(fields.find((field) => field.path === "mode")).toMatchObject({ jsonType: '"live"' });
  });

  it("follows references into nested objects and arrays", () => {
    const byPath = new Map(eventFields("post.created").map((field) => [field.path, field]));
    expect(byPath.get("data.object")?.jsonType).toBe("Post");
    expect(byPath.get("data.object.author.userId")).toMatchObject({ jsonType: "integer", confidence: "documented-2017", required: false });
    expect(byPath.get("data.object.attachments")?.jsonType).toBe("array of Attachment");
    expect(byPath.get("data.object.attachments[].id")?.jsonType).toBe("string");
    expect(byPath.get("data.object.topicId")?.confidence).toBe("third-party-doc");
  });

  it("shows both possibilities of an uncertain payload, requiring neither", () => {
    const byPath = new Map(eventFields("user.deleted").map((field) => [field.path, field]));
    expect(byPath.get("data.object")?.jsonType).toBe("User or UserReference");
    expect(byPath.get("data.object.username")?.required).toBe(false);
    expect(new Map(eventFields("user.payment.received").map((f) => [f.path, f])).get("data.object.currency")?.confidence).toBe(
      "speculative",
    );
  });
});

describe("summariseCatalogue", () => {
  it("has one entry per type in catalogue order, with counts of data.object fields", () => {
    const summaries = summariseCatalogue();
    expect(summaries.map((summary) => summary.type)).toEqual(eventTypes());
    const userCreated = summaries[0]!;
    expect(userCreated).toMatchObject({ confidence: "documented" });
    expect(userCreated.fieldCounts["documented"]).toBe(19);
    expect(summaries.find((summary) => summary.type === "topic.created")?.fieldCounts["documented"]).toBeUndefined();
  });
});

describe("text output", () => {
  it("prints the confidence table with aligned columns and a legend", () => {
    const text = formatCatalogueSummary(summariseCatalogue(), plainStyle);
    const lines = text.split("\n");
    expect(lines[0]).toMatch(/^TYPE\s+PAYLOAD\s+doc\s+2017\s+code\s+3rd\s+infer\s+spec$/);
    expect(lines[1]).toMatch(/^user\.created\s+documented\s+19\s+1\s+4\s+-\s+-\s+-$/);
    const payloadColumn = lines[0]!.indexOf("PAYLOAD");
    for (const line of lines.slice(1, 18)) expect(line.slice(payloadColumn - 2, payloadColumn)).toBe("  ");
    expect(text).toContain("speculative      a guess: nothing public describes it");
  });

  it("prints one row per field, with what its absence costs", () => {
    const text = formatFieldTable("user.created", eventFields("user.created"), plainStyle);
    expect(text).toMatch(/^user\.created\nFIELD\s+TYPE\s+IF MISSING\s+CONFIDENCE\n/);
    expect(text).toMatch(/\ndata\.object\.userGroups\s+array of integer\s+error\s+documented\n/);
    expect(text).toMatch(/\ndata\.object\.customFields\s+array of any\s+-\s+documented-2017\n/);
    const topic = formatFieldTable("topic.created", eventFields("topic.created"), plainStyle);
    expect(topic).toMatch(/\ndata\.object\.topicId\s+integer\s+error\s+documented-2017\n/);
    expect(topic).toMatch(/\ndata\.object\.title\s+string\s+warning\s+documented-2017\n/);
    expect(topic).toMatch(/\ndata\.object\.replyCount\s+integer\s+info\s+documented-2017\n/);
    expect(topic).toMatch(/\ndata\.object\.subject\s+string\s+-\s+third-party-doc\n/);
    // Never more than the field it is in: a first post's id is required of a post, but firstPost is only seen in code.
    expect(topic).toMatch(/\ndata\.object\.firstPost\.postId\s+integer\s+warning\s+documented-2017\n/);
    const deleted = formatFieldTable("user.deleted", eventFields("user.deleted"), plainStyle);
    expect(deleted).toMatch(/\ndata\.object\.userId\s+integer\s+error\s+inferred\n/);
    expect(deleted).toMatch(/\ndata\.object\.email\s+string\s+error \(User\)\s+documented\n/);
  });

  it("lists fixtures with their descriptions", () => {
    const text = formatFixtureList(eventCatalogue(), plainStyle);
    expect(text.trimEnd().split("\n")).toHaveLength(eventTypes().length);
    expect(text).toMatch(/^user\.created\s+A new member registered an account\.\n/);
  });

  it("colours only when asked", () => {
    const marked = { ...plainStyle, enabled: true, green: (t: string) => `<g>${t}</g>`, bold: (t: string) => `<b>${t}</b>` };
    const text = formatCatalogueSummary(summariseCatalogue(), marked);
    expect(text).toContain("<b>TYPE");
    expect(text).toContain("<g>documented ");
  });
});

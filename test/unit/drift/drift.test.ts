// DriftCollector: what real events say about the catalogue, field by field (array items as `*`,
// only the top-most undeclared field, nothing inside free-form fields, member names redacted).
import { describe, expect, it } from "vitest";

import { loadFixture } from "../../../src/catalog/catalog.js";
import { DriftCollector } from "../../../src/drift/drift.js";

function fixture(type: string): Record<string, unknown> & { data: { object: Record<string, unknown> } } {
  return JSON.parse(loadFixture(type).toString("utf8")) as Record<string, unknown> & { data: { object: Record<string, unknown> } };
}

function collect(events: unknown[], redact = true): ReturnType<DriftCollector["finish"]> {
  const collector = new DriftCollector({ redact });
  for (const [i, value] of events.entries())
    collector.add({ file: "x.ndjson", line: i + 1, bytes: Buffer.from("{}"), value, time: undefined });
  return collector.finish(1);
}

describe("DriftCollector", () => {
  it("an extra field inside array items is one pointer with *, its insides go with it", () => {
    const event = fixture("conversation.created");
    const attachments = event.data.object["participants"] as Record<string, unknown>[];
    expect(attachments.length).toBeGreaterThan(0);
    for (const item of attachments) item["scan"] = { virus: false, engine: "clam" };
    const report = collect([event, fixture("conversation.created")]);
    expect(report.types[0]!.undeclared).toEqual([
      {
        pointer: "/data/object/participants/*/scan",
        types: { object: attachments.length },
        events: 1,
        example: '{"virus": false, "engine": "xxxx"}',
      },
    ]);
  });

  it("member names that are data are redacted in pointers; --no-redact keeps them", () => {
    const event = fixture("user.created");
    event.data.object["maria.keller@example.org"] = true;
    expect(collect([event]).types[0]!.undeclared.map((field) => field.pointer)).toEqual(["/data/object/xxxxxxxxxxxx@example.com"]);
    expect(collect([event], false).types[0]!.undeclared.map((field) => field.pointer)).toEqual(["/data/object/maria.keller@example.org"]);
  });

  it("an identity key of the wrong type is an error mismatch; a missing expected field is counted where its parent is", () => {
    const stringId = fixture("topic.created");
    stringId.data.object["topicId"] = "12804902";
    const noTitle = fixture("topic.created");
    delete noTitle.data.object["title"];
    const [topic] = collect([stringId, noTitle, fixture("topic.created")]).types;
    expect(topic).toMatchObject({ type: "topic.created", events: 3, invalid: 1, warned: 1 });
    expect(topic!.mismatches).toEqual([
      { pointer: "/data/object/topicId", expected: "integer", seen: { string: 1 }, events: 1, severity: "error" },
    ]);
    expect(topic!.missing).toEqual([{ pointer: "/data/object/title", severity: "warning", events: 1, of: 3 }]);
  });

  it("a type that looks like an address is redacted as a type; an unknown type lists every field of its object", () => {
    const report = collect([
      { api_version: "1", object: "event", id: 1, type: "john@doe.com", mode: "live", data: { object: { a: 1 } } },
      {
        api_version: "1",
        object: "event",
        id: 2,
        type: "forum.renamed",
        mode: "live",
        data: { object: { forumId: 3, owner: { name: "John Doe" } } },
      },
    ]);
    expect(report.types.map((type) => type.type)).toEqual(["forum.renamed", "xxxx@example.com"]);
    expect(report.types[0]!.undeclared.map((field) => [field.pointer, field.example])).toEqual([
      ["/data/object/forumId", "3"],
      ["/data/object/owner", '{"name": "Xxxx Xxx"}'],
      ["/data/object/owner/name", '"Xxxx Xxx"'],
    ]);
  });
});

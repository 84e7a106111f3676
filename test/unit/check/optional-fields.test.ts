import { readFileSync } from "node:fs";

import { describe, expect, it } from "vitest";

import { eventFields } from "../../../src/catalog/describe.js";
import { eventTypes } from "../../../src/catalog/catalog.js";
import { outermostOptionalFields } from "../../../src/check/optional-fields.js";

const fixture = (type: string): Record<string, unknown> =>
  JSON.parse(readFileSync(new URL(`../../../fixtures/${type}.json`, import.meta.url), "utf8")) as Record<string, unknown>;

describe("outermostOptionalFields (from the schemas, through the catalogue)", () => {
  it("lists a post's optional fields in schema order, author as a whole, never its inner fields", () => {
    const fields = outermostOptionalFields("post.created", fixture("post.created"));
    expect(fields).toContain("data.object.author");
    expect(fields).toContain("data.object.message");
    expect(fields.some((path) => path.startsWith("data.object.author."))).toBe(false);
    expect(fields.some((path) => path.includes("[]"))).toBe(false);
    const order = eventFields("post.created").map((field) => field.path);
    expect([...fields].sort((a, b) => order.indexOf(a) - order.indexOf(b))).toEqual(fields);
  });

  it("leaves out what the schema requires (user.created's documented fields, the envelope) and what the event lacks", () => {
    expect(outermostOptionalFields("user.created", fixture("user.created"))).toEqual([]);
    for (const type of eventTypes()) {
      const fields = outermostOptionalFields(type, fixture(type));
      expect(fields.every((path) => path.startsWith("data.object."))).toBe(true);
    }
    expect(outermostOptionalFields("post.created", { data: { object: { message: "<p>hi</p>" } } })).toEqual(["data.object.message"]);
  });

  it("follows the schema: an optional field whose parent is required is listed once its parent is there", () => {
    const required = new Set(
      eventFields("topic.created")
        .filter((field) => field.required)
        .map((field) => field.path),
    );
    for (const path of outermostOptionalFields("topic.created", fixture("topic.created"))) {
      expect(required.has(path)).toBe(false);
      const parent = path.split(".").slice(0, -1).join(".");
      expect(required.has(parent)).toBe(true);
    }
  });
});

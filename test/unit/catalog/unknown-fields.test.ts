// Strict mode: properties an event carries that its schema does not declare.
import { readFileSync } from "node:fs";

import { describe, expect, it } from "vitest";

import { findUnknownFields, findUnknownFieldsInSchema } from "../../../src/catalog/unknown-fields.js";
import { WtbhookError } from "../../../src/errors.js";

const seed = (): Record<string, any> => JSON.parse(readFileSync(new URL("../../../fixtures/user.created.json", import.meta.url), "utf8"));

describe("findUnknownFields", () => {
  it("finds nothing in the documented example", () => {
    expect(findUnknownFields("user.created", seed())).toEqual([]);
  });

  it("reports extra properties at every level, envelope ones through allOf and $ref", () => {
    const event = seed();
    event.nickname = "x";
    event.data.object.nickname = "johnny";
    event.data.extra = true;
    expect(findUnknownFields("user.created", event).sort()).toEqual(["/data/extra", "/data/object/nickname", "/nickname"]);
  });

  it("escapes pointer tokens as RFC 6901 says", () => {
    const event = seed();
    event.data.object["a/b~c"] = 1;
    expect(findUnknownFields("user.created", event)).toEqual(["/data/object/a~1b~0c"]);
  });

  it("ignores values that are not objects where objects are expected", () => {
    const event = seed();
    event.data = "nope";
    expect(findUnknownFields("user.created", event)).toEqual([]);
    expect(findUnknownFields("user.created", null)).toEqual([]);
    expect(findUnknownFields("user.created", [1, 2])).toEqual([]);
  });

  it("survives hostile nesting and prototype-looking keys", () => {
    let deep: unknown = [];
    for (let i = 0; i < 100_000; i++) deep = [deep];
    const text = JSON.stringify(seed()).replace(/^\{/, '{"__proto__": {"a": 1},');
    const event = JSON.parse(text);
    event.data.object.extra = JSON.parse('{"__proto__": {"x": 1}, "constructor": 1}');
    event.data.object.customFields = deep;
    event.data.object.userGroups = deep;
    expect(Object.hasOwn(event, "__proto__")).toBe(true);
    expect(findUnknownFields("user.created", event).sort()).toEqual(["/__proto__", "/data/object/extra"]);
  });

  it("rejects an unknown event type with a usage error", () => {
    expect(() => findUnknownFields("user.creatd", seed())).toThrow(WtbhookError);
  });
});

describe("findUnknownFieldsInSchema", () => {
  const base = "https://example.test/schemas/";
  const item = {
    $id: `${base}item.json`,
    type: "object",
    properties: { id: { type: "string" }, tags: { type: "array", items: { $ref: "#/$defs/tag" } } },
    $defs: { tag: { type: "object", properties: { name: { type: "string" } } } },
  };
  const root = {
    $id: `${base}root.json`,
    type: "object",
    properties: {
      list: { type: "array", items: { $ref: "item.json" } },
      free: { type: "object" },
      map: { type: "object", additionalProperties: { type: "object", properties: { n: { type: "integer" } } } },
      pair: { type: "array", prefixItems: [{ type: "object", properties: { a: { type: "integer" } } }] },
    },
    patternProperties: { "^x-": { type: "object", properties: { ok: { type: "boolean" } } } },
  };

  it("follows array items, $ref to other documents and to $defs, additionalProperties and patternProperties", () => {
    const event = {
      list: [
        { id: "1", extra: 1 },
        { id: "2", tags: [{ name: "a", colour: "red" }] },
      ],
      free: { anything: { goes: true } },
      map: { k: { n: 1, m: 2 } },
      pair: [{ a: 1, b: 2 }, { c: 3 }],
      "x-custom": { ok: true, nope: false },
      other: 1,
    };
    expect(findUnknownFieldsInSchema(root, event, [item]).sort()).toEqual([
      "/list/0/extra",
      "/list/1/tags/0/colour",
      "/map/k/m",
      "/other",
      "/pair/0/b",
      "/x-custom/nope",
    ]);
  });

  it("treats a property declared in any allOf branch as known", () => {
    const schema = {
      type: "object",
      allOf: [{ properties: { a: { type: "integer" } } }, { properties: { b: { type: "integer" } } }],
    };
    expect(findUnknownFieldsInSchema(schema, { a: 1, b: 2, c: 3 })).toEqual(["/c"]);
  });
});

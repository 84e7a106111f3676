// Strict mode: schemas closed with unevaluatedProperties, so that ajv reports the fields no schema declares.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

import { describe, expect, it } from "vitest";

import { closeSchemas } from "../../../src/catalog/close-schema.js";
import { WtbhookError } from "../../../src/errors.js";
import { findUnknownFields } from "../../../src/validation/validate-event.js";

const require = createRequire(import.meta.url);
const seed = (): Record<string, any> => JSON.parse(readFileSync(new URL("../../../fixtures/user.created.json", import.meta.url), "utf8"));

/** The pointers a schema set, closed, reports as undeclared in `event` (the first document is the entry). */
function unknownIn(documents: Record<string, object>, event: unknown): string[] {
  const Ajv2020 = require("ajv/dist/2020").default;
  const ajv = new Ajv2020({ allErrors: true, strict: false });
  const [entry] = Object.keys(documents);
  const closed = closeSchemas(new Map(Object.entries(documents) as [string, Record<string, unknown>][]), new Set([entry!]));
  for (const [key, schema] of closed) ajv.addSchema(schema, key);
  const id = closed.get(entry!)!["$id"];
  const validate = ajv.getSchema(typeof id === "string" ? id : entry);
  validate(event);
  const found = (validate.errors ?? [])
    .filter((error: { keyword: string }) => error.keyword === "unevaluatedProperties")
    .map(
      (error: { instancePath: string; params: { unevaluatedProperty: string } }) =>
        `${error.instancePath}/${error.params.unevaluatedProperty}`,
    );
  return [...new Set<string>(found)].sort();
}

describe("findUnknownFields (the catalogue's strict validators)", () => {
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

  it("follows if/then/else as the spec does: only the branch taken declares", () => {
    // user.deleted: a User object is checked as a User, anything else as a reference with a userId.
    const event = JSON.parse(readFileSync(new URL("../../../fixtures/user.deleted.json", import.meta.url), "utf8"));
    expect(findUnknownFields("user.deleted", event)).toEqual([]);
    event.data.object = { userId: 1, username: "john" };
    expect(findUnknownFields("user.deleted", event)).toEqual(["/data/object/username"]);
  });

  it("rejects an unknown event type with a usage error", () => {
    expect(() => findUnknownFields("user.creatd", seed())).toThrow(WtbhookError);
  });
});

describe("closeSchemas", () => {
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
    expect(unknownIn({ "root.json": root, "item.json": item }, event)).toEqual([
      "/list/0/extra",
      "/list/1/tags/0/colour",
      "/map/k/m",
      "/other",
      "/pair/0/b",
      "/x-custom/nope",
    ]);
  });

  it("treats a property declared in any allOf branch as known", () => {
    const schema = { type: "object", allOf: [{ properties: { a: { type: "integer" } } }, { properties: { b: { type: "integer" } } }] };
    expect(unknownIn({ "s.json": schema }, { a: 1, b: 2, c: 3 })).toEqual(["/c"]);
  });

  it("counts an anyOf branch's properties only when the branch matches (no looser than the spec)", () => {
    const schema = {
      type: "object",
      anyOf: [
        { properties: { kind: { const: "a" }, a: { type: "integer" } }, required: ["kind"] },
        { properties: { kind: { const: "b" }, b: { type: "integer" } }, required: ["kind"] },
      ],
    };
    expect(unknownIn({ "s.json": schema }, { kind: "a", a: 1, b: 2 })).toEqual(["/b"]);
  });

  it("leaves the documents it was given unchanged", () => {
    const schema = { type: "object", properties: { a: { type: "object", properties: { b: {} } } } };
    const before = JSON.stringify(schema);
    closeSchemas(new Map([["s.json", schema]]), new Set(["s.json"]));
    expect(JSON.stringify(schema)).toBe(before);
  });
});

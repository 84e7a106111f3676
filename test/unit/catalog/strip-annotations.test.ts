// The precompiled validators drop annotations but keep everything that validates.
import { describe, expect, it } from "vitest";

import { stripAnnotations } from "../../../src/catalog/strip-annotations.js";

describe("stripAnnotations", () => {
  it("drops titles, descriptions, examples and x- keywords at every depth", () => {
    const schema = {
      $id: "https://example.test/a.json",
      title: "A",
      description: "about A",
      "x-confidence": "documented",
      type: "object",
      required: ["description"],
      properties: {
        description: { description: "a property named description", "x-source": "SLATE", type: "string", examples: ["x"] },
        list: { type: "array", items: { title: "Item", const: { title: "data, not an annotation" } } },
      },
      allOf: [{ $ref: "b.json", description: "why" }],
      if: { properties: { kind: { const: "User" } } },
      then: { $ref: "user.json", "x-order": 1 },
    };
    expect(stripAnnotations(schema)).toEqual({
      $id: "https://example.test/a.json",
      type: "object",
      required: ["description"],
      properties: {
        description: { type: "string" },
        list: { type: "array", items: { const: { title: "data, not an annotation" } } },
      },
      allOf: [{ $ref: "b.json" }],
      if: { properties: { kind: { const: "User" } } },
      then: { $ref: "user.json" },
    });
  });
});

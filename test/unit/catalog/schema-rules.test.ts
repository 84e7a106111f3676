// House rules of the schemas: every property labelled, documented exactly when required, stable ids, strict-clean.
import { createRequire } from "node:module";

import { describe, expect, it } from "vitest";

import { bundleEventSchema } from "../../../src/catalog/bundle.js";
import { CONFIDENCE_LEVELS } from "../../../src/catalog/describe.js";
import { schemaFiles, schemaFileTypes, readFixture, type Json } from "./helpers.js";

const require = createRequire(import.meta.url);

interface ObjectNode {
  file: string;
  at: string;
  node: Json;
}

/** The keys that name an object (a member, a topic…): required wherever they are graded as errors. */
const IDENTITY_KEYS = new Set(["userId", "topicId", "postId", "conversationId", "messageId"]);

/** The property names a node declares itself or through the document its `$ref` names. */
function declaredNames(file: string, node: Json): Set<string> {
  const names = new Set<string>(Object.keys(node.properties ?? {}));
  if (typeof node.$ref === "string") {
    const target = new URL(node.$ref, `wtbhook:/schemas/${file}`).pathname.replace(/^\/schemas\//, "");
    for (const name of Object.keys(schemaFiles().get(target)?.properties ?? {})) names.add(name);
  }
  return names;
}

/** Every schema node that declares `properties`, in every file. `if` conditions are tests, not declarations. */
function declaringNodes(): ObjectNode[] {
  const found: ObjectNode[] = [];
  const walk = (file: string, node: Json, at: string): void => {
    if (Array.isArray(node)) return node.forEach((item, i) => walk(file, item, `${at}/${i}`));
    if (!node || typeof node !== "object") return;
    if (node.properties && typeof node.properties === "object") found.push({ file, at, node });
    for (const [key, value] of Object.entries(node)) {
      if (key === "if" || key === "const" || key === "enum" || key === "examples") continue;
      walk(file, value, `${at}/${key}`);
    }
  };
  for (const [file, schema] of schemaFiles()) walk(file, schema, "");
  return found;
}

describe("schema files", () => {
  const files = schemaFiles();

  it.each([...files.keys()])("%s is draft 2020-12 with a stable $id matching its path", (file) => {
    const schema = files.get(file);
    expect(schema.$schema).toBe("https://json-schema.org/draft/2020-12/schema");
    expect(schema.$id).toBe(`https://wtbhook.dev/schemas/v1/${file}`);
    expect(CONFIDENCE_LEVELS).toContain(schema["x-confidence"]);
    expect(typeof schema.description).toBe("string");
    expect(typeof schema.title).toBe("string");
  });

  it("label every property with x-confidence and a description", () => {
    const unlabelled: string[] = [];
    for (const { file, at, node } of declaringNodes()) {
      for (const [name, property] of Object.entries<Json>(node.properties)) {
        if (!CONFIDENCE_LEVELS.includes(property["x-confidence"]) || typeof property.description !== "string") {
          unlabelled.push(`${file}#${at}/properties/${name}`);
        }
      }
    }
    expect(unlabelled).toEqual([]);
  });

  it("require exactly the documented properties and the identity keys (graded errors)", () => {
    const wrong: string[] = [];
    for (const { file, at, node } of declaringNodes()) {
      const required: string[] = node.required ?? [];
      for (const [name, property] of Object.entries<Json>(node.properties)) {
        const documented = property["x-confidence"] === "documented";
        const identity = IDENTITY_KEYS.has(name) && property["x-severity"] === "error";
        if ((documented || identity) !== required.includes(name))
          wrong.push(`${file}#${at}/properties/${name} (${property["x-confidence"]})`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it("grade with known severities, and expect only fields the object declares", () => {
    const wrong: string[] = [];
    const walk = (file: string, node: Json, at: string): void => {
      if (Array.isArray(node)) return node.forEach((item, i) => walk(file, item, `${at}/${i}`));
      if (!node || typeof node !== "object") return;
      if ("x-severity" in node && !["error", "warning", "info"].includes(node["x-severity"])) wrong.push(`${file}#${at}: x-severity`);
      const expected = node["x-expected"];
      if (expected !== undefined) {
        const declared = declaredNames(file, node);
        for (const [severity, names] of Object.entries<string[]>(expected)) {
          if (!["warning", "info"].includes(severity)) wrong.push(`${file}#${at}: x-expected.${severity}`);
          for (const name of names) if (!declared.has(name)) wrong.push(`${file}#${at}: x-expected ${name} is not declared`);
        }
      }
      for (const [key, value] of Object.entries(node)) if (key !== "const" && key !== "enum") walk(file, value, `${at}/${key}`);
    };
    for (const [file, schema] of files) walk(file, schema, "");
    expect(wrong).toEqual([]);
  });

  it("allow unknown extra properties everywhere and use no format keyword", () => {
    const text = JSON.stringify([...files.values()]);
    expect(text).not.toContain('"additionalProperties":false');
    expect(text).not.toContain('"unevaluatedProperties":false');
    expect(text).not.toContain('"format":');
  });

  it("give each event a title that names its TypeScript type", () => {
    for (const type of schemaFileTypes()) {
      const title: string = files.get(`events/${type}.schema.json`).title;
      expect(title).toMatch(/^[A-Z][A-Za-z]+Event$/);
    }
  });
});

describe("bundled schemas", () => {
  /** A validator other than ours: plain Ajv 2020 with strict mode off, as a consumer would use it. */
  const foreign = (): Json => {
    const Ajv2020 = require("ajv/dist/2020").default;
    return new Ajv2020({ strict: false, allErrors: true });
  };

  it.each(schemaFileTypes())("%s is self-contained and judges like the catalogue", (type) => {
    const bundle = bundleEventSchema(type);
    const refs = [...JSON.stringify(bundle).matchAll(/"\$ref":"([^"]+)"/g)].map((m) => m[1]!);
    expect(refs.length).toBeGreaterThan(0);
    for (const ref of refs) expect(ref).toMatch(/^#\/\$defs\/[a-z-]+$/);
    const validate = foreign().compile(bundle);
    const event = readFixture(type);
    expect(validate(event)).toBe(true);
    const broken = structuredClone(event);
    const [field] = Object.entries(broken.data.object).find(([, value]) => Number.isInteger(value)) ?? [];
    broken.data.object[field!] = "12";
    expect(validate(broken)).toBe(false);
    expect(validate({ ...event, mode: "test" })).toBe(false);
  });
});

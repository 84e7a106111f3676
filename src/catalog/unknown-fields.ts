// Finds the properties of an event that its schema does not declare (what `validate --strict` reports).

import { assertEventType, loadSchemaFiles, type JsonSchema } from "./catalog.js";

type SchemaNode = Record<string, unknown>;

/** What every schema applying to one object says about its properties, merged. */
interface ObjectShape {
  /** Sub-schemas of each declared property (several when allOf branches both declare it). */
  properties: Map<string, SchemaNode[]>;
  patterns: { regex: RegExp; schema: SchemaNode }[];
  /** `additionalProperties` schemas: when present, every property is declared. */
  additional: SchemaNode[];
  /** No schema declares any property: a free-form object whose content we cannot judge. */
  freeForm: boolean;
  /** Schemas of each declared property's value, resolved once (null: not declared). */
  children: Map<string, SchemaNode[] | null>;
}

function isNode(value: unknown): value is SchemaNode {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** JSON pointer token escaping (RFC 6901). */
function escapeToken(token: string): string {
  if (!token.includes("~") && !token.includes("/")) return token;
  return token.replace(/~/g, "~0").replace(/\//g, "~1");
}

function unescapeToken(token: string): string {
  return token.replace(/~1/g, "/").replace(/~0/g, "~");
}

/**
 * Resolves `$ref`s between a set of schema documents and answers which properties each
 * instance location declares. Built once per set of documents; cheap to query per event.
 */
export class SchemaShapes {
  private readonly documents = new Map<string, SchemaNode>();
  private readonly baseOf = new WeakMap<SchemaNode, string>();
  private readonly expanded = new WeakMap<SchemaNode, SchemaNode[]>();
  private readonly shapes = new WeakMap<readonly SchemaNode[], ObjectShape>();

  constructor(documents: Iterable<JsonSchema>) {
    for (const document of documents) this.index(document, typeof document["$id"] === "string" ? document["$id"] : "wtbhook:anonymous");
  }

  private index(node: unknown, base: string): void {
    if (Array.isArray(node)) {
      for (const item of node) this.index(item, base);
      return;
    }
    if (!isNode(node)) return;
    const id = typeof node["$id"] === "string" ? new URL(node["$id"], base).href : undefined;
    const here = id ?? base;
    if (id) this.documents.set(id.replace(/#$/, ""), node);
    this.baseOf.set(node, here);
    for (const [key, value] of Object.entries(node)) {
      // `const`, `enum` and `examples` hold instance data, not schemas.
      if (key !== "const" && key !== "enum" && key !== "examples") this.index(value, here);
    }
  }

  private resolve(ref: string, from: SchemaNode): SchemaNode | undefined {
    const url = new URL(ref, this.baseOf.get(from) ?? "wtbhook:anonymous");
    const fragment = decodeURIComponent(url.hash.slice(1));
    url.hash = "";
    let target: unknown = this.documents.get(url.href);
    if (fragment.startsWith("/")) {
      for (const token of fragment.slice(1).split("/")) {
        target = isNode(target) || Array.isArray(target) ? (target as Record<string, unknown>)[unescapeToken(token)] : undefined;
      }
    }
    return isNode(target) ? target : undefined;
  }

  /** The schema itself plus everything it pulls in by $ref, allOf, anyOf, oneOf, if/then/else. */
  private expand(schema: SchemaNode): SchemaNode[] {
    const cached = this.expanded.get(schema);
    if (cached) return cached;
    const result: SchemaNode[] = [];
    const seen = new Set<SchemaNode>();
    const visit = (node: SchemaNode): void => {
      if (seen.has(node)) return;
      seen.add(node);
      result.push(node);
      for (const keyword of ["$ref", "$dynamicRef"]) {
        const ref = node[keyword];
        if (typeof ref === "string") {
          const target = this.resolve(ref, node);
          if (target) visit(target);
        }
      }
      for (const keyword of ["allOf", "anyOf", "oneOf"]) {
        const list = node[keyword];
        if (Array.isArray(list)) for (const item of list) if (isNode(item)) visit(item);
      }
      for (const keyword of ["then", "else"]) {
        const branch = node[keyword];
        if (isNode(branch)) visit(branch);
      }
    };
    visit(schema);
    this.expanded.set(schema, result);
    return result;
  }

  private shapeOf(schemas: readonly SchemaNode[]): ObjectShape {
    const cached = this.shapes.get(schemas);
    if (cached) return cached;
    const shape: ObjectShape = { properties: new Map(), patterns: [], additional: [], freeForm: true, children: new Map() };
    for (const schema of schemas) {
      for (const node of this.expand(schema)) {
        const properties = node["properties"];
        if (isNode(properties)) {
          shape.freeForm = false;
          for (const [name, sub] of Object.entries(properties)) {
            if (!isNode(sub)) continue;
            const list = shape.properties.get(name) ?? [];
            list.push(sub);
            shape.properties.set(name, list);
          }
        }
        const patterns = node["patternProperties"];
        if (isNode(patterns)) {
          shape.freeForm = false;
          for (const [pattern, sub] of Object.entries(patterns)) {
            if (isNode(sub)) shape.patterns.push({ regex: new RegExp(pattern, "u"), schema: sub });
          }
        }
        const additional = node["additionalProperties"];
        if (isNode(additional) || additional === true) {
          shape.additional.push(isNode(additional) ? additional : {});
        }
      }
    }
    this.shapes.set(schemas, shape);
    return shape;
  }

  private itemSchemas(schemas: readonly SchemaNode[], index: number): SchemaNode[] {
    const result: SchemaNode[] = [];
    for (const schema of schemas) {
      for (const node of this.expand(schema)) {
        const prefix = node["prefixItems"];
        if (Array.isArray(prefix) && index < prefix.length) {
          const sub: unknown = prefix[index];
          if (isNode(sub)) result.push(sub);
          continue;
        }
        const items = node["items"];
        if (isNode(items)) result.push(items);
      }
    }
    return result;
  }

  /** The schemas of property `name`'s value, or null when nothing declares it. */
  private childSchemas(shape: ObjectShape, name: string): SchemaNode[] | null {
    const cached = shape.children.get(name);
    if (cached !== undefined) return cached;
    const subs: SchemaNode[] = [...(shape.properties.get(name) ?? [])];
    for (const { regex, schema: sub } of shape.patterns) if (regex.test(name)) subs.push(sub);
    if (subs.length === 0) subs.push(...shape.additional);
    const result = subs.length === 0 ? null : this.cachedList(subs);
    // Only declared names are cached: an open map must not grow the cache with every key it meets.
    if (shape.properties.has(name) && shape.patterns.length === 0) shape.children.set(name, result);
    return result;
  }

  private readonly itemLists = new WeakMap<readonly SchemaNode[], { prefixLength: number; bySlot: Map<number, SchemaNode[]> }>();
  private readonly roots = new WeakMap<JsonSchema, SchemaNode[]>();

  /** The schemas of array element `index`, resolved once per list (prefixItems positions, then the rest). */
  private elementSchemas(schemas: readonly SchemaNode[], index: number): SchemaNode[] {
    let entry = this.itemLists.get(schemas);
    if (!entry) {
      const prefixes = schemas.flatMap((schema) => this.expand(schema)).map((node) => node["prefixItems"]);
      const prefixLength = Math.max(0, ...prefixes.map((prefix) => (Array.isArray(prefix) ? prefix.length : 0)));
      entry = { prefixLength, bySlot: new Map() };
      this.itemLists.set(schemas, entry);
    }
    const slot = index < entry.prefixLength ? index : -1;
    let list = entry.bySlot.get(slot);
    if (!list) {
      list = this.cachedList(this.itemSchemas(schemas, index));
      entry.bySlot.set(slot, list);
    }
    return list;
  }

  /** JSON pointers of the properties of `instance` that no applicable schema declares. */
  findUnknown(schema: JsonSchema, instance: unknown): string[] {
    const found: string[] = [];
    const walk = (value: unknown, schemas: readonly SchemaNode[], pointer: string, depth: number): void => {
      if (schemas.length === 0 || depth > 256) return;
      if (Array.isArray(value)) {
        value.forEach((item, index) => walk(item, this.elementSchemas(schemas, index), `${pointer}/${index}`, depth + 1));
        return;
      }
      if (!isNode(value)) return;
      const shape = this.shapeOf(schemas);
      if (shape.freeForm && shape.additional.length === 0) return;
      for (const name of Object.keys(value)) {
        const children = this.childSchemas(shape, name);
        if (children === null) found.push(`${pointer}/${escapeToken(name)}`);
        else if (children.length > 0) walk(value[name], children, `${pointer}/${escapeToken(name)}`, depth + 1);
      }
    };
    let root = this.roots.get(schema);
    if (!root) {
      root = this.cachedList([schema]);
      this.roots.set(schema, root);
    }
    walk(instance, root, "", 0);
    return found;
  }

  // Shapes are cached by list identity; equal lists of the same schema nodes share one array.
  private readonly lists = new Map<string, SchemaNode[]>();
  private readonly ids = new WeakMap<SchemaNode, number>();
  private nextId = 0;

  private cachedList(list: SchemaNode[]): SchemaNode[] {
    const key = list
      .map((node) => {
        let id = this.ids.get(node);
        if (id === undefined) {
          id = this.nextId++;
          this.ids.set(node, id);
        }
        return id;
      })
      .join(",");
    const existing = this.lists.get(key);
    if (existing) return existing;
    this.lists.set(key, list);
    return list;
  }
}

let catalogueShapes: { shapes: SchemaShapes; files: Map<string, JsonSchema> } | undefined;

/**
 * JSON pointers (RFC 6901, such as "/data/object/nickname") of the properties present in `event`
 * but declared nowhere in the schema of event type `type` ($ref, allOf and array items followed).
 * Objects whose schema declares no properties at all are free-form and never reported.
 * Throws a usage error for an unknown event type.
 */
export function findUnknownFields(type: string, event: unknown): string[] {
  assertEventType(type);
  if (!catalogueShapes) {
    const files = loadSchemaFiles();
    catalogueShapes = { shapes: new SchemaShapes(files.values()), files };
  }
  const schema = catalogueShapes.files.get(`events/${type}.schema.json`);
  return schema ? catalogueShapes.shapes.findUnknown(schema, event) : [];
}

/** The same for a schema of the user's own (`validate --schema FILE`), with any documents it references. */
export function findUnknownFieldsInSchema(schema: JsonSchema, event: unknown, referenced: Iterable<JsonSchema> = []): string[] {
  return new SchemaShapes([schema, ...referenced]).findUnknown(schema, event);
}

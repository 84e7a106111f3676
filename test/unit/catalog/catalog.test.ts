// The catalogue: schemas and fixtures cover the same types, every fixture validates, the seed is unchanged.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";

import { describe, expect, it } from "vitest";

import { assertEventType, closestEventTypes, eventCatalogue, eventTypes, loadFixture } from "../../../src/catalog/catalog.js";
import { compileStandalone } from "../../../src/catalog/standalone.js";
import { compileValidators, ENVELOPE_EXPORT, VALIDATOR_SETS } from "../../../src/catalog/compile-validators.js";
import type { CompiledValidator } from "../../../src/catalog/validators.js";
import { WtbhookError } from "../../../src/errors.js";
import { findUnknownFields } from "../../../src/validation/validate-event.js";
import { fixtureFileTypes, readFixture, schemaFiles, schemaFileTypes, type Json } from "./helpers.js";

const require = createRequire(import.meta.url);
/** The shipped folders of precompiled validators, one module per event type and one for the envelope. */
const DIST = {
  graded: fileURLToPath(new URL("../../../dist/catalog/validators/", import.meta.url)),
  full: fileURLToPath(new URL("../../../dist/catalog/validators-full/", import.meta.url)),
  strict: fileURLToPath(new URL("../../../dist/catalog/validators-strict/", import.meta.url)),
};

/** The shipped modules of one folder, as one set. */
function loadDist(folder: string): Record<string, CompiledValidator> {
  const set: Record<string, CompiledValidator> = {};
  for (const name of readdirSync(folder)) Object.assign(set, require(join(folder, name)) as Record<string, CompiledValidator>);
  return set;
}

/** Evaluates generated module text exactly as Node would load it, to compare it with the runtime compilation. */
function evaluate(source: string): Record<string, CompiledValidator> {
  const module = { exports: {} as Record<string, CompiledValidator> };
  // eslint-disable-next-line @typescript-eslint/no-implied-eval
  new Function("module", "exports", "require", source)(module, module.exports, require);
  return module.exports;
}

const sets = Object.fromEntries(
  VALIDATOR_SETS.map((set) => [set, { runtime: compileValidators(set), standalone: evaluate(compileStandalone(set)), dist: DIST[set] }]),
);

/**
 * The three ways wtbhook validates: compiled at run time, precompiled source, and the shipped dist
 * module; graded, full and strict (closed to undeclared fields), or only the open ones.
 */
function validatorSets(which: "all" | "open" = "all"): [string, Record<string, CompiledValidator>][] {
  const all: [string, Record<string, CompiledValidator>][] = [];
  for (const [name, set] of Object.entries(sets)) {
    if (which === "open" && name === "strict") continue;
    if (!existsSync(set.dist)) throw new Error(`${set.dist} is missing: run \`npm run build\``);
    all.push([`${name} run-time`, set.runtime], [`${name} standalone`, set.standalone]);
    all.push([`${name} dist`, loadDist(set.dist)]);
  }
  return all;
}

function check(set: Record<string, CompiledValidator>, type: string, event: unknown): { valid: boolean; paths: string[] } {
  const validate = set[type];
  if (!validate) throw new Error(`no validator for ${type}`);
  const valid = validate(event);
  return { valid, paths: (validate.errors ?? []).map((error) => error.instancePath) };
}

const types = schemaFileTypes();

describe("the precompiled validators", () => {
  it.each(VALIDATOR_SETS)(
    "of the %s set are what the schemas compile to now, one module per type and the envelope's (run `npm run build` after changing a schema)",
    (set) => {
      const folder = DIST[set];
      expect(existsSync(folder)).toBe(true);
      const names = [...types, ENVELOPE_EXPORT];
      expect(readdirSync(folder).sort()).toEqual(names.map((name) => `${name}.cjs`).sort());
      for (const name of names) {
        const module = readFileSync(join(folder, `${name}.cjs`), "utf8");
        expect(module).toBe(compileStandalone(set, [name]));
        // Its own validator and no other.
        expect(Object.keys(evaluate(module))).toEqual([name]);
      }
    },
  );

  it.each(VALIDATOR_SETS)("of the %s set need nothing but ajv's run-time helpers", (set) => {
    const requires = [...compileStandalone(set).matchAll(/require\("([^"]+)"\)/g)].map((match) => match[1]);
    for (const name of requires) expect(name).toMatch(/^ajv\/dist\/runtime\//);
  });
});

describe("the set of event types", () => {
  it("is the same from the schema files, the fixture files and eventTypes()", () => {
    expect(fixtureFileTypes()).toEqual(types);
    expect([...eventTypes()].sort()).toEqual(types);
    expect(types.length).toBeGreaterThan(0);
  });

  it("is ordered by x-order, numbered 1..n without gaps", () => {
    const files = schemaFiles();
    const orders = eventTypes().map((type) => files.get(`events/${type}.schema.json`)["x-order"]);
    expect(orders).toEqual(orders.map((_, i) => i + 1));
    expect(eventTypes()[0]).toBe("user.created");
  });

  it("gives every type a one-line description and a confidence", () => {
    for (const entry of eventCatalogue()) {
      expect(entry.description, entry.type).toMatch(/^\S.*\.$/);
      expect(entry.description).not.toContain("\n");
      expect(["documented", "inferred", "speculative"]).toContain(entry.confidence);
    }
  });

  it("rejects unknown types with a usage error naming the closest ones", () => {
    expect(() => assertEventType("post.creatd")).toThrow(WtbhookError);
    expect(closestEventTypes("post.creatd")[0]).toBe("post.created");
    expect(closestEventTypes("user.paid_subscription.start")[0]).toBe("user.paid_subscription.started");
    const error = ((): unknown => {
      try {
        assertEventType("topic.create");
      } catch (caught) {
        return caught;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(WtbhookError);
    expect((error as WtbhookError).exitCode).toBe(2);
    expect((error as WtbhookError).message).toContain("did you mean topic.created");
  });
});

describe.each(types)("fixture %s", (type) => {
  const event = readFixture(type);

  it("has the type of its file name and the envelope's shape", () => {
    expect(event.type).toBe(type);
    expect(Object.keys(event)).toEqual(["api_version", "data", "object", "id", "type", "mode"]);
    expect(event).toMatchObject({ api_version: "1", object: "event", mode: "live" });
  });

  it("is valid for the run-time, standalone and dist validators alike", () => {
    for (const [name, set] of validatorSets()) {
      expect(check(set, type, event), name).toEqual({ valid: true, paths: [] });
    }
  });

  it("declares every field it carries (nothing for validate --strict to report)", () => {
    expect(findUnknownFields(type, event)).toEqual([]);
  });

  it("gets fields added at every level reported by the strict validators only", () => {
    const extra = structuredClone(event);
    extra.nickname = "x";
    extra.data.extra = true;
    extra.data.object.nickname = "johnny";
    for (const [name, set] of validatorSets()) {
      const validate = set[type]!;
      const valid = validate(extra);
      const unknown = (validate.errors ?? [])
        .filter((error) => error.keyword === "unevaluatedProperties")
        .map((error) => `${error.instancePath}/${String(error.params["unevaluatedProperty"])}`);
      if (!name.startsWith("strict")) expect(valid, name).toBe(true);
      else expect([...new Set(unknown)].sort(), name).toEqual(["/data/extra", "/data/object/nickname", "/nickname"]);
    }
  });

  it("is pretty-printed with two spaces and a trailing newline, like the seed", () => {
    const text = loadFixture(type).toString("utf8");
    expect(text.endsWith("}\n")).toBe(true);
    expect(text.startsWith('{\n  "api_version": "1",\n')).toBe(true);
    expect(text).not.toContain("\t");
  });

  it("is rejected by every validator when broken", () => {
    const brokenEnvelope = structuredClone(event);
    brokenEnvelope.id = String(event.id);
    const wrongType = structuredClone(event);
    wrongType.type = type === "user.created" ? "user.updated" : "user.created";
    // The first integer field of data.object turned into a string.
    const brokenObject = structuredClone(event);
    const [field] = Object.entries(brokenObject.data.object).find(([, value]) => Number.isInteger(value)) ?? [];
    expect(field, "the fixture has an integer field").toBeDefined();
    brokenObject.data.object[field!] = "12";
    for (const [name, set] of validatorSets()) {
      expect(check(set, type, brokenEnvelope).paths, name).toContain("/id");
      expect(check(set, type, wrongType).paths, name).toContain("/type");
      expect(check(set, type, brokenObject).paths, name).toContain(`/data/object/${field}`);
      expect(check(set, type, { ...event, data: {} }).valid, name).toBe(false);
    }
  });
});

describe("fixtures/user.created.json", () => {
  // The example event of Website Toolbox's help page "Verwenden von Webhooks", as printed there.
  const SEED = {
    api_version: "1",
    data: {
      object: {
        signature: "Thanks, John.",
        name: "John Doe",
        allowEmails: false,
        lastPostTimestamp: 0,
        userGroups: [7440, 2452, 52423],
        userTitle: "Power User",
        reputation: 423,
        username: "john",
        postCount: 32,
        userId: 181855,
        lastVisitTimestamp: 1322811119,
        instantMessagingType: "",
        instantMessagingId: "",
        object: "User",
        invisible: false,
        email: "johnDoe@gmail.com",
        avatarUrl: "https://test.com/images/avatar.png",
        joinDateTimestamp: 1322811119,
        enableMessages: true,
      },
    },
    object: "event",
    id: 1534,
    type: "user.created",
    mode: "live",
  };

  it("is the documented example, values and key order unchanged", () => {
    const fixture = readFixture("user.created");
    expect(fixture).toEqual(SEED);
    expect(Object.keys(fixture.data.object)).toEqual(Object.keys(SEED.data.object));
    expect(Object.keys(SEED.data.object)).toHaveLength(19);
  });

  it("keeps the help page's layout byte for byte (short arrays on one line)", () => {
    const text = readFileSync(new URL("../../../fixtures/user.created.json", import.meta.url), "utf8");
    expect(text).toContain('      "userGroups": [7440, 2452, 52423],\n');
    expect(text).toBe(`${JSON.stringify(SEED, null, 2).replace(/\[\n\s+7440,\n\s+2452,\n\s+52423\n\s+\]/, "[7440, 2452, 52423]")}\n`);
  });

  it("validates unchanged, and without any one documented field it does not", () => {
    for (const [name, set] of validatorSets()) {
      expect(check(set, "user.created", SEED).valid, name).toBe(true);
      for (const field of Object.keys(SEED.data.object)) {
        const copy: Json = structuredClone(SEED);
        delete copy.data.object[field];
        expect(check(set, "user.created", copy).valid, `${name} without ${field}`).toBe(false);
      }
    }
  });

  it("accepts extra fields the forum may add (unknown properties are allowed)", () => {
    const copy: Json = structuredClone(SEED);
    copy.data.object.nickname = "johnny";
    copy.created = 1322811119;
    for (const [name, set] of validatorSets("open")) expect(check(set, "user.created", copy).valid, name).toBe(true);
  });
});

describe("events whose payload is uncertain", () => {
  const user = readFixture("user.created").data.object;

  it("user.deleted: a User object is checked as a User, anything else only for its userId", () => {
    const event = readFixture("user.deleted");
    for (const [name, set] of validatorSets("open")) {
      expect(check(set, "user.deleted", { ...event, data: { object: { userId: 181861 } } }).valid, name).toBe(true);
      expect(check(set, "user.deleted", { ...event, data: { object: { userId: "181861" } } }).paths, name).toContain("/data/object/userId");
      const partialUser = { object: "User", userId: 181861 };
      expect(check(set, "user.deleted", { ...event, data: { object: partialUser } }).valid, name).toBe(false);
    }
  });

  it("user.payment.received: a speculative Payment naming its member, or a User checked as a User", () => {
    const event = readFixture("user.payment.received");
    for (const [name, set] of validatorSets("open")) {
      expect(new Set(check(set, "user.payment.received", { ...event, data: { object: {} } }).paths), name).toEqual(
        new Set(["/data/object"]),
      );
      expect(check(set, "user.payment.received", { ...event, data: { object: { userId: 4, amount: "4.99" } } }).valid, name).toBe(true);
      expect(check(set, "user.payment.received", { ...event, data: { object: { userId: 4, object: "Topic" } } }).paths, name).toContain(
        "/data/object/object",
      );
      expect(check(set, "user.payment.received", { ...event, data: { object: user } }).valid, name).toBe(true);
      expect(check(set, "user.payment.received", { ...event, data: { object: { ...user, userId: "x" } } }).valid, name).toBe(false);
    }
  });

  it("user.paid_subscription.*: a User is checked as a User; another object only for its userId", () => {
    for (const type of ["user.paid_subscription.started", "user.paid_subscription.ended"]) {
      const event = readFixture(type);
      for (const [name, set] of validatorSets("open")) {
        expect(check(set, type, { ...event, data: { object: { userId: 1, subscriptionId: 1 } } }).valid, name).toBe(true);
        expect(check(set, type, { ...event, data: { object: { subscriptionId: 1 } } }).paths, name).toEqual(["/data/object"]);
        expect(check(set, type, { ...event, data: { object: { object: "User", userId: 1 } } }).valid, name).toBe(false);
      }
    }
  });
});

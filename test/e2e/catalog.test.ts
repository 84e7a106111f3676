// End to end: `wtbhook schemas` and `wtbhook fixtures` as a user runs them, in-process through the built run().
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { createRequire } from "node:module";
import { join } from "node:path";

import { afterAll, describe, expect, it } from "vitest";

import { ROOT } from "../helpers/run-cli.js";
import { runInProcess } from "../helpers/run-in-process.js";

const fixtureTypes = readdirSync(join(ROOT, "fixtures"))
  .filter((name) => name.endsWith(".json"))
  .map((name) => name.slice(0, -".json".length));

describe("wtbhook fixtures", () => {
  it("lists every event type with a description", async () => {
    const result = await runInProcess(["fixtures"]);
    expect(result.code).toBe(0);
    const lines = result.stdout.trimEnd().split("\n");
    expect(lines.map((line) => line.split(/\s+/)[0]).sort()).toEqual([...fixtureTypes].sort());
    expect(lines[0]).toMatch(/^user\.created\s+A new member/);
    expect(result.stderr).toBe("");
  });

  it("prints a fixture's exact bytes", async () => {
    const result = await runInProcess(["fixtures", "post.created"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(readFileSync(join(ROOT, "fixtures", "post.created.json"), "utf8"));
  });

  it("exits 2 for an unknown type and names the closest", async () => {
    const result = await runInProcess(["fixtures", "post.creatd"]);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe("");
    expect(result.stderr).toContain('unknown event type "post.creatd"; did you mean post.created');
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });
});

describe("wtbhook schemas", () => {
  const out = mkdtempSync(join(tmpdir(), "wtbhook-schemas-"));
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it("shows how sure we are of each type", async () => {
    const result = await runInProcess(["schemas"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^TYPE\s+PAYLOAD/);
    expect(result.stdout).toMatch(/\nuser\.payment\.received\s+speculative/);
    expect(result.stdout).not.toContain("\u001b[");
  });

  it("prints one bundled schema that needs no other file", async () => {
    const result = await runInProcess(["schemas", "post.created"]);
    expect(result.code).toBe(0);
    const schema = JSON.parse(result.stdout);
    expect(schema.$id).toBe("https://wtbhook.dev/schemas/v1/events/post.created.schema.json");
    expect(Object.keys(schema.$defs).sort()).toEqual(["attachment", "author", "envelope", "post"]);
    for (const match of result.stdout.matchAll(/"\$ref": "([^"]+)"/g)) expect(match[1]).toMatch(/^#\/\$defs\//);
  });

  it("prints and writes schemas that ajv compiles in its default strict mode, confidence kept in $comment", async () => {
    type Compiler = { compile: (schema: object) => (data: unknown) => boolean };
    const Ajv2020 = createRequire(import.meta.url)("ajv/dist/2020").default as new (options: object) => Compiler;
    const strictAjv = (): Compiler => {
      // Warnings would mean something in the schema is not clean: strict mode logs them.
      const logger = { log: () => {}, warn: (...args: unknown[]) => warnings.push(args.join(" ")), error: () => {} };
      return new Ajv2020({ logger });
    };
    const warnings: string[] = [];
    const printed = await runInProcess(["schemas", "user.created"]);
    expect(printed.stdout).not.toContain('"x-');
    expect(printed.stdout).toContain('"$comment": "confidence: documented; source: WH-DE, SLATE"');
    const validate = strictAjv().compile(JSON.parse(printed.stdout) as object);
    expect(validate(JSON.parse(readFileSync(join(ROOT, "fixtures", "user.created.json"), "utf8")))).toBe(true);
    const dir = mkdtempSync(join(tmpdir(), "wtbhook-schemas-strict-"));
    try {
      expect((await runInProcess(["schemas", "--out", dir])).code).toBe(0);
      for (const file of readdirSync(dir)) strictAjv().compile(JSON.parse(readFileSync(join(dir, file), "utf8")) as object);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    expect(warnings).toEqual([]);
    // --annotations keeps wtbhook's own keywords, which strict mode refuses.
    const annotated = await runInProcess(["schemas", "user.created", "--annotations"]);
    expect(annotated.stdout).toContain('"x-confidence": "documented"');
    expect(() => strictAjv().compile(JSON.parse(annotated.stdout) as object)).toThrow(/unknown keyword: "x-/);
  });

  it("lists one type's fields", async () => {
    const result = await runInProcess(["schemas", "user.created", "--fields"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/\ndata\.object\.userId\s+integer\s+error\s+documented\n/);
  });

  it("writes every type with --out", async () => {
    const result = await runInProcess(["schemas", "--out", out]);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain(`wrote ${fixtureTypes.length} schemas`);
    expect(readdirSync(out).sort()).toEqual(fixtureTypes.map((type) => `${type}.schema.json`).sort());
    const written = JSON.parse(readFileSync(join(out, "user.created.schema.json"), "utf8"));
    expect(written.$defs.user.required).toContain("userId");
  });

  it("exits 2 for an unknown type or --fields without a type", async () => {
    const unknown = await runInProcess(["schemas", "user.create"]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("did you mean user.created");
    const noType = await runInProcess(["schemas", "--fields"]);
    expect(noType.code).toBe(2);
    expect(noType.stderr).toContain("--fields needs an event type");
  });

  it("exits 2 when --out cannot be created", async () => {
    const result = await runInProcess(["schemas", "--out", join(ROOT, "fixtures", "user.created.json", "schemas")]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("cannot write schemas to");
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('exits 2 for --out "" instead of writing into the current folder', async () => {
    const cwd = mkdtempSync(join(tmpdir(), "wtbhook-schemas-cwd-"));
    const result = await runInProcess(["schemas", "--out", ""], { cwd });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("--out needs a folder name");
    expect(readdirSync(cwd)).toEqual([]);
    rmSync(cwd, { recursive: true, force: true });
  });

  it("explains itself in help with examples", async () => {
    const result = await runInProcess(["help", "schemas"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("Examples:");
    expect(result.stdout).toContain("wtbhook schemas --out schemas/");
  });
});

import { readFileSync } from "node:fs";

import { Ajv2020 } from "ajv/dist/2020.js";
import { describe, expect, it } from "vitest";

import { parseConfigFile } from "../../../src/config/file.js";
import { configSchemaText, OUTPUT, programSpec } from "../../../scripts/generate-config-schema.js";

const PROGRAM = programSpec();
const published = JSON.parse(readFileSync(OUTPUT, "utf8")) as object;
const validate = new Ajv2020({ strict: true, allowUnionTypes: true }).compile(published);

function readerAccepts(value: unknown): boolean {
  try {
    parseConfigFile(Buffer.from(JSON.stringify(value)), "/p/wtbhook.config.json", "wtbhook.config.json", PROGRAM);
    return true;
  } catch {
    return false;
  }
}

describe("config.schema.json", () => {
  it("is the schema of the commands as they are now (else run npm run generate)", () => {
    expect(published).toEqual(JSON.parse(configSchemaText()));
  });

  it.each([
    [{ $schema: "./node_modules/wtbhook/config.schema.json" }, true],
    [{ listen: { port: 4010, forwardTo: "http://localhost:3000/webhooks", record: "events.ndjson" }, send: { to: "http://x/" } }, true],
    [{ insecure: true, to: "http://x/", timeout: 5 }, true],
    [{ send: { to: "http://localhost:3000/webhooks" }, fixtures: "./wt-fixtures" }, true],
    [{ fixtures: { fixtures: "mine", import: { force: true } } }, true],
    [{ send: { validate: false, header: ["A: 1", "B: 2"], type: "user.created" } }, true],
    [{ validate: { format: "github", strict: true, maxErrors: 5 } }, true],
    [{ check: { only: "all-types,duplicate" } }, true],
    [{ listen: { prot: 4010 } }, false],
    [{ sned: {} }, false],
    [{ listen: { json: "yes" } }, false],
    [{ validate: { format: "xml" } }, false],
    [{ listen: 4010 }, false],
    [{ send: { header: [{}] } }, false],
    [{ $schema: 1 }, false],
    [{ port: 4010 }, false],
    [{ help: {} }, false],
  ])("agrees with the reader on %j", (value, valid) => {
    expect(validate(value)).toBe(valid);
    expect(readerAccepts(value)).toBe(valid);
  });
});

import { describe, expect, it } from "vitest";

import { parseConfigFile } from "../../../src/config/file.js";
import { programSpec } from "../../../scripts/generate-config-schema.js";
import { usageMessage } from "../../helpers/usage-error.js";

const PROGRAM = programSpec();
const PATH = "/home/me/project/wtbhook.config.json";

function read(text: string) {
  return parseConfigFile(Buffer.from(text), PATH, "wtbhook.config.json", PROGRAM);
}

function settings(text: string): Record<string, unknown> {
  return Object.fromEntries([...read(text).settings].map(([key, setting]) => [key, [setting.value, setting.line]]));
}

describe("the config file", () => {
  it("reads the issue's example: command sections and a shared setting, with their lines", () => {
    const text = `{
  "$schema": "./node_modules/wtbhook/config.schema.json",
  "listen": { "port": 4010, "forwardTo": "http://localhost:3000/webhooks", "record": "events.ndjson" },
  "send": {
    "to": "http://localhost:3000/webhooks",
    "validate": false,
    "header": "X-Test: 1"
  },
  "insecure": true
}`;
    expect(settings(text)).toEqual({
      "listen.port": ["4010", 3],
      "listen.forwardTo": ["http://localhost:3000/webhooks", 3],
      "listen.record": ["/home/me/project/events.ndjson", 3],
      "send.to": ["http://localhost:3000/webhooks", 5],
      "send.validate": [false, 6],
      "send.header": [["X-Test: 1"], 7],
      insecure: [true, 9],
    });
  });

  it("makes paths relative to the file; stdin, absolute paths and scenario names stay as they are", () => {
    const text = JSON.stringify({
      send: { data: "-", from: "../rec/events.ndjson", scenario: "forum" },
      validate: { schema: "/abs/schema.json" },
      schemas: { out: "schemas" },
    });
    expect(settings(text)).toEqual({
      "send.data": ["-", 1],
      "send.from": ["/home/me/rec/events.ndjson", 1],
      "send.scenario": ["forum", 1],
      "validate.schema": ["/abs/schema.json", 1],
      "schemas.out": ["/home/me/project/schemas", 1],
    });
    expect(settings(JSON.stringify({ send: { scenario: "stories/mine.json" } }))["send.scenario"]).toEqual([
      "/home/me/project/stories/mine.json",
      1,
    ]);
  });

  it("accepts an empty object, a byte order mark and a list for a repeatable flag", () => {
    expect(settings("{}")).toEqual({});
    expect(settings(`\uFEFF{"check": {"only": ["all-types", "duplicate"]}}`)).toEqual({ "check.only": [["all-types", "duplicate"], 1] });
  });

  it.each([
    [
      '{\n  "listen": {\n    "prot": 4010\n  }\n}',
      'wtbhook.config.json:3: unknown setting "listen.prot"',
      'Did you mean "port"? The settings of listen:',
    ],
    ['{\n\n  "sned": {}\n}', 'wtbhook.config.json:3: unknown setting "sned"', 'Did you mean "send"? At the top:'],
    ['{"listen": {"json": "yes"}}', 'wtbhook.config.json:1: "listen.json" must be true or false (--json); got "yes"', undefined],
    [
      '{\n"send": {"timeout": true}}',
      'wtbhook.config.json:2: "send.timeout" must be a string or a number (--timeout); got true',
      undefined,
    ],
    [
      '{"validate": {"format": "xml"}}',
      'wtbhook.config.json:1: "validate.format" must be one of "text", "json", "github", "junit" (--format); got "xml"',
      undefined,
    ],
    [
      '{"check": {"only": [1, {}]}}',
      'wtbhook.config.json:1: "check.only" must be a string or an array of strings (--only); got [1,{}]',
      undefined,
    ],
    ['{"listen": 4010}', 'wtbhook.config.json:1: "listen" must be an object of listen\'s settings; got 4010', undefined],
    ['{"$schema": 1}', 'wtbhook.config.json:1: "$schema" must be a string (the schema\'s URL or path)', undefined],
    ["[]", "wtbhook.config.json:1: the config file must hold one JSON object", undefined],
    ['{\n  "listen": { "port": 4010, }\n}', 'wtbhook.config.json:2:29: unexpected character "}"', undefined],
  ])("%j is refused in one line naming the file, the key and the line", (text, message, hint) => {
    let caught: unknown;
    expect(usageMessage(() => read(text))).toContain(message);
    try {
      read(text);
    } catch (error) {
      caught = error;
    }
    if (hint !== undefined) expect((caught as { hint: string }).hint).toContain(hint);
    expect((caught as Error).message).not.toContain("\n");
  });

  it("reads a command's section for a name that is also a shared setting only when it is an object", () => {
    // "to" is shared (send, check); "check" is a command: a string there is a mistake, not a setting.
    expect(usageMessage(() => read('{"check": "x"}'))).toBe(
      'wtbhook.config.json:1: "check" must be an object of check\'s settings; got "x"',
    );
  });
});

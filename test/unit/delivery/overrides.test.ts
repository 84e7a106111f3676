import { describe, expect, it } from "vitest";

import { createIdSource, createTemplate, renderBody } from "../../../src/delivery/event-body.js";
import { applyOverride, describeOverride, parseSet, parseUnset } from "../../../src/delivery/overrides.js";
import { WtbhookError } from "../../../src/errors.js";

const DOC = `{
  "api_version": "1",
  "data": {
    "object": {
      "username": "john",
      "tags": [1, 2, 3],
      "empty": {}
    }
  },
  "id": 1534,
  "type": "user.created"
}
`;

const apply = (flag: "set" | "unset", text: string, doc = DOC): string =>
  applyOverride(Buffer.from(doc), flag === "set" ? parseSet(text) : parseUnset(text)).toString("utf8");

describe("parseSet", () => {
  it.each([
    ["a.b=1", ["a", "b"], 1],
    ["a=true", ["a"], true],
    ["a=null", ["a"], null],
    ['a="quoted"', ["a"], "quoted"],
    ["a=alice", ["a"], "alice"],
    ["a=", ["a"], ""],
    ["a=x=y", ["a"], "x=y"],
    ['a={"k":[1]}', ["a"], { k: [1] }],
    ["a.0=5", ["a", "0"], 5],
  ])("%s", (text, path, value) => {
    expect(parseSet(text)).toMatchObject({ op: "set", path, value });
  });

  it.each(["", "=1", "noequals", "a..b=1", ".a=1", "__proto__=1", "a.prototype=1", "a.constructor.b=1"])("refuses %j (exit 2)", (text) => {
    expect(() => parseSet(text)).toThrow(WtbhookError);
    try {
      parseSet(text);
    } catch (error) {
      expect((error as WtbhookError).exitCode).toBe(2);
    }
  });

  // JSON.stringify(JSON.parse(v)) would send null for 1e999 and round a big integer.
  it.each([
    ["id=12345678901234567890", "12345678901234567890"],
    ["a=1e999", "1e999"],
    ["a=-0", "-0"],
    ["a=1.50", "1.50"],
    ['a= {"k": [1, 2]} ', '{"k": [1, 2]}'],
  ])("puts valid JSON on the wire as typed: %s", (text, json) => {
    expect(parseSet(text)).toMatchObject({ json });
  });

  it("writes a big integer's digits unchanged into the event", () => {
    expect(apply("set", "id=12345678901234567890")).toBe(DOC.replace("1534", "12345678901234567890"));
  });

  it("describes what it applied", () => {
    expect(describeOverride(parseSet("data.object.username=alice"))).toBe('set data.object.username = "alice"');
    expect(describeOverride(parseUnset("data.object.email"))).toBe("unset data.object.email");
  });
});

describe("applyOverride keeps every other byte", () => {
  it.each([
    ["set", "data.object.username=alice", DOC.replace('"john"', '"alice"')],
    ["set", "id=7", DOC.replace("1534", "7")],
    ["set", "data.object.tags.1=9", DOC.replace("[1, 2, 3]", "[1, 9, 3]")],
    ["set", "data.object.tags.3=4", DOC.replace("[1, 2, 3]", "[1, 2, 3, 4]")],
    ["set", 'data.object.tags.3={"k": 1}', DOC.replace("[1, 2, 3]", '[1, 2, 3, {"k": 1}]')],
    ["set", "data.object.nick=ally", DOC.replace('"empty": {}', '"empty": {},\n      "nick": "ally"')],
    ["set", "data.object.empty.k=1", DOC.replace('"empty": {}', '"empty": {"k": 1}')],
    ["set", "mode=live", DOC.replace('"type": "user.created"', '"type": "user.created",\n  "mode": "live"')],
    ["unset", "data.object.username", DOC.replace('"username": "john",\n      ', "")],
    ["unset", "data.object.empty", DOC.replace(',\n      "empty": {}', "")],
    ["unset", "data.object.tags.0", DOC.replace("[1, 2, 3]", "[2, 3]")],
    ["unset", "data.object.tags.2", DOC.replace("[1, 2, 3]", "[1, 2]")],
    ["unset", "type", DOC.replace(',\n  "type": "user.created"', "")],
  ] as const)("%s %s", (flag, text, expected) => {
    const out = apply(flag, text);
    expect(out).toBe(expected);
    JSON.parse(out);
  });

  it("works on compact JSON and keys with escapes", () => {
    expect(apply("set", "a\\u0062=2".replace("\\u0062", "b"), '{"a\\u0062":1,"c":2}')).toBe('{"a\\u0062":2,"c":2}');
    expect(apply("set", "z=3", '{"a":1}')).toBe('{"a":1,"z":3}');
    expect(apply("unset", "a", '{"a":1}')).toBe("{}");
  });

  it.each([
    ["set", "data.nope.x=1", "data.nope does not exist"],
    ["set", "data.object.username.x=1", "data.object.username is not an object or array"],
    ["set", "data.object.tags.7=1", "no element 7 in the event; the array has 3 elements"],
    ["unset", "data.object.missing", "no such key"],
    ["unset", "data.nope.x", "does not exist"],
  ] as const)("%s %s is an error: %s", (flag, text, message) => {
    expect(() => apply(flag, text)).toThrow(message);
  });

  it("appends to an array with the index one past the end, keeping its layout", () => {
    const pretty = '{\n  "g": [\n    1,\n    2\n  ],\n  "one": [\n    1\n  ],\n  "none": []\n}';
    expect(apply("set", "g.2=3", pretty)).toBe(pretty.replace("    2\n", "    2,\n    3\n"));
    expect(apply("set", "one.1=2", pretty)).toBe(pretty.replace('    1\n  ],\n  "none', '    1,\n    2\n  ],\n  "none'));
    expect(apply("set", "none.0=1", pretty)).toBe(pretty.replace('"none": []', '"none": [1]'));
    expect(() => apply("set", "none.1=1", pretty)).toThrow("the array has 0 elements");
    try {
      apply("set", "g.5=1", pretty);
    } catch (error) {
      expect((error as WtbhookError).hint).toBe("Use index 2 to append (g.2=…).");
    }
  });

  it("refuses bytes that are not JSON", () => {
    expect(() => apply("set", "a=1", '{"a": ')).toThrow("not valid JSON");
  });
});

describe("event bodies", () => {
  it("swaps only the id's digits", () => {
    const template = createTemplate(Buffer.from(DOC));
    expect(template).toMatchObject({ id: 1534, type: "user.created" });
    expect(renderBody(template, 1795841125229000).toString()).toBe(DOC.replace("1534", "1795841125229000"));
    expect(renderBody(template, 5).toString()).toBe(DOC.replace("1534", "5"));
  });

  it("finds the top-level id, not a nested one", () => {
    const template = createTemplate(Buffer.from('{"data":{"id":1,"s":"\\"id\\": 2"},"id":3}'));
    expect(renderBody(template, 99).toString()).toBe('{"data":{"id":1,"s":"\\"id\\": 2"},"id":99}');
  });

  it("leaves a body without an id, or not JSON, as it is", () => {
    for (const text of ['{"type":"x"}', "[1,2]", "not json"]) {
      const template = createTemplate(Buffer.from(text));
      expect(template.idSpan).toBeUndefined();
      expect(renderBody(template, 1).toString()).toBe(text);
    }
  });

  it("makes clock-derived ids that increase even within one millisecond", () => {
    let now = 1_700_000_000_000;
    const next = createIdSource(() => now);
    expect([next(), next(), next()]).toEqual([1_700_000_000_000_000, 1_700_000_000_000_001, 1_700_000_000_000_002]);
    now += 1;
    expect(next()).toBe(1_700_000_000_001_000);
    expect(Number.isSafeInteger(createIdSource()())).toBe(true);
  });
});

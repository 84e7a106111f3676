import { describe, expect, it } from "vitest";

import { eventTypes } from "../../../src/catalog/catalog.js";
import { checkPlan } from "../../../src/delivery/check.js";
import {
  isScenarioFile,
  listScenarios,
  loadScenario,
  parseScenario,
  planFromScenario,
  scenarioNames,
  type Scenario,
} from "../../../src/delivery/scenarios.js";
import { parseSet } from "../../../src/delivery/overrides.js";

const events = (scenario: Scenario) =>
  planFromScenario(scenario, []).map(
    (item) => JSON.parse(item.template.bytes.toString("utf8")) as { type: string; data: { object: Record<string, unknown> } },
  );

describe("shipped scenarios", () => {
  it("are the five the issue names, each with a description", () => {
    expect(scenarioNames()).toEqual(["forum", "lifecycle", "messages", "paid", "signup"]);
    for (const scenario of listScenarios()) expect(scenario.description.length).toBeGreaterThan(20);
  });

  it.each(["forum", "lifecycle", "messages", "paid", "signup"])("%s: every step is valid against its schema", (name) => {
    expect(checkPlan(planFromScenario(loadScenario(name), []), { kind: "fresh" })).toEqual([]);
  });

  it.each([
    ["signup", ["user.created", "user.email.verified", "user.approved"]],
    ["forum", ["topic.created", "post.created", "post.approved", "post.updated", "post.deleted", "topic.deleted"]],
    ["messages", ["conversation.created", "message.created"]],
    ["paid", ["user.payment.received", "user.paid_subscription.started", "user.paid_subscription.ended"]],
  ])("%s sends its steps in order", (name, types) => {
    expect(events(loadScenario(name)).map((event) => event.type)).toEqual(types);
  });

  it("lifecycle sends all 17 types once", () => {
    const types = events(loadScenario("lifecycle")).map((event) => event.type);
    expect([...types].sort()).toEqual([...eventTypes()].sort());
  });

  it("signup is about one user, messages reply in the conversation they started", () => {
    const signup = events(loadScenario("signup"));
    expect(new Set(signup.map((event) => event.data.object["userId"])).size).toBe(1);
    const [conversation, message] = events(loadScenario("messages"));
    expect(message!.data.object["conversationId"]).toBe(conversation!.data.object["conversationId"]);
  });
});

describe("scenario references", () => {
  const scenario = (steps: Scenario["steps"]): Scenario => ({ name: "test", description: "", steps });

  it("takes whole values (any JSON type) and interpolates inside strings", () => {
    const [, second] = events(
      scenario([
        { name: "u", type: "user.created", set: { "data.object.userGroups": [1, 2] } },
        {
          type: "user.approved",
          set: { "data.object.userGroups": "${u:data.object.userGroups}", "data.object.name": "Hi ${u:data.object.username}" },
        },
      ]),
    );
    expect(second!.data.object["userGroups"]).toEqual([1, 2]);
    expect(second!.data.object["name"]).toBe("Hi john");
  });

  it.each([
    [[{ type: "user.created", set: { "data.object.name": "${nope:data.object.name}" } }], "refers to no earlier step named nope"],
    [
      [
        { name: "u", type: "user.created" },
        { type: "user.approved", set: { "data.object.name": "${u:data.object.missing}" } },
      ],
      "step u has no data.object.missing",
    ],
    [[{ type: "user.nope" }], 'unknown event type "user.nope"'],
    [
      [
        { name: "u", type: "user.created" },
        { type: "user.approved", set: { "data.object.name": "${u:id}" } },
      ],
      'step 2: "${u:id}": step u gets a fresh envelope id for every delivery',
    ],
  ] as [Scenario["steps"], string][])("refuses %j", (steps, message) => {
    expect(() => planFromScenario(scenario(steps), [])).toThrow(message);
  });

  it("applies --set to every step after the scenario's own overrides", () => {
    const items = planFromScenario(loadScenario("paid"), [parseSet("mode=test")]);
    for (const item of items) {
      expect((JSON.parse(item.template.bytes.toString()) as { mode: string }).mode).toBe("test");
      expect(item.applied).toEqual(['set mode = "test"']);
    }
  });

  it("names the scenarios that exist when asked for an unknown one", () => {
    expect(() => loadScenario("nope")).toThrow("the scenarios are forum, lifecycle, messages, paid, signup");
  });
});

describe("the user's own scenario file", () => {
  it.each([
    ["./my-story.json", true],
    ["stories/a", true],
    ["my-story.json", true],
    ["forum", false],
    ["lifecycle", false],
  ])("%s is a file: %s", (name, file) => {
    expect(isScenarioFile(name)).toBe(file);
  });

  it("reads a good one, description optional, and plans it", () => {
    const scenario = parseScenario("my.json", JSON.stringify({ steps: [{ name: "u", type: "user.created" }, { type: "user.deleted" }] }));
    expect(scenario).toMatchObject({ name: "my.json", description: "" });
    expect(planFromScenario(scenario, []).map((item) => item.type)).toEqual(["user.created", "user.deleted"]);
  });

  it.each([
    ["{", "scenario my.json: not valid JSON"],
    ["[]", 'expected { "description": "…", "steps": [ … ] } with at least one step'],
    ['{"steps":[]}', "with at least one step"],
    ['{"description":5,"steps":[{"type":"user.created"}]}', '"description" must be a string'],
    ['{"steps":["user.created"]}', "scenario my.json: step 1 is not an object"],
    ['{"steps":[{"type":"user.created"},{"typ":"user.created"}]}', 'step 2 has an unknown key "typ"; a step has name, type, set and unset'],
    ['{"steps":[{"set":{}}]}', 'step 1 needs a "type"'],
    ['{"steps":[{"type":"user.craeted"}]}', 'scenario my.json: step 1: unknown event type "user.craeted"; did you mean user.created'],
    ['{"steps":[{"type":"user.created","set":[1]}]}', 'step 1: "set" must be an object'],
    ['{"steps":[{"type":"user.created","unset":"data.x"}]}', 'step 1: "unset" must be a list of paths'],
    ['{"steps":[{"type":"user.created","set":{"data..x":1}}]}', 'step 1: path "data..x"'],
    ['{"steps":[{"type":"user.created","unset":["__proto__"]}]}', '"__proto__" is not allowed'],
    ['{"steps":[{"name":"a","type":"user.created"},{"name":"a","type":"user.deleted"}]}', 'step 2: the name "a" is already step 1\'s'],
  ])("refuses %s with a clear message", (text, message) => {
    expect(() => parseScenario("my.json", text)).toThrow(message);
    expect(() => parseScenario("my.json", text)).toThrow(expect.objectContaining({ exitCode: 2 }));
  });
});

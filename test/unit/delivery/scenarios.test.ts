import { describe, expect, it } from "vitest";

import { eventTypes } from "../../../src/catalog/catalog.js";
import { checkPlan } from "../../../src/delivery/check.js";
import { listScenarios, loadScenario, planFromScenario, scenarioNames, type Scenario } from "../../../src/delivery/scenarios.js";
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

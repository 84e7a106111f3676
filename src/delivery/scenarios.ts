// Scenarios: coherent stories read from scenarios/<name>.json or from the user's own file, each
// step a fixture plus overrides, where a value "${step:path}" takes the value at `path` in an
// earlier step's event.

import { readFileSync } from "node:fs";
import { join } from "node:path";

import { assertEventType } from "../catalog/catalog.js";
import { resolveFixture, type FixtureDir } from "../catalog/fixtures.js";
import { isWtbhookError, WtbhookError } from "../errors.js";
import { createTemplate } from "./event-body.js";
import { applyOverrides, describeOverride, parsePath, type Override } from "./overrides.js";
import { overridesId, type PlanItem } from "./plan.js";
import { SCENARIO_DIR, scenarioNames } from "./scenario-names.js";

export { scenarioNames };

export interface ScenarioStep {
  /** A name later steps use in references; defaults to the step's type. */
  name?: string;
  type: string;
  set?: Record<string, unknown>;
  unset?: string[];
}

export interface Scenario {
  name: string;
  description: string;
  steps: ScenarioStep[];
}

const REFERENCE = /\$\{([^:}]+):([^}]+)\}/g;
const WHOLE_REFERENCE = /^\$\{([^:}]+):([^}]+)\}$/;
const STEP_KEYS = new Set(["name", "type", "set", "unset"]);

function scenarioError(name: string, message: string, hint?: string): WtbhookError {
  return new WtbhookError(`scenario ${name}: ${message}`, { code: "bad-scenario", ...(hint ? { hint } : {}) });
}

/** True when --scenario names a file of the user's (a path, or a name ending in .json) rather than a shipped scenario. */
export function isScenarioFile(name: string): boolean {
  return name.includes("/") || name.includes("\\") || name.endsWith(".json");
}

/** Checks one step's shape; `where` is "step N". */
function checkStep(name: string, step: unknown, where: string): ScenarioStep {
  if (step === null || typeof step !== "object" || Array.isArray(step)) {
    throw scenarioError(
      name,
      `${where} is not an object`,
      'A step is { "type": "user.created", "set": { "path": value }, "unset": ["path"] }.',
    );
  }
  const record = step as Record<string, unknown>;
  const unknown = Object.keys(record).find((key) => !STEP_KEYS.has(key));
  if (unknown !== undefined) throw scenarioError(name, `${where} has an unknown key "${unknown}"; a step has name, type, set and unset`);
  if (typeof record["type"] !== "string") throw scenarioError(name, `${where} needs a "type", such as "user.created"`);
  try {
    assertEventType(record["type"]);
  } catch (error) {
    if (isWtbhookError(error)) throw scenarioError(name, `${where}: ${error.message}`, error.hint);
    throw error;
  }
  if (record["name"] !== undefined && (typeof record["name"] !== "string" || record["name"] === "")) {
    throw scenarioError(name, `${where}: "name" must be a non-empty string`);
  }
  const set = record["set"];
  if (set !== undefined && (set === null || typeof set !== "object" || Array.isArray(set))) {
    throw scenarioError(name, `${where}: "set" must be an object of "path": value`);
  }
  const unset = record["unset"];
  if (unset !== undefined && (!Array.isArray(unset) || unset.some((path) => typeof path !== "string"))) {
    throw scenarioError(name, `${where}: "unset" must be a list of paths`);
  }
  const paths = [...Object.keys((set as Record<string, unknown> | undefined) ?? {}), ...((unset as string[] | undefined) ?? [])];
  for (const path of paths) {
    try {
      parsePath(path, "path");
    } catch (error) {
      if (isWtbhookError(error)) throw scenarioError(name, `${where}: ${error.message}`);
      throw error;
    }
  }
  return record as unknown as ScenarioStep;
}

/**
 * A scenario from its JSON text, every step checked (shape, known type, paths, unique names).
 * @throws WtbhookError (exit 2) naming the scenario and the step.
 */
export function parseScenario(name: string, text: string): Scenario {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw scenarioError(name, `not valid JSON (${(error as Error).message})`);
  }
  const record = value as Partial<Scenario> | null;
  if (!record || typeof record !== "object" || Array.isArray(record) || !Array.isArray(record.steps) || record.steps.length === 0) {
    throw scenarioError(name, 'expected { "description": "…", "steps": [ … ] } with at least one step');
  }
  if (record.description !== undefined && typeof record.description !== "string") {
    throw scenarioError(name, '"description" must be a string');
  }
  const names = new Map<string, number>();
  const steps = record.steps.map((step, index) => {
    const checked = checkStep(name, step, `step ${index + 1}`);
    if (checked.name !== undefined) {
      const earlier = names.get(checked.name);
      if (earlier !== undefined) throw scenarioError(name, `step ${index + 1}: the name "${checked.name}" is already step ${earlier}'s`);
      names.set(checked.name, index + 1);
    }
    return checked;
  });
  return { name, description: record.description ?? "", steps };
}

/** Every shipped scenario with its description, for `--scenario list`. */
export function listScenarios(): Scenario[] {
  return scenarioNames().map((name) => parseScenario(name, readFileSync(join(SCENARIO_DIR, `${name}.json`), "utf8")));
}

/** A shipped scenario. @throws WtbhookError (exit 2) naming the scenarios that exist when `name` is not one. */
export function loadScenario(name: string): Scenario {
  const names = scenarioNames();
  if (!names.includes(name)) {
    throw new WtbhookError(`unknown scenario "${name}"; the scenarios are ${names.join(", ")}`, {
      code: "unknown-scenario",
      hint: "Run `wtbhook send --scenario list` to see what each one sends, or give your own file: --scenario ./my-story.json",
    });
  }
  return parseScenario(name, readFileSync(join(SCENARIO_DIR, `${name}.json`), "utf8"));
}

function valueAt(event: unknown, path: string[]): { found: boolean; value: unknown } {
  let current = event;
  for (const segment of path) {
    if (current === null || typeof current !== "object" || !Object.hasOwn(current, segment)) return { found: false, value: undefined };
    current = (current as Record<string, unknown>)[segment];
  }
  return { found: true, value: current };
}

/** An earlier step, as references see it: its event, and whether its envelope id is fresh per delivery. */
interface EarlierStep {
  event: unknown;
  freshId: boolean;
}

/** Replaces "${step:path}" references in a step's `set` values with values from earlier steps. */
function resolveValue(scenario: string, where: string, value: unknown, earlier: Map<string, EarlierStep>): unknown {
  if (typeof value === "string") {
    const lookup = (step: string, path: string): unknown => {
      const source = earlier.get(step);
      if (!source) throw scenarioError(scenario, `${where}: "\${${step}:${path}}" refers to no earlier step named ${step}`);
      // The id a step is sent with is only chosen at delivery time (a fresh one each time).
      if (path === "id" && source.freshId) {
        throw scenarioError(
          scenario,
          `${where}: "\${${step}:id}": step ${step} gets a fresh envelope id for every delivery, so its id is not known here`,
          'Refer to a field under data.object (userId, topicId, postId…), or fix the id in that step with "set": { "id": N }.',
        );
      }
      const { found, value: resolved } = valueAt(source.event, parsePath(path, "reference"));
      if (!found) throw scenarioError(scenario, `${where}: "\${${step}:${path}}": step ${step} has no ${path}`);
      return resolved;
    };
    const whole = WHOLE_REFERENCE.exec(value);
    if (whole) return lookup(whole[1]!, whole[2]!);
    return value.replace(REFERENCE, (_match, step: string, path: string) => String(lookup(step, path)));
  }
  if (Array.isArray(value)) return value.map((entry) => resolveValue(scenario, where, entry, earlier));
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([key, entry]) => [key, resolveValue(scenario, where, entry, earlier)]));
  }
  return value;
}

/**
 * The scenario's steps as plan items, in order, references resolved. `extra` overrides (from
 * --set/--unset) apply to every step after the scenario's own. Each step starts from its type's
 * fixture: the user's own in `fixtures` where it has one, else the built-in one.
 */
export function planFromScenario(scenario: Scenario, extra: readonly Override[], fixtures?: FixtureDir): PlanItem[] {
  const earlier = new Map<string, EarlierStep>();
  return scenario.steps.map((step, index) => {
    const where = `step ${index + 1}`;
    assertEventType(step.type);
    const overrides: Override[] = [];
    for (const [path, raw] of Object.entries(step.set ?? {})) {
      const value = resolveValue(scenario.name, where, raw, earlier);
      overrides.push({ op: "set", path: parsePath(path, "set"), value, json: JSON.stringify(value) });
    }
    for (const path of step.unset ?? []) overrides.push({ op: "unset", path: parsePath(path, "unset") });
    overrides.push(...extra);
    const source = `scenario ${scenario.name} ${where}`;
    const fixture = resolveFixture(step.type, fixtures);
    const bytes = applyOverrides(fixture.bytes, overrides, `${source} (${step.type})`);
    const freshId = !overridesId(overrides);
    earlier.set(step.name ?? step.type, { event: JSON.parse(bytes.toString("utf8")), freshId });
    return {
      source,
      type: step.type,
      template: createTemplate(bytes),
      freshId,
      applied: extra.map(describeOverride),
      fixture: { source: fixture.source, own: fixture.own },
    };
  });
}

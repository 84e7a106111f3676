// Scenarios: coherent stories read from scenarios/<name>.json, each step a fixture plus overrides,
// where a value "${step:path}" takes the value at `path` in an earlier step's event.

import { readdirSync, readFileSync } from "node:fs";

import { assertEventType, loadFixture } from "../catalog/catalog.js";
import { WtbhookError } from "../errors.js";
import { createTemplate } from "./event-body.js";
import { applyOverrides, describeOverride, parsePath, type Override } from "./overrides.js";
import { overridesId, type PlanItem } from "./plan.js";

const SCENARIO_DIR = new URL("../../scenarios/", import.meta.url);

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

function scenarioError(name: string, message: string): WtbhookError {
  return new WtbhookError(`scenario ${name}: ${message}`, { code: "bad-scenario" });
}

/** The names of the scenarios shipped in scenarios/. */
export function scenarioNames(): string[] {
  return readdirSync(SCENARIO_DIR)
    .filter((file) => file.endsWith(".json"))
    .map((file) => file.slice(0, -".json".length))
    .sort();
}

function parseScenario(name: string, text: string): Scenario {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw scenarioError(name, `not valid JSON (${(error as Error).message})`);
  }
  const record = value as Partial<Scenario> | null;
  if (!record || typeof record !== "object" || !Array.isArray(record.steps) || record.steps.length === 0) {
    throw scenarioError(name, "expected { description, steps: [...] }");
  }
  for (const step of record.steps) {
    if (!step || typeof step.type !== "string") throw scenarioError(name, "every step needs a type");
  }
  return { name, description: String(record.description ?? ""), steps: record.steps };
}

/** Every scenario with its description, for `--scenario list`. */
export function listScenarios(): Scenario[] {
  return scenarioNames().map((name) => parseScenario(name, readFileSync(new URL(`${name}.json`, SCENARIO_DIR), "utf8")));
}

/** @throws WtbhookError (exit 2) naming the scenarios that exist when `name` is not one. */
export function loadScenario(name: string): Scenario {
  const names = scenarioNames();
  if (!names.includes(name)) {
    throw new WtbhookError(`unknown scenario "${name}"; the scenarios are ${names.join(", ")}`, {
      code: "unknown-scenario",
      hint: "Run `wtbhook send --scenario list` to see what each one sends.",
    });
  }
  return parseScenario(name, readFileSync(new URL(`${name}.json`, SCENARIO_DIR), "utf8"));
}

function valueAt(event: unknown, path: string[]): { found: boolean; value: unknown } {
  let current = event;
  for (const segment of path) {
    if (current === null || typeof current !== "object" || !Object.hasOwn(current, segment)) return { found: false, value: undefined };
    current = (current as Record<string, unknown>)[segment];
  }
  return { found: true, value: current };
}

/** Replaces "${step:path}" references in a step's `set` values with values from earlier steps. */
function resolveValue(scenario: string, value: unknown, earlier: Map<string, unknown>): unknown {
  if (typeof value === "string") {
    const lookup = (step: string, path: string): unknown => {
      if (!earlier.has(step)) throw scenarioError(scenario, `"\${${step}:${path}}" refers to no earlier step named ${step}`);
      const { found, value: resolved } = valueAt(earlier.get(step), parsePath(path, "reference"));
      if (!found) throw scenarioError(scenario, `"\${${step}:${path}}": step ${step} has no ${path}`);
      return resolved;
    };
    const whole = WHOLE_REFERENCE.exec(value);
    if (whole) return lookup(whole[1]!, whole[2]!);
    return value.replace(REFERENCE, (_match, step: string, path: string) => String(lookup(step, path)));
  }
  if (Array.isArray(value)) return value.map((entry) => resolveValue(scenario, entry, earlier));
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([key, entry]) => [key, resolveValue(scenario, entry, earlier)]));
  }
  return value;
}

/**
 * The scenario's steps as plan items, in order, references resolved. `extra` overrides (from
 * --set/--unset) apply to every step after the scenario's own.
 */
export function planFromScenario(scenario: Scenario, extra: readonly Override[]): PlanItem[] {
  const earlier = new Map<string, unknown>();
  return scenario.steps.map((step, index) => {
    assertEventType(step.type);
    const overrides: Override[] = [];
    for (const [path, raw] of Object.entries(step.set ?? {})) {
      const value = resolveValue(scenario.name, raw, earlier);
      overrides.push({ op: "set", path: parsePath(path, "set"), value, json: JSON.stringify(value) });
    }
    for (const path of step.unset ?? []) overrides.push({ op: "unset", path: parsePath(path, "unset") });
    overrides.push(...extra);
    const source = `scenario ${scenario.name} step ${index + 1}`;
    const bytes = applyOverrides(loadFixture(step.type), overrides, `${source} (${step.type})`);
    earlier.set(step.name ?? step.type, JSON.parse(bytes.toString("utf8")));
    return {
      source,
      type: step.type,
      template: createTemplate(bytes),
      freshId: !overridesId(overrides),
      applied: extra.map(describeOverride),
    };
  });
}

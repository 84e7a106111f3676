// Turns what the user asked `send` for (types, --all, --data, --scenario, --from, overrides) into
// the ordered plan of events, refusing combinations that make no sense.

import { readFileSync } from "node:fs";
import { resolve } from "node:path";

import { WtbhookError } from "../errors.js";
import type { FixtureDir } from "../catalog/fixtures.js";
import type { IdMode } from "./bodies.js";
import { parseSet, parseUnset, type Override } from "./overrides.js";
import { planFromData, planFromTypes, type PlanItem } from "./plan.js";

export interface SendRequestSpec {
  types: readonly string[];
  all: boolean;
  /** --data: a file name, or "-" for stdin. */
  data?: string | undefined;
  /** --scenario: a shipped scenario's name, or the path of the user's own scenario file. */
  scenario?: string | undefined;
  /** --from: a recording or NDJSON file, or "-" for stdin. */
  from?: string | undefined;
  /** --type filters for --from. */
  typeFilter: readonly string[];
  /** --event-id filters for --from. @default [] */
  eventIds?: readonly number[];
  /** --recorded-headers (with --from). @default false */
  recordedHeaders?: boolean;
  set: readonly string[];
  unset: readonly string[];
  /** How envelope ids are chosen (--id, --same-id), parsed before planning. */
  ids: IdMode;
  /** The user's fixture folder (--fixtures, WTBHOOK_FIXTURES): its DIR/<type>.json before the built-in fixture. */
  fixtures?: FixtureDir | undefined;
}

/** Reads a file named on the command line, or stdin for "-". */
export type InputReader = (name: string) => Promise<Buffer>;

function usage(message: string, hint?: string): WtbhookError {
  return new WtbhookError(message, { code: "bad-flag", ...(hint ? { hint } : {}) });
}

/**
 * Refuses combinations of flags that cannot mean anything (exit 2).
 * Exported for table-driven tests.
 */
export function checkCombination(spec: SendRequestSpec): void {
  if (spec.all && spec.types.length > 0) throw usage("--all sends every type; name no types with it");
  // Named as the user gave them: "--all", not "event types", when no type was named.
  const sources = [
    spec.types.length > 0 ? `event types (${spec.types.join(", ")})` : undefined,
    spec.all ? "--all" : undefined,
    spec.data !== undefined ? "--data" : undefined,
    spec.scenario !== undefined ? "--scenario" : undefined,
    spec.from !== undefined ? "--from" : undefined,
  ].filter((source) => source !== undefined);
  if (sources.length > 1) throw usage(`choose one of event types, --all, --data, --scenario and --from; got ${sources.join(" and ")}`);
  if (spec.from !== undefined && (spec.set.length > 0 || spec.unset.length > 0 || spec.ids.kind !== "fresh")) {
    throw usage("--from replays the recorded bytes unchanged; --set, --unset, --id and --same-id do not apply to it");
  }
  // An empty name resolves to the current folder: "cannot read : EISDIR" said nothing useful.
  if (spec.data === "") throw usage("--data needs a file name, or - for stdin");
  if (spec.from === "") throw usage("--from needs a file name, or - for stdin");
  if (spec.scenario === "") throw usage("--scenario needs a name (--scenario list shows them) or a file such as ./my-story.json");
  if (spec.from === undefined) {
    const recordingOnly = [
      spec.typeFilter.length > 0 ? "--type" : undefined,
      (spec.eventIds?.length ?? 0) > 0 ? "--event-id" : undefined,
      spec.recordedHeaders ? "--recorded-headers" : undefined,
    ].filter((flag) => flag !== undefined);
    if (recordingOnly.length > 0) {
      throw usage(
        `${recordingOnly.join(" and ")} ${recordingOnly.length > 1 ? "apply" : "applies"} to a recording; use ${recordingOnly.length > 1 ? "them" : "it"} with --from`,
        spec.typeFilter.length > 0 ? "To send a type, name it: wtbhook send user.created" : undefined,
      );
    }
  }
}

/** Why a file named on the command line cannot be read, with the name as the user typed it. */
function unreadable(name: string, error: unknown): WtbhookError {
  const code = (error as NodeJS.ErrnoException).code;
  const message =
    code === "ENOENT" || code === "ENOTDIR"
      ? `no such file: ${name}`
      : code === "EISDIR"
        ? `${name} is a folder, not a file`
        : code === "EACCES" || code === "EPERM"
          ? `permission denied: ${name}`
          : `cannot read ${name}${code ? ` (${code})` : ""}`;
  return new WtbhookError(message, { code: "unreadable-input", cause: error });
}

/** Reads a file (or stdin, opened only then) into bytes; unreadable → exit 2 with the reason. */
export function createInputReader(cwd: string, stdin: () => NodeJS.ReadableStream): InputReader {
  return async (name) => {
    if (name === "-") {
      const chunks: Buffer[] = [];
      for await (const chunk of stdin()) chunks.push(typeof chunk === "string" ? Buffer.from(chunk) : chunk);
      return Buffer.concat(chunks);
    }
    try {
      return readFileSync(resolve(cwd, name));
    } catch (error) {
      throw unreadable(name, error);
    }
  };
}

/** The plan for a validated spec: every event to send, in order, with overrides applied. */
export async function planSend(spec: SendRequestSpec, read: InputReader): Promise<PlanItem[]> {
  checkCombination(spec);
  const overrides: Override[] = [...spec.set.map(parseSet), ...spec.unset.map(parseUnset)];
  if (spec.data !== undefined) {
    const label = spec.data === "-" ? "stdin" : spec.data;
    const items = planFromData(await read(spec.data), label, overrides);
    // --id replaces the digits of the event's own id; without one it was silently ignored.
    if (spec.ids.kind === "fixed" && items.some((item) => item.template.idSpan === undefined)) {
      throw usage(`--id: ${label} has no top-level "id" to replace`, "Give the event an id, or add one with --set id=N");
    }
    return items;
  }
  if (spec.from !== undefined) {
    const label = spec.from === "-" ? "stdin" : spec.from;
    const { planFromRecording } = await import("./replay-plan.js");
    return planFromRecording(await read(spec.from), label, { types: spec.typeFilter, ids: spec.eventIds ?? [] });
  }
  if (spec.scenario !== undefined) {
    const { isScenarioFile, loadScenario, parseScenario, planFromScenario } = await import("./scenarios.js");
    const scenario = isScenarioFile(spec.scenario)
      ? parseScenario(spec.scenario, (await read(spec.scenario)).toString("utf8"))
      : loadScenario(spec.scenario);
    return planFromScenario(scenario, overrides, spec.fixtures);
  }
  return planFromTypes(spec.types, spec.all, overrides, spec.fixtures);
}

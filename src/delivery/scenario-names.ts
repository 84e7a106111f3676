// The names of the scenarios shipped in scenarios/, from the file names alone: cheap enough for
// shell completion, which must not load the scenarios' code.
import { readdirSync } from "node:fs";

export const SCENARIO_DIR = new URL("../../scenarios/", import.meta.url);

/** The names of the scenarios shipped in scenarios/. */
export function scenarioNames(): string[] {
  return readdirSync(SCENARIO_DIR)
    .filter((file) => file.endsWith(".json"))
    .map((file) => file.slice(0, -".json".length))
    .sort();
}

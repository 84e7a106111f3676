// The names of the scenarios shipped in scenarios/, from the file names alone: cheap enough for
// shell completion, which must not load the scenarios' code.
import { readdirSync } from "node:fs";
import { join } from "node:path";

/** The folder of the scenarios shipped with wtbhook. */
export const SCENARIO_DIR = join(import.meta.dirname, "..", "..", "scenarios");

/** The names of the scenarios shipped in scenarios/. */
export function scenarioNames(): string[] {
  return readdirSync(SCENARIO_DIR)
    .filter((file) => file.endsWith(".json"))
    .map((file) => file.slice(0, -".json".length))
    .sort();
}

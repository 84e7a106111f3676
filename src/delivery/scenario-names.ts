// The names of the scenarios shipped in scenarios/, from the file names alone: cheap enough for
// shell completion, which must not load the scenarios' code.
import { readdirSync } from "node:fs";

/** The folder of the scenarios, made when asked for (as eventSchemaDir() is). */
export const scenarioDir = (): URL => new URL("../../scenarios/", import.meta.url);

/** The names of the scenarios shipped in scenarios/. */
export function scenarioNames(): string[] {
  return readdirSync(scenarioDir())
    .filter((file) => file.endsWith(".json"))
    .map((file) => file.slice(0, -".json".length))
    .sort();
}

// The JSON Schema of wtbhook.config.json, made from the commands' flags (spec.ts), as file.ts
// reads the file: scripts/generate-config-schema.ts writes it to config.schema.json, and a test
// fails when that file is stale.
import { hasSettings, settingFlags, sharedFlags, type CommandSpec, type FlagSpec } from "./spec.js";

type Schema = Record<string, unknown>;

const SCALAR = ["string", "number"];

function flagSchema(flag: FlagSpec): Schema {
  const description = `${flag.description} (${flag.flag}${flag.path ? "; relative to this file" : ""})`;
  const schema: Schema =
    flag.kind === "boolean"
      ? { type: "boolean" }
      : flag.choices
        ? { enum: [...flag.choices] }
        : flag.kind === "list"
          ? { type: [...SCALAR, "array"], items: { type: SCALAR } }
          : { type: SCALAR };
  return { description, ...schema, ...(flag.defaultValue === undefined ? {} : { default: flag.defaultValue }) };
}

function sectionSchema(command: CommandSpec): Schema {
  const properties: Record<string, Schema> = {};
  for (const flag of settingFlags(command)) properties[flag.key] = flagSchema(flag);
  for (const sub of command.commands.filter(hasSettings)) properties[sub.name] = sectionSchema(sub);
  return {
    description: `wtbhook ${command.path.join(" ")}: ${command.description}`,
    type: "object",
    additionalProperties: false,
    properties,
  };
}

/** The schema of the config file for the program `root`. */
export function configSchema(root: CommandSpec): Schema {
  const properties: Record<string, Schema> = {
    $schema: { description: "This schema, for editors: ./node_modules/wtbhook/config.schema.json", type: "string" },
  };
  const shared = sharedFlags(root);
  for (const [key, flag] of shared) properties[key] = flagSchema(flag);
  for (const command of root.commands.filter(hasSettings)) {
    const section = sectionSchema(command);
    // A name that is both a command and a shared setting ("fixtures"): an object is the section.
    properties[command.name] = shared.has(command.name) ? { anyOf: [properties[command.name]!, section] } : section;
  }
  return {
    $schema: "https://json-schema.org/draft/2020-12/schema",
    title: "wtbhook.config.json",
    description:
      "Defaults for wtbhook's flags: a section per command (keys are the long flags in camelCase), and at the top the flags several commands share. A flag or WTBHOOK_<FLAG> variable wins over the file.",
    type: "object",
    additionalProperties: false,
    properties,
  };
}

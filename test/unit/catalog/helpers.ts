// Shared readers for the catalogue tests: the schema and fixture files as they are on disk.
import { readdirSync, readFileSync } from "node:fs";

export const SCHEMA_DIR = new URL("../../../src/catalog/schemas/", import.meta.url);
export const FIXTURE_DIR = new URL("../../../fixtures/", import.meta.url);

export type Json = any;

/** Event types that have a schema file, from the file names. */
export function schemaFileTypes(): string[] {
  return readdirSync(new URL("events/", SCHEMA_DIR))
    .filter((name) => name.endsWith(".schema.json"))
    .map((name) => name.slice(0, -".schema.json".length))
    .sort();
}

/** Event types that have a fixture file, from the file names. */
export function fixtureFileTypes(): string[] {
  return readdirSync(FIXTURE_DIR)
    .filter((name) => name.endsWith(".json"))
    .map((name) => name.slice(0, -".json".length))
    .sort();
}

export function readFixture(type: string): Json {
  return JSON.parse(readFileSync(new URL(`${type}.json`, FIXTURE_DIR), "utf8"));
}

/** Every schema file under src/catalog/schemas, keyed by its relative path. */
export function schemaFiles(): Map<string, Json> {
  const files = new Map<string, Json>();
  for (const name of readdirSync(SCHEMA_DIR, { recursive: true })) {
    const path = String(name);
    if (path.endsWith(".schema.json")) files.set(path, JSON.parse(readFileSync(new URL(path, SCHEMA_DIR), "utf8")));
  }
  return files;
}

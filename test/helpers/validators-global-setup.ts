// vitest globalSetup: compiles the catalogue's validators (graded, full and strict) once, as the build
// does for dist/, and caches the modules by the content of src/catalog. Without it every worker
// (and, with isolated files, every test file) that validates an event compiled every schema with
// ajv again (about 0.8 s a set).
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

import type { TestProject } from "vitest/node";

declare module "vitest" {
  export interface ProvidedContext {
    /** The precompiled validator modules for the schemas in src/catalog today. */
    precompiledValidators: Record<"graded" | "full" | "strict", string>;
  }
}

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const CACHE = join(ROOT, "node_modules", ".cache", "wtbhook-test");

/** A digest of everything the generated module depends on: the catalogue's sources and schemas, and ajv. */
function inputsDigest(): string {
  const hash = createHash("sha256");
  const catalog = join(ROOT, "src", "catalog");
  const names = readdirSync(catalog, { recursive: true, encoding: "utf8" }).sort();
  for (const name of names) {
    const path = join(catalog, name);
    if (!/\.(ts|cjs|json)$/.test(name)) continue;
    hash.update(`${name}\0`).update(readFileSync(path)).update("\0");
  }
  hash.update(readFileSync(join(ROOT, "node_modules", "ajv", "package.json")));
  return hash.digest("hex").slice(0, 16);
}

export default async function setup(project: TestProject): Promise<void> {
  const digest = inputsDigest();
  const sets = ["graded", "full", "strict"] as const;
  const files = Object.fromEntries(sets.map((set) => [set, join(CACHE, `validators-${set}-${digest}.cjs`)])) as Record<
    (typeof sets)[number],
    string
  >;
  if (!sets.every((set) => existsSync(files[set]))) {
    const { compileStandalone } = await import("../../src/catalog/standalone.js");
    mkdirSync(CACHE, { recursive: true });
    for (const old of readdirSync(CACHE)) rmSync(join(CACHE, old), { force: true });
    // Written aside and renamed: a second vitest run starting now never reads half a file.
    for (const set of sets) {
      writeFileSync(`${files[set]}.${process.pid}.tmp`, compileStandalone(set));
      renameSync(`${files[set]}.${process.pid}.tmp`, files[set]);
    }
  }
  project.provide("precompiledValidators", files);
}

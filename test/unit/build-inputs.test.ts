// The build does nothing when dist/ was built from the same inputs: the hash of those inputs must
// change with any of them, and only with them.
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { afterEach, describe, expect, it } from "vitest";

import { buildInputsHash } from "../../scripts/build-inputs.mjs";

const made: string[] = [];
afterEach(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A checkout with the files the build reads, small. */
function checkout(): string {
  const root = mkdtempSync(join(tmpdir(), "wtbhook-build-inputs-"));
  made.push(root);
  for (const file of ["package.json", "package-lock.json", "tsconfig.json", "tsconfig.build.json"])
    writeFileSync(join(root, file), `{"file":"${file}"}`);
  mkdirSync(join(root, "scripts"));
  writeFileSync(join(root, "scripts", "build.mjs"), "// build");
  writeFileSync(join(root, "scripts", "build-inputs.mjs"), "// inputs");
  mkdirSync(join(root, "src", "catalog", "schemas"), { recursive: true });
  writeFileSync(join(root, "src", "cli.ts"), "export {};");
  writeFileSync(join(root, "src", "catalog", "schemas", "a.schema.json"), "{}");
  return root;
}

describe("buildInputsHash", () => {
  it("is the same for the same files, wherever the checkout is", () => {
    const one = checkout();
    const two = mkdtempSync(join(tmpdir(), "wtbhook-build-inputs-"));
    made.push(two);
    cpSync(one, two, { recursive: true });
    expect(buildInputsHash(two)).toBe(buildInputsHash(one));
  });

  it("changes with a source, a schema, a new file under src/, the lock file or the build script", () => {
    const root = checkout();
    const seen = new Set([buildInputsHash(root)]);
    const change = (file: string, text: string): void => {
      writeFileSync(join(root, file), text);
      const hash = buildInputsHash(root);
      expect(seen.has(hash), file).toBe(false);
      seen.add(hash);
    };
    change(join("src", "cli.ts"), "export const changed = 1;");
    change(join("src", "catalog", "schemas", "a.schema.json"), '{"type":"object"}');
    change(join("src", "new.ts"), "");
    change("package-lock.json", '{"lockfileVersion":3}');
    change(join("scripts", "build.mjs"), "// build, changed");
  });

  it("does not change with files the build does not read", () => {
    const root = checkout();
    const before = buildInputsHash(root);
    writeFileSync(join(root, "README.md"), "# notes");
    mkdirSync(join(root, "test"));
    writeFileSync(join(root, "test", "a.test.ts"), "");
    expect(buildInputsHash(root)).toBe(before);
  });
});

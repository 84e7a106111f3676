// vitest setupFiles: src/'s getValidator() (plain and strict) uses the validators compiled once by
// validators-global-setup.ts instead of compiling every schema with ajv in each test file.
// (dist/ loads its own precompiled module; test/unit/catalog compares run-time and precompiled.)
import { createRequire } from "node:module";

import { inject, vi } from "vitest";

import type { CompiledValidator, ValidatorSet } from "../../src/catalog/validators.js";

vi.mock(import("../../src/catalog/validators.js"), async (importOriginal) => {
  const original = await importOriginal();
  const files = inject("precompiledValidators");
  const require = createRequire(import.meta.url);
  const sets = { plain: require(files.plain) as ValidatorSet, strict: require(files.strict) as ValidatorSet };
  return {
    ...original,
    getValidator: (type: string, strict = false): CompiledValidator | undefined => {
      const set = strict ? sets.strict : sets.plain;
      return Object.hasOwn(set, type) ? set[type] : undefined;
    },
  };
});

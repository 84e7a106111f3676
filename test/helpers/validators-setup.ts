// vitest setupFiles: src/'s getValidator() and getEnvelopeValidator() (graded, full and strict)
// use the validators compiled once by validators-global-setup.ts instead of compiling every schema
// with ajv in each test file.
// (dist/ loads its own precompiled module; test/unit/catalog compares run-time and precompiled.)
import { createRequire } from "node:module";

import { inject, vi } from "vitest";

import type { CompiledValidator, ValidatorSet, ValidatorSetName } from "../../src/catalog/validators.js";

vi.mock(import("../../src/catalog/validators.js"), async (importOriginal) => {
  const original = await importOriginal();
  const files = inject("precompiledValidators");
  const require = createRequire(import.meta.url);
  const sets = {
    graded: require(files.graded) as ValidatorSet,
    full: require(files.full) as ValidatorSet,
    strict: require(files.strict) as ValidatorSet,
  };
  return {
    ...original,
    getValidator: (type: string, set: ValidatorSetName = "graded"): CompiledValidator | undefined =>
      // As src/: own keys only, and the envelope's export is not an event type.
      type !== "(envelope)" && Object.hasOwn(sets[set], type) ? sets[set][type] : undefined,
    getEnvelopeValidator: (set: ValidatorSetName = "graded"): CompiledValidator => sets[set]["(envelope)"]!,
  };
});

import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 20_000,
    hookTimeout: 20_000,
    pool: "forks",
    // The catalogue's validators are compiled once per run (per change of the schemas), not per test file.
    globalSetup: ["test/helpers/validators-global-setup.ts"],
    setupFiles: ["test/helpers/validators-setup.ts"],
  },
});

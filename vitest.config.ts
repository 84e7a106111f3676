import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 20_000,
    hookTimeout: 20_000,
    pool: "forks",
    // Test files share their worker process and its module cache instead of each paying for a
    // new process and fresh imports (about half the suite's time). A test leaves no global state
    // behind: it closes what it opens and never changes process.env, the cwd or a module's state.
    isolate: false,
    // One temporary folder per run (TMPDIR), removed at its end; the catalogue's validators are
    // compiled once per run (per change of the schemas), not per test file.
    globalSetup: ["test/helpers/temp-global-setup.ts", "test/helpers/validators-global-setup.ts"],
    setupFiles: ["test/helpers/validators-setup.ts"],
  },
});

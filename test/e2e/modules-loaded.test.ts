// What code a run loads: __complete answers each Tab, so it must not load schemas, HTTP or ngrok;
// the config code is loaded only when there are settings to apply.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

import { afterAll, describe, expect, it } from "vitest";

import { BIN, cliEnv, ROOT } from "../helpers/run-cli.js";

const PRELOAD = fileURLToPath(new URL("../helpers/module-log.mjs", import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "wtbhook-modules-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let runs = 0;
/**
 * The modules `wtbhook <args>` loaded, and its output. The program is bundled (dist/bundle): a
 * loaded bundle file stands for the modules esbuild put in it, each headed by a comment with its
 * path ("// dist/catalog/catalog.js", "// node_modules/undici/index.js").
 */
function modulesOf(args: string[], options: { env?: Record<string, string>; cwd?: string } = {}): { modules: string[]; stdout: string } {
  const log = join(dir, `modules-${(runs += 1)}.log`);
  writeFileSync(log, "");
  const result = spawnSync(process.execPath, ["--import", PRELOAD, BIN, ...args], {
    cwd: options.cwd ?? ROOT,
    env: cliEnv({ ...options.env, MODULE_LOG_FILE: log }),
    encoding: "utf8",
  });
  expect(result.status, result.stderr).toBe(0);
  const urls = readFileSync(log, "utf8").split("\n").filter(Boolean);
  const modules = urls.flatMap((url) => {
    if (!url.startsWith("file:") || !url.includes("/dist/bundle/")) return [url];
    const text = readFileSync(fileURLToPath(url), "utf8");
    return [url, ...[...text.matchAll(/^\/\/ ((?:dist|node_modules)\/\S+)$/gm)].map((match) => match[1]!)];
  });
  return { modules, stdout: result.stdout };
}

/** Schemas and validators, HTTP, the receiver, ngrok, the checks' and deliveries' code, chalk. */
const HEAVY =
  /node_modules\/(ajv|ajv-formats|undici|@ngrok|chalk)\/|\.generated\.cjs|validators|(^|\/)dist\/(http|receiver|tunnel|validation|record)\/|(^|\/)dist\/catalog\/(?!event-type-names)|(^|\/)dist\/check\/(?!check-ids)|(^|\/)dist\/delivery\/(?!scenario-names)/;
const CONFIG_CODE = /(^|\/)dist\/(config\/(file|settings|spec)|commands\/(settings|command-spec))\.js$/;

describe("modules loaded", () => {
  it("__complete loads no schema, validator, HTTP, ngrok or check code", () => {
    for (const words of [
      ["send", "--type", ""],
      ["check", "--only", ""],
      ["send", "--scenario", ""],
      ["validate", ""],
    ]) {
      const { modules, stdout } = modulesOf(["__complete", ...words]);
      expect(stdout).not.toBe("");
      expect(modules).toContain("dist/completion/complete.js");
      expect(modules.filter((url) => HEAVY.test(url))).toEqual([]);
    }
  });

  it("loads the config code only when a config file or a WTBHOOK_* variable may set something", () => {
    const plain = modulesOf(["validate", "fixtures/user.created.json"]);
    // The control: the log does see bundled modules (validate loads a validator).
    expect(plain.modules.some((module) => HEAVY.test(module))).toBe(true);
    expect(plain.modules.filter((url) => CONFIG_CODE.test(url))).toEqual([]);
    const withEnv = modulesOf(["validate", "fixtures/user.created.json"], { env: { WTBHOOK_STRICT: "1" } });
    expect(withEnv.modules).toContain("dist/config/file.js");
  });
});

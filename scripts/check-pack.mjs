// Proves the published package works from a clean folder: npm pack, install the tarball into an
// empty project, then run the CLI (and the inspector's page), import the library, and compile a
// TypeScript file against its published types (.d.ts) from there. Run by .ci/run.
import { execFileSync, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const require = createRequire(import.meta.url);
/** This repository's own TypeScript (a devDependency): the consumer project installs nothing more. */
const tsc = require.resolve("typescript/bin/tsc");
const work = mkdtempSync(join(tmpdir(), "wtbhook-pack-"));
const run = (cmd, args, cwd) => execFileSync(cmd, args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
const check = (ok, what) => {
  if (!ok) throw new Error(what);
  console.log(`check-pack: ok: ${what}`);
};

/** Starts `wtbhook inspect` in `cwd`, fetches the page and its script, stops it; true when both came. */
async function inspectorServes(cwd, recording) {
  // The installed bin itself, not through npx: SIGTERM must reach wtbhook (npx can run it behind
  // a shell that exits alone and leaves wtbhook, and the pipes this script reads, open).
  const bin = join(cwd, "node_modules", "wtbhook", "bin", "wtbhook.cjs");
  const child = spawn(process.execPath, [bin, "inspect", recording, "--ui-port", "0", "--json"], {
    cwd,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  child.stderr.on("data", (chunk) => (stderr += chunk));
  const exited = new Promise((resolve) => child.on("exit", resolve));
  try {
    const line = await new Promise((resolve, reject) => {
      let text = "";
      child.stdout.on("data", (chunk) => {
        text += chunk;
        if (text.includes("\n")) resolve(text.slice(0, text.indexOf("\n")));
      });
      child.on("exit", (code) => reject(new Error(`wtbhook inspect exited with ${code}: ${stderr}`)));
      setTimeout(() => reject(new Error("wtbhook inspect printed no ready line in 30 s")), 30_000).unref();
    });
    const base = new URL("/", JSON.parse(line).inspector);
    const html = await (await fetch(base)).text();
    const script = await fetch(new URL("/app.js", base));
    return html.includes("app.js") && script.ok && (await script.text()).length > 1000;
  } finally {
    child.kill("SIGTERM");
    await exited;
  }
}

try {
  const packed = JSON.parse(run("npm", ["pack", "--json", "--pack-destination", work], root));
  const files = packed[0].files.map((file) => file.path);
  check(files.includes("dist/cli.js") && files.includes("bin/wtbhook.cjs"), "tarball has bin/ and dist/");
  check(
    ["validators", "validators-full", "validators-strict"].every(
      (folder) => files.includes(`dist/catalog/${folder}/user.created.cjs`) && files.includes(`dist/catalog/${folder}/(envelope).cjs`),
    ),
    "tarball has the precompiled validators (graded, full and strict; one module per type and the envelope's)",
  );
  check(files.includes("config.schema.json"), "tarball has the config file's JSON Schema");
  check(!files.some((file) => file.startsWith("src/") || file.startsWith("test/")), "tarball leaves out src/ and test/");
  const page = ["index.html", "app.js", "app.css"].map((name) => `dist/inspector/page/${name}`);
  check(
    page.every((file) => files.includes(file)),
    "tarball has the inspector's built page",
  );
  check(!files.some((file) => file.endsWith(".tsbuildinfo")), "tarball leaves out build caches");
  const tarball = join(
    work,
    readdirSync(work).find((name) => name.endsWith(".tgz")),
  );

  const app = join(work, "app");
  mkdirSync(app);
  writeFileSync(join(app, "package.json"), JSON.stringify({ name: "app", version: "1.0.0", type: "module" }));
  run("npm", ["install", "--no-audit", "--no-fund", "--prefer-offline", tarball], app);
  // Nothing for a consumer to run or approve: `prepare` builds dist/ in a clone only (prepack strips it).
  const installed = JSON.parse(readFileSync(join(app, "node_modules", "wtbhook", "package.json"), "utf8"));
  const lifecycle = ["preinstall", "install", "postinstall", "prepare"].filter((name) => installed.scripts?.[name] !== undefined);
  check(lifecycle.length === 0, `the installed package has no install scripts${lifecycle.length ? ` (has ${lifecycle.join(", ")})` : ""}`);
  check(readFileSync(join(root, "package.json"), "utf8").includes('"prepare"'), "npm pack put package.json back as it was");

  const help = run("npx", ["--no-install", "wtbhook", "--help"], app);
  check(help.includes("Usage: wtbhook"), "npx wtbhook --help runs from the installed package");
  const fixture = join(app, "node_modules", "wtbhook", "fixtures", "user.created.json");
  run("npx", ["--no-install", "wtbhook", "validate", fixture], app);
  check(true, "npx wtbhook validate <fixture> exits 0");
  // The inspector serves its page from the installed package alone (nothing from a CDN or src/).
  const events = join(app, "events.ndjson");
  writeFileSync(events, `${JSON.stringify(JSON.parse(readFileSync(fixture, "utf8")))}\n`);
  const served = await inspectorServes(app, events);
  check(served, "wtbhook inspect (the installed bin) serves the inspector's page and script from the installed package");
  const count = run("node", ["--input-type=module", "-e", "import { eventTypes } from 'wtbhook'; console.log(eventTypes().length)"], app);
  check(Number(count.trim()) >= 1, `import { eventTypes } from "wtbhook" lists ${count.trim()} event types`);

  // A consumer's TypeScript, strict and without skipLibCheck, so that every published .d.ts is
  // compiled: with Node's ESM resolution (the exports map's "types") and with a bundler's.
  writeFileSync(
    join(app, "consumer.ts"),
    `import { eventTypes, ExitCode, loadFixture, validateEvent, WtbhookError } from "wtbhook";
import type { EventCheck, EventPayloadMap, WebhookEvent } from "wtbhook";

const types: readonly string[] = eventTypes();
const check: EventCheck = validateEvent(JSON.parse(loadFixture("post.created").toString("utf8")));
const valid: boolean = check.valid;
const failed: number = ExitCode.failed;

export function postId(event: WebhookEvent): number | undefined {
  if (event.type !== "post.created") return undefined;
  const post: EventPayloadMap["post.created"] = event;
  return post.data.object.postId;
}

export function describe(error: unknown): string {
  return error instanceof WtbhookError ? \`\${error.code}: \${error.message}\` : String(error);
}

export const facts = { types, valid, failed };
`,
  );
  const typeRoots = [join(root, "node_modules", "@types")];
  const compilerOptions = { strict: true, noEmit: true, skipLibCheck: false, target: "ES2022", types: ["node"], typeRoots };
  for (const resolution of [
    { module: "nodenext", moduleResolution: "nodenext" },
    { module: "preserve", moduleResolution: "bundler" },
  ]) {
    const config = join(app, `tsconfig.${resolution.moduleResolution}.json`);
    writeFileSync(config, JSON.stringify({ compilerOptions: { ...compilerOptions, ...resolution }, files: ["consumer.ts"] }));
    let errors = "";
    try {
      run(process.execPath, [tsc, "-p", config], app);
    } catch (error) {
      errors = error.stdout || error.message;
    }
    check(
      errors === "",
      `a TypeScript consumer compiles against the published types (moduleResolution ${resolution.moduleResolution})\n${errors}`,
    );
  }
} catch (error) {
  console.error(`check-pack: FAILED: ${error.message}`);
  process.exitCode = 1;
} finally {
  rmSync(work, { recursive: true, force: true });
}

// Builds dist/: compiles TypeScript, copies the schemas, precompiles every event validator (graded,
// full and strict) with ajv's standalone code generation so that no command compiles schemas at
// start-up, bundles the command-line program, and builds the inspector's page. Does nothing when
// dist/ was built from the same inputs (scripts/build-inputs.mjs); --force builds anyway.
import { execFileSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const dist = join(root, "dist");
const require = createRequire(import.meta.url);

const { BUILD_INPUTS_FILE, buildInputsHash } = await import("./build-inputs.mjs");
const inputs = buildInputsHash(root);
const stamp = join(dist, BUILD_INPUTS_FILE);
const outputs = ["index.js", join("bundle", "cli.js"), join("inspector", "page", "app.js")];
if (
  !process.argv.includes("--force") &&
  outputs.every((file) => existsSync(join(dist, file))) &&
  existsSync(stamp) &&
  readFileSync(stamp, "utf8") === inputs
) {
  // stderr: npm pack --json prints its JSON on stdout, after the prepack script.
  console.error("build: dist/ is up to date (node scripts/build.mjs --force builds it again)");
  process.exit(0);
}
// Written again only once the whole build has succeeded.
rmSync(stamp, { force: true });

execFileSync(process.execPath, [require.resolve("typescript/bin/tsc"), "-p", join(root, "tsconfig.build.json")], {
  stdio: "inherit",
});

// Non-TypeScript sources that the compiled code reads at run time.
const copy = (from, to) => cpSync(join(root, from), join(root, to), { recursive: true });
copy("src/catalog/schemas", "dist/catalog/schemas");
for (const name of readdirSync(join(root, "src"), { recursive: true })) {
  if (String(name).endsWith(".cjs")) copy(join("src", String(name)), join("dist", String(name)));
}

const { compileStandalone } = await import(join(dist, "catalog", "standalone.js"));
const { eventTypes } = await import(join(dist, "catalog", "catalog.js"));
const { ENVELOPE_EXPORT } = await import(join(dist, "catalog", "compile-validators.js"));
// One module per event type and one for the envelope (what an unknown type is checked against), in
// each set: graded (the everyday check), full (-v: info-level expectations too) and strict (the full
// set closed to undeclared fields, what --strict loads). A command loads the validators of the types
// it meets, not all of them. Each is written aside and renamed, so a wtbhook process running during
// a rebuild never reads half a file.
for (const [folder, set] of [
  ["validators", "graded"],
  ["validators-full", "full"],
  ["validators-strict", "strict"],
]) {
  const dir = join(dist, "catalog", folder);
  mkdirSync(dir, { recursive: true });
  for (const name of [...eventTypes(), ENVELOPE_EXPORT]) {
    const target = join(dir, `${name}.cjs`);
    writeFileSync(`${target}.tmp`, compileStandalone(set, [name]));
    renameSync(`${target}.tmp`, target);
  }
}

// The command-line program: a main module and lazily loaded chunks for what only some commands
// need, so that start-up reads a few files instead of a hundred. The library (dist/index.js) and
// its types stay as tsc wrote them. Two steps:
// 1. esbuild bundles dist/cli.js with its dependencies as ES module chunks (it splits only ES
//    modules). Paths a module builds from import.meta.dirname or import.meta.url (schemas,
//    fixtures, the precompiled validators) are rewritten to keep pointing where they point from
//    the module's own file in dist/; the native ngrok SDK stays outside.
// 2. rollup lays the chunks out again as CommonJS (dist/bundle/package.json says so), import()
//    becoming require(): Node starts CommonJS without its ES module loader and reads it
//    synchronously, and rollup leaves out the re-export files esbuild writes for each import().
// bench/startup.mjs measures what start-up costs.
const { build } = await import("esbuild");
const { rollup } = await import("rollup");
const bundleDir = join(dist, "bundle");
const staging = join(dist, ".bundle-esm");
rmSync(staging, { recursive: true, force: true });
/** Each edit of a dependency's source: [file, text, replacement]. The build fails when one no longer applies. */
const PATCHES = [
  // Commander loads child_process (and with it net, dgram and more streams) at start-up for
  // subcommands that are separate executables, which wtbhook has none of: loaded on first use.
  [
    join("node_modules", "commander", "lib", "command.js"),
    "const childProcess = require('node:child_process');",
    "const childProcess = { spawn: (...args) => require('node:child_process').spawn(...args) };",
  ],
];
const applied = new Set();
const esm = await build({
  absWorkingDir: root,
  entryPoints: { cli: join(dist, "cli.js") },
  outdir: staging,
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20.19",
  external: ["@ngrok/ngrok"],
  // The bundle always ships the precompiled validators: validators.ts leaves out the compiler (and
  // minifySyntax drops the branch that would import it). The version is written in, so that no
  // start-up reads package.json for it (cli.ts reads it there when run from the sources).
  define: {
    "import.meta.wtbhookBundled": "true",
    "import.meta.wtbhookVersion": JSON.stringify(JSON.parse(readFileSync(join(root, "package.json"), "utf8")).version),
  },
  minifySyntax: true,
  legalComments: "none",
  logLevel: "warning",
  metafile: true,
  plugins: [
    {
      name: "keep-module-urls",
      setup(builder) {
        builder.onLoad({ filter: /\.js$/ }, (args) => {
          let text = readFileSync(args.path, "utf8");
          for (const [file, from, to] of PATCHES) {
            if (!args.path.endsWith(sep + file)) continue;
            if (!text.includes(from)) throw new Error(`build: ${file} changed; the patch for ${JSON.stringify(from)} no longer applies`);
            text = text.replace(from, to);
            applied.add(file);
          }
          if (!args.path.startsWith(dist) || !text.includes("import.meta.")) return { contents: text, loader: "js" };
          const own = JSON.stringify(relative(staging, args.path).split(sep).join("/"));
          // A module's folder: where its file in dist/ is, from the chunk's (__dirname, as rollup
          // leaves it in CommonJS).
          if (text.includes("import.meta.dirname")) {
            const folder = JSON.stringify(relative(staging, dirname(args.path)));
            text = `import { join as joinModuleDir } from "node:path";\n${text.replaceAll("import.meta.dirname", `joinModuleDir(__dirname, ${folder})`)}`;
          }
          return { contents: text.replaceAll("import.meta.url", `new URL(${own}, import.meta.url).href`), loader: "js" };
        });
      },
    },
  ],
});
for (const [file] of PATCHES) if (!applied.has(file)) throw new Error(`build: ${file} was not bundled; drop its patch`);

// The modules (paths under dist/ or node_modules/) in each of esbuild's files, which rollup lays out.
const staged = Object.fromEntries(
  Object.entries(esm.metafile.outputs).map(([file, facts]) => [
    join(root, file),
    Object.keys(facts.inputs).map((input) => input.split(sep).join("/")),
  ]),
);
// Modules that a command needs together, each set in one file rather than in as many small chunks
// as there are ways to share them: every file a command loads costs it about 0.15 ms whatever its
// size (`send --dry-run` loaded 21 files, now 3; `validate` 15, now 3 and a validator). A set is loaded whole by any
// command that needs one of its modules, so none holds what `__complete`, `--help` or a command's
// settings load (test/e2e/modules-loaded.test.ts). The program's own modules, everything its entry
// imports statically, stay in one file of their own, or rollup would move those that a set uses
// into the set.
const CHUNKS = [
  // The names that completion offers, in the program's own file: `__complete`, `validate` and
  // `send` need them, and 1.3 KB more costs `--help` less than a file more costs them.
  ["cli", /\/dist\/(catalog\/event-type-names|delivery\/scenario-names|check\/check-ids)\.js$/],
  // Reading, checking and judging a payload, and its lines: `send`, `validate`, `check`, `listen`, `fixtures`.
  [
    "payload",
    /\/dist\/(json\/(scan|edit|utf8|position|syntax|pointer)|validation\/(problems|validate-event)|catalog\/(catalog|validators|grade-schema|fixtures)|terminal\/line|format\/severity|clock|http\/status-text)\.js$/,
  ],
  // Reading files of events and reporting on them: `validate`.
  [
    "validation",
    /\/dist\/(validation\/(file-run|validate-files|input-files|read-source)|commands\/validate-reporter|format\/validate-text)\.js$/,
  ],
  // Planning deliveries and showing them.
  [
    "deliveries",
    /\/dist\/(delivery\/(bodies|event-body|overrides|plan|send-plan|retry|check)|commands\/(send-action|send-flags)|format\/(send-json|send-pretty|time-text))\.js$/,
  ],
];
/** The files that the program's entry imports statically: the program itself, in one file as before. */
function staticallyFrom(id, getModuleInfo, found = new Set()) {
  if (found.has(id)) return found;
  found.add(id);
  for (const imported of getModuleInfo(id)?.importedIds ?? []) staticallyFrom(imported, getModuleInfo, found);
  return found;
}
let program;

// Written aside and swapped in whole, like the validators. The chunks sit at the same depth as the
// staged ones, so the rewritten import.meta.url paths hold.
const converted = join(dist, ".bundle-cjs");
rmSync(converted, { recursive: true, force: true });
const layout = await rollup({
  // The program is dist/bundle/cli.js itself, the chunks importing from it, rather than a file that
  // only re-exports another: one file fewer for every command to load.
  preserveEntrySignatures: "allow-extension",
  input: [join(staging, "cli.js")],
  // Node's modules and the ngrok SDK; everything else is in the chunks.
  external: (id) => id.startsWith("node:") || id === "@ngrok/ngrok",
  onwarn(warning) {
    throw new Error(`build: rollup: ${warning.message}`);
  },
  plugins: [
    {
      // A module's URL as Node's own file URL, from node:url, which Node has loaded at start-up:
      // rollup's general form loads "url" by a name that Node must first look up, and asks
      // whether it runs in a browser.
      name: "module-url",
      resolveImportMeta: (property) => (property === "url" ? 'require("node:url").pathToFileURL(__filename).href' : null),
    },
  ],
});
const { output } = await layout.write({
  dir: converted,
  format: "cjs",
  entryFileNames: "[name].js",
  // esbuild's names carry its own hash ("line-CP5LP24E"): rollup's replaces it.
  chunkFileNames: (chunk) => `${chunk.name.replace(/-[A-Z0-9]{8}$/, "")}-[hash].js`,
  dynamicImportInCjs: false,
  generatedCode: "es2015",
  // One of esbuild's files goes into a set when every module it holds belongs there.
  manualChunks(id, { getModuleInfo }) {
    program ??= staticallyFrom(join(staging, "cli.js"), getModuleInfo);
    if (program.has(id)) return "cli";
    return CHUNKS.find(([, pattern]) => staged[id]?.length && staged[id].every((module) => pattern.test(`/${module}`)))?.[0];
  },
});
await layout.close();
writeFileSync(join(converted, "package.json"), '{ "type": "commonjs" }\n');
// Which modules each file holds, for the tests that check what a command loads.
const contents = Object.fromEntries(
  output.map((chunk) => [chunk.fileName, Object.keys(chunk.modules ?? {}).flatMap((id) => staged[id] ?? [])]),
);
writeFileSync(join(converted, "modules.json"), `${JSON.stringify(contents, null, 1)}\n`);
// The code cache and loader that the bin loads first, by hand and compiled from its source at
// every start: a file of its own that requires nothing of the program (which it must load
// after it), built apart so that no code it shares with the program can be moved into a chunk.
await build({
  absWorkingDir: root,
  entryPoints: [join(dist, "compile-cache.js")],
  outfile: join(converted, "compile-cache.js"),
  bundle: true,
  format: "cjs",
  platform: "node",
  target: "node20.19",
  // Compiled from its source at every start (the cache cannot hold itself): the less to parse,
  // the better. Nothing in it is shown to users (its errors are caught), so names can go too.
  minify: true,
  legalComments: "none",
  logLevel: "warning",
});
rmSync(staging, { recursive: true, force: true });
rmSync(bundleDir, { recursive: true, force: true });
renameSync(converted, bundleDir);

// The inspector's page: TypeScript and CSS bundled by esbuild into dist/inspector/page/ (every
// asset ships in the package; nothing comes from a CDN). Type-checked with its own tsconfig
// (DOM types), which the Node sources must not see; incrementally, so an unchanged page costs little.
execFileSync(
  process.execPath,
  [
    require.resolve("typescript/bin/tsc"),
    ...["-p", join(root, "src", "inspector", "page"), "--noEmit", "--incremental"],
    ...["--tsBuildInfoFile", join(dist, ".page.tsbuildinfo")],
  ],
  { stdio: "inherit" },
);
const page = join(dist, "inspector", "page");
await build({
  entryPoints: { app: join(root, "src", "inspector", "page", "main.tsx") },
  outdir: page,
  bundle: true,
  minify: true,
  format: "esm",
  target: ["chrome111", "firefox115", "safari16.4"],
  jsx: "automatic",
  jsxImportSource: "preact",
  legalComments: "none",
  charset: "utf8",
  logLevel: "warning",
});
copy("src/inspector/page/index.html", "dist/inspector/page/index.html");

writeFileSync(stamp, inputs);

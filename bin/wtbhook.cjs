#!/usr/bin/env node
// CommonJS, as is the bundled program (dist/bundle/): Node starts it without its ES module loader.
// The code V8 compiles for wtbhook's modules is kept on disk between runs (src/compile-cache.ts),
// turned on before the program is loaded so that its own modules benefit. Not Node's compile
// cache (module.enableCompileCache, from 22.1): it keeps the code compiled when a module is
// loaded, not the functions compiled as the program runs, which start-up then compiles every
// time. Each command has a cache of its own, for the same reason: one written by `validate`
// would lack what `--help` runs of the same files. A command's help too: a file's cache is written
// by the first few runs that load it, and if those were `send --help` it would lack what every
// `send` after them runs.
"use strict";
const { join } = require("node:path");
const word = process.argv[2] ?? "";
const help = process.argv.includes("--help") || process.argv.includes("-h");
const Module = module.constructor;
const bundle = join(__dirname, "..", "dist", "bundle");
// The program's files are loaded by their path, without Node's search for them (a stat, the links
// of each folder, the package.json that says how to load a file): most of what a require costs
// (src/compile-cache.ts, loadFile). compile-cache.js, which does that for the others, is loaded
// here the same way, by hand: it cannot load itself.
const file = join(bundle, "compile-cache.js");
let source;
try {
  source = require("node:fs").readFileSync(file, "utf8");
} catch {
  // A clone that was never built (npm ci builds it).
  process.stderr.write(`wtbhook: ${file} is missing: run \`npm run build\` in ${join(__dirname, "..")} first\n`);
  process.exit(2);
}
const loader = new Module(file, module);
loader.filename = file;
loader.paths = module.paths;
loader._compile(source, file, "commonjs");
const { installCompileCache, loadFile } = loader.exports;
installCompileCache({
  Module,
  root: join(__dirname, "..", "dist"),
  main: module,
  variant: (/^(__)?[a-z]{2,12}$/.test(word) ? word : "other") + (help ? "-help" : ""),
});
loadFile(Module, module, join(bundle, "cli.js")).main();

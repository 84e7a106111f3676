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
const word = process.argv[2] ?? "";
const help = process.argv.includes("--help") || process.argv.includes("-h");
const { installCompileCache } = require("../dist/bundle/compile-cache.js");
installCompileCache({
  Module: module.constructor,
  root: require("node:path").join(__dirname, "..", "dist"),
  main: module,
  variant: (/^(__)?[a-z]{2,12}$/.test(word) ? word : "other") + (help ? "-help" : ""),
});
require("../dist/bundle/cli.js").main();

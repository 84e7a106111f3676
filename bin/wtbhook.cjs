#!/usr/bin/env node
// CommonJS, as is the bundled program (dist/bundle/): Node starts it without its ES module loader.
// The code V8 compiles for wtbhook's modules is kept on disk between runs, turned on before the
// program is loaded so that its own modules benefit: by Node itself where it can (22.1 and later),
// by wtbhook's compile-cache module before that. (Node 20 is asked nothing: loading node:module
// there only to find it missing costs time.) Each command has a cache of its own: V8 keeps the
// functions compiled by the time a cache is written, so one written by `validate` would lack what
// `--help` runs of the same files, and `--help` would compile that at every start.
"use strict";
const word = process.argv[2] ?? "";
const variant = /^(__)?[a-z]{2,12}$/.test(word) ? word : "other";
const enableCompileCache = Number(process.versions.node.split(".")[0]) >= 22 ? require("node:module").enableCompileCache : undefined;
if (enableCompileCache) {
  // NODE_COMPILE_CACHE, when set, has turned Node's cache on already, in the folder it names.
  enableCompileCache(require("node:path").join(require("node:os").tmpdir(), "node-compile-cache", `wtbhook-${variant}`));
} else {
  const { installCompileCache } = require("../dist/bundle/compile-cache.js");
  installCompileCache({ Module: module.constructor, root: require("node:path").join(__dirname, "..", "dist"), main: module, variant });
}
require("../dist/bundle/cli.js").main();

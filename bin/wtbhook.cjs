#!/usr/bin/env node
// CommonJS, as is the bundled program (dist/bundle/): Node starts it without its ES module loader.
// The code V8 compiles for wtbhook's modules is kept on disk between runs, turned on before the
// program is loaded so that its own modules benefit: by Node itself where it can (22.1 and later),
// by wtbhook's compile-cache module before that. (Node 20 is asked nothing: loading node:module
// there only to find it missing costs time.)
"use strict";
const enableCompileCache = Number(process.versions.node.split(".")[0]) >= 22 ? require("node:module").enableCompileCache : undefined;
if (enableCompileCache) enableCompileCache();
else {
  const { installCompileCache } = require("../dist/bundle/compile-cache.js");
  installCompileCache({ Module: module.constructor, root: require("node:path").join(__dirname, "..", "dist"), main: module });
}
require("../dist/bundle/cli.js").main();

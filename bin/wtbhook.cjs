#!/usr/bin/env node
// CommonJS, as is the bundled program (dist/bundle/): Node starts it without its ES module loader.
// Where Node has it (22.1 and later), the compiled code of wtbhook's modules is kept on disk between
// runs; turned on before the program is loaded, so that its own modules benefit.
"use strict";
require("node:module").enableCompileCache?.();
require("../dist/bundle/cli.js").main();

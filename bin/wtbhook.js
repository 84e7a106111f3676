#!/usr/bin/env node
// Where Node has it (22.1 and later), the compiled code of wtbhook's modules is kept on disk
// between runs. The program is imported after that, so that its own modules benefit.
import module from "node:module";

module.enableCompileCache?.();
const { main } = await import("../dist/bundle/cli.js");
main(process.argv);

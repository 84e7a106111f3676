// Preloaded with `node --import`: appends the URL of every module the program loads (ES modules
// through a load hook, CommonJS through Module._load, Node's own through process.getBuiltinModule
// too, and at exit every CommonJS file in require.cache, where the bundle's files that wtbhook
// loads itself are) to the file named by $MODULE_LOG_FILE, so that tests can tell which code a
// command paid for.
import { appendFileSync } from "node:fs";
import Module, { register } from "node:module";
import { pathToFileURL } from "node:url";

const log = process.env.MODULE_LOG_FILE;
if (log) {
  register(new URL("./module-log-hooks.mjs", import.meta.url), { data: { log } });
  const load = Module._load;
  Module._load = function (request, parent, isMain) {
    let resolved = request;
    try {
      resolved = pathToFileURL(Module._resolveFilename(request, parent, isMain)).href;
    } catch {
      // A built-in or an unresolvable name: logged as given.
    }
    appendFileSync(log, `${resolved}\n`);
    return load.apply(this, [request, parent, isMain]);
  };
  // wtbhook's loader takes Node's modules ("node:http") from process.getBuiltinModule.
  const getBuiltinModule = process.getBuiltinModule;
  process.getBuiltinModule = function (id) {
    appendFileSync(log, `${id}\n`);
    return getBuiltinModule.call(this, id);
  };
  process.on("exit", () => {
    const files = Object.keys(Module._cache).map((file) => `${pathToFileURL(file).href}\n`);
    appendFileSync(log, files.join(""));
  });
}

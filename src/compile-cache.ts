// A code cache and a direct loader for wtbhook's own modules. Compiling the bundled program's
// JavaScript is a large part of start-up; V8 can instead read back the code it compiled in an earlier
// run. Node 20's loader compiles every file afresh. Node's own cache (module.enableCompileCache, from
// 22.1) keeps the code compiled when a module is loaded, but not the functions compiled as the
// program runs, and those are most of what a command runs: on Node 22, --help took 12.1 ms
// in-process with it and 7.8 ms with this one. So on every Node: a cache file per module in a folder
// of the temporary directory, read before compiling and written when the process exits (with every
// function compiled by then), for the files that had none or whose cache V8 turned down, and again
// by the next runs that load them, up to WRITES runs: a cache holds what its run compiled, and the
// first run of a command is often not a typical one (a missing file, an invalid event), whose cache
// would leave the usual run compiling much of its code at every start (2 ms more of 10 for
// `validate`, measured on Node 22). Each later write adds to what the file held.
//
// The other large part was Node finding each file: for every require, its loader stats the path,
// resolves links and looks for the package.json that says how to load it, 0.2 to 0.5 ms a file on
// Node 22. wtbhook's files are loaded here straight from their path (loadFile): the program itself
// (the bin asks), the chunks, which name each other by file name in one folder
// ("./chunk-B8ZNNABv.js"), and the precompiled validators, named by their full path. Node's own
// modules come from process.getBuiltinModule, a twentieth of the time of its loader. On Node 22,
// in-process, `validate` went 16.5 → 12.5 ms with the chunks, and 2 ms less again with the rest.
//
// Kept by hand rather than taken from v8-compile-cache: that library hashes each file's source with
// node:crypto, whose loading alone costs more than the cache saves a program of this size.
import { isAscii } from "node:buffer";
import { lstatSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, normalize, resolve, sep } from "node:path";
import { constants, Script } from "node:vm";

/** The parts of Node's CommonJS Module class that a compile hook uses (not in @types/node). */
export interface ModuleClass {
  new (id: string, parent?: ModuleInstance): ModuleInstance;
  prototype: ModuleInstance;
  wrap(source: string): string;
  _resolveFilename(request: string, parent: ModuleInstance, isMain: boolean, options?: unknown): string;
  _extensions: unknown;
  _cache: Record<string, ModuleInstance | undefined>;
}

export interface ModuleInstance {
  exports: unknown;
  filename: string;
  paths: string[];
  loaded: boolean;
  require(id: string): unknown;
  _compile: (this: ModuleInstance, content: string, filename: string, ...rest: unknown[]) => unknown;
}

export interface CompileCacheOptions {
  /** Node's Module class (`module.constructor` in a CommonJS file). */
  Module: ModuleClass;
  /** Only files under this folder are cached: wtbhook's own. */
  root: string;
  /** The program's main module, what `require.main` is in each module. */
  main: unknown;
  /**
   * The command being run: each has a cache of its own. V8 caches the functions compiled by the
   * time the cache is written, so a cache written by one command lacks what another one runs of
   * the same file, and that one would compile it again at every start.
   */
  variant?: string | undefined;
  /** @default process.env */
  env?: NodeJS.ProcessEnv;
}

/** How many runs write a file's cache: the first to load the file, and the next ones, each adding what it compiled. */
export const WRITES = 3;

/** A cache file not written for this many days is removed when its folder is next written. */
export const STALE_DAYS = 30;

/** The outermost folder of the cache: NODE_COMPILE_CACHE as Node's own cache reads it, else one per user in the temporary directory. */
export function compileCacheBase(env: NodeJS.ProcessEnv): string {
  return env["NODE_COMPILE_CACHE"] || join(temporaryDir(env), `wtbhook-compile-cache-${process.getuid?.() ?? "user"}`);
}

/**
 * os.tmpdir() without loading node:os (a quarter of a millisecond at every start): where it looks
 * on POSIX systems, and node:os itself elsewhere.
 */
function temporaryDir(env: NodeJS.ProcessEnv): string {
  if (process.platform === "win32") return process.getBuiltinModule("node:os").tmpdir();
  const dir = env["TMPDIR"] || env["TMP"] || env["TEMP"] || "/tmp";
  return dir.length > 1 && dir.endsWith("/") ? dir.slice(0, -1) : dir;
}

/** The folder for the cache files: one per V8 version (V8 turns down code from another), and per variant. */
export function compileCacheDir(env: NodeJS.ProcessEnv, variant?: string): string {
  const dir = join(compileCacheBase(env), `wtbhook-v8-${process.versions.v8}`);
  return variant === undefined ? dir : join(dir, variant);
}

/**
 * Whether the folder can be trusted with code: a real folder (not a link), owned by this user and
 * writable by no one else. Cached code runs as wtbhook's own, so a folder that someone else can
 * write to (a shared temporary directory) is never read.
 */
export function trustedDir(dir: string): boolean {
  try {
    const facts = lstatSync(dir);
    if (!facts.isDirectory()) return false;
    if (process.getuid === undefined) return true;
    return facts.uid === process.getuid() && (facts.mode & 0o022) === 0;
  } catch {
    return false;
  }
}

/**
 * The cache folder and every folder between it and `base`, `base` included, trusted: whoever can
 * write to an outer one can put a folder of their own in an inner one's place between the check
 * and the reading.
 */
function trustedCacheDir(dir: string, base: string): boolean {
  for (let folder = dir; ; folder = dirname(folder)) {
    if (!trustedDir(folder)) return false;
    if (folder === base) return true;
    if (dirname(folder) === folder) return false;
  }
}

/** A short stable name for a path (FNV-1a), so that a file's cache name is fixed without node:crypto. */
function pathKey(path: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < path.length; i++) hash = Math.imul(hash ^ path.charCodeAt(i), 0x01000193);
  return (hash >>> 0).toString(36);
}

/**
 * Installs the cache: files under `root` are compiled with the code V8 cached for them in an earlier
 * run, when their path, size and modification time match; anything that goes wrong falls back to
 * Node's own compiling. Does nothing when NODE_DISABLE_COMPILE_CACHE is set, as Node's cache does.
 */
export function installCompileCache(options: CompileCacheOptions): void {
  const env = options.env ?? process.env;
  if (env["NODE_DISABLE_COMPILE_CACHE"]) return;
  const { Module } = options;
  const root = options.root.endsWith(sep) ? options.root : options.root + sep;
  const base = resolve(compileCacheBase(env));
  // A folder's name, never a path.
  const variant = options.variant !== undefined && /^[\w-]{1,40}$/.test(options.variant) ? options.variant : undefined;
  const dir = resolve(compileCacheDir(env, variant));
  let readable: boolean | undefined;
  /**
   * Scripts whose cache is written when the process exits: compiled without one, with one V8 turned
   * down, or with one that fewer than WRITES runs wrote (`writes`: the runs that will have, this one
   * included; the file's first byte).
   */
  const unsaved: { key: string; file: string; script: Script; writes: number }[] = [];
  let saving = false;
  const compile = Module.prototype._compile;

  Module.prototype._compile = function compileCached(this: ModuleInstance, content, filename, ...rest) {
    if (!filename.startsWith(root)) return compile.call(this, content, filename, ...rest);
    let script: Script;
    let key: string;
    let file: string;
    try {
      const facts = statSync(filename);
      key = pathKey(filename);
      file = join(dir, `${key}-${facts.size}-${Math.trunc(facts.mtimeMs)}.bin`);
      readable ??= trustedCacheDir(dir, base);
      let cachedData: Buffer | undefined;
      let written = 0;
      if (readable) {
        try {
          const bytes = readFileSync(file);
          written = bytes[0] ?? 0;
          cachedData = bytes.subarray(1);
        } catch {
          // No cache for this file yet.
        }
      }
      script = new Script(Module.wrap(content), {
        filename,
        cachedData,
        importModuleDynamically: constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
      });
      if (cachedData === undefined || script.cachedDataRejected === true) unsaved.push({ key, file, script, writes: 1 });
      else if (written < WRITES) unsaved.push({ key, file, script, writes: written + 1 });
    } catch {
      return compile.call(this, content, filename, ...rest);
    }
    if (unsaved.length > 0 && !saving) {
      saving = true;
      process.once("exit", save);
    }
    const run = script.runInThisContext({ displayErrors: true }) as (...args: unknown[]) => unknown;
    return run.call(this.exports, this.exports, requireFor(Module, this, options.main, root), this, filename, dirname(filename));
  };

  /**
   * Writes the caches to write (after a byte counting the runs that wrote them), each aside and
   * renamed in whole, and removes the caches of earlier versions of the same files (a rebuild, an
   * upgrade).
   */
  function save(): void {
    try {
      mkdirSync(dir, { recursive: true, mode: 0o700 });
      if (!trustedCacheDir(dir, base)) return;
      const present = readdirSync(dir);
      for (const { key, file, script, writes } of unsaved) {
        const aside = `${file}.${process.pid}.tmp`;
        try {
          writeFileSync(aside, Buffer.concat([Buffer.of(writes), script.createCachedData()]), { mode: 0o600 });
          renameSync(aside, file);
        } catch {
          // A full disk: nothing half-written is left behind, and the rest is not tried.
          rmSync(aside, { force: true });
          return;
        }
        for (const name of present) {
          if (name.startsWith(`${key}-`) && name.endsWith(".bin") && join(dir, name) !== file) rmSync(join(dir, name), { force: true });
        }
      }
      // The caches of files that are gone (a chunk of an earlier version has another name) would
      // pile up: any not written for STALE_DAYS goes when the folder is written, which is when a
      // new build or version is first run. One still in use is written again by its next runs.
      const written = new Set(unsaved.map((entry) => entry.file));
      const oldest = Date.now() - STALE_DAYS * 24 * 60 * 60 * 1000;
      for (const name of present) {
        const path = join(dir, name);
        const mtime = name.endsWith(".bin") && !written.has(path) ? statSync(path, { throwIfNoEntry: false })?.mtimeMs : undefined;
        if (mtime !== undefined && mtime < oldest) rmSync(path, { force: true });
      }
    } catch {
      // A cache that cannot be written costs the next run time, nothing else.
    }
  }
}

/** How the bundle's chunks require each other: by file name, in their own folder. */
const SIBLING = /^\.\/[\w.-]+\.js$/;

/**
 * The file that `id`, required by `parent`, names when it can be loaded without Node's search: a
 * chunk of the bundle that names another ("./chunk-B8ZNNABv.js"), or a CommonJS file under `root`
 * named by its full path (a precompiled validator). Else undefined: Node finds it.
 */
function directPath(parent: ModuleInstance, id: string, root: string): string | undefined {
  if (id.startsWith("./"))
    return SIBLING.test(id) ? parent.filename.slice(0, parent.filename.lastIndexOf(sep) + 1) + id.slice(2) : undefined;
  return id.endsWith(".cjs") && id.startsWith(root) && normalize(id) === id ? id : undefined;
}

/**
 * The `require` a module's code is given, as Node's loader builds it, except that the files of
 * directPath() are loaded without Node's search.
 */
function requireFor(Module: ModuleClass, module: ModuleInstance, main: unknown, root: string): NodeJS.Require {
  const require = ((id: string) => {
    // Node's modules straight from Node, without its loader's search and hooks (a twentieth of the time).
    if (id.startsWith("node:")) return process.getBuiltinModule(id) ?? module.require(id);
    const filename = directPath(module, id, root);
    return filename === undefined ? module.require(id) : loadFile(Module, module, filename, id);
  }) as NodeJS.Require;
  require.resolve = ((request: string, options?: unknown) =>
    Module._resolveFilename(request, module, false, options)) as NodeJS.RequireResolve;
  require.main = main as NodeJS.Module;
  require.extensions = Module._extensions as NodeJS.Require["extensions"];
  require.cache = Module._cache as NodeJS.Require["cache"];
  return require;
}

/**
 * Loads the CommonJS file `filename` for `parent` as Node's loader does once it has found it: one
 * module object per path in require.cache (a cycle gets the exports so far), removed again when its
 * code throws. Finding it (a stat, the links of each folder, the package.json that says how to load
 * it) is most of what a require costs: on Node 22, 0.2 to 0.5 ms a file against 0.05 to load an
 * empty one this way. A file that cannot be read is left to Node (`parent.require(id)`), for its own
 * error.
 */
export function loadFile(Module: ModuleClass, parent: ModuleInstance, filename: string, id = filename): unknown {
  const known = Module._cache[filename];
  if (known !== undefined) return known.exports;
  let content: string;
  try {
    const bytes = readFileSync(filename);
    // The bundle's files are ASCII: read as Latin-1, the same string is made in half the time it
    // takes as UTF-8 (0.2 against 0.4 ms for the program's file).
    content = isAscii(bytes) ? bytes.toString("latin1") : bytes.toString("utf8");
  } catch {
    return parent.require(id);
  }
  const module = new Module(filename, parent);
  module.filename = filename;
  module.paths = parent.paths;
  Module._cache[filename] = module;
  let done = false;
  try {
    module._compile(content, filename, "commonjs");
    done = true;
  } finally {
    if (!done) delete Module._cache[filename];
  }
  module.loaded = true;
  return module.exports;
}

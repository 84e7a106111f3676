// The code cache that start-up reads (src/compile-cache.ts, installed by the bin on every Node).
// Through the bin, in its default folder under a temporary directory of the test's own; and the
// module alone: a child process installs it for a folder of small modules and requires them, once
// to write the cache and again to read it.
import { spawnSync } from "node:child_process";
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { STALE_DAYS, WRITES } from "../../src/compile-cache.js";
import { BIN, cliEnv, ROOT, runCli } from "../helpers/run-cli.js";
import { mountSmallDisk } from "../helpers/small-disk.js";

const COMPILE_CACHE = join(ROOT, "dist", "bundle", "compile-cache.js");

let work: string;
beforeEach(() => {
  work = mkdtempSync(join(tmpdir(), "wtbhook-compile-cache-test-"));
});
afterEach(() => {
  rmSync(work, { recursive: true, force: true });
});

/** Every file under `dir`, with its modification time and bytes. */
function snapshot(dir: string): Map<string, { mtimeMs: number; bytes: string }> {
  const files = new Map<string, { mtimeMs: number; bytes: string }>();
  for (const name of readdirSync(dir, { recursive: true })) {
    const path = join(dir, String(name));
    if (statSync(path).isFile()) files.set(String(name), { mtimeMs: statSync(path).mtimeMs, bytes: readFileSync(path, "base64") });
  }
  return files;
}

describe("the bin's compile cache", () => {
  /** The default folder of the cache, under TMPDIR=work. */
  const cacheIn = (): string => join(work, `wtbhook-compile-cache-${process.getuid!()}`);

  it("fills the cache folder over the first runs, then reads it back unchanged, with the same answer", async () => {
    const args = ["validate", "fixtures/user.created.json"];
    const uncached = await runCli(args, { env: { NODE_DISABLE_COMPILE_CACHE: "1" } });
    let filled = new Map<string, { mtimeMs: number; bytes: string }>();
    for (let run = 1; run <= WRITES + 1; run++) {
      const result = await runCli(args, { env: { TMPDIR: work } });
      expect(result.code).toBe(0);
      expect(result.stderr).toBe(uncached.stderr);
      expect(result.stdout.replace(/\(\d+ ms\)/, "")).toBe(uncached.stdout.replace(/\(\d+ ms\)/, ""));
      if (run === WRITES) filled = snapshot(cacheIn());
    }
    // One file per module loaded, in validate's folder, written by WRITES runs; then only read.
    expect(filled.size).toBeGreaterThan(3);
    expect([...filled.keys()].every((name) => /^wtbhook-v8-[^/]+\/validate\/\w+-\d+-\d+\.bin$/.test(name))).toBe(true);
    expect([...filled.values()].map((file) => Buffer.from(file.bytes, "base64")[0])).toEqual([...filled.keys()].map(() => WRITES));
    expect(snapshot(cacheIn())).toEqual(filled);
  });

  it("keeps a cache per command, and for its help: one's cache lacks what another runs", async () => {
    const runs = [
      ["validate", "--help"],
      ["validate", "fixtures/user.created.json"],
      ["--help"],
      ["--version"],
      ["__complete", "send", "--sc"],
    ];
    for (const args of runs) expect((await runCli(args, { env: { TMPDIR: work } })).code).toBe(0);
    const variants = readdirSync(cacheIn()).flatMap((v8) => readdirSync(join(cacheIn(), v8)));
    expect(variants.sort()).toEqual(["__complete", "other", "other-help", "validate", "validate-help"]);
  });

  it("on a full disk, still answers and leaves no half-written file", async () => {
    const args = ["validate", "fixtures/user.created.json"];
    const uncached = await runCli(args, { env: { NODE_DISABLE_COMPILE_CACHE: "1" } });
    // What the cache holds on a disk with room: a disk that takes the largest file (the program's,
    // written first) and a little more cannot take them all.
    expect((await runCli(args, { env: { TMPDIR: work } })).code).toBe(0);
    const sizes = [...snapshot(cacheIn()).values()].map((file) => Buffer.from(file.bytes, "base64").length);
    const disk = mountSmallDisk(Math.max(...sizes) + 16 * 1024);
    try {
      for (let i = 0; i < 2; i++) {
        const run = await runCli(args, { env: { TMPDIR: disk.dir } });
        expect(run.code).toBe(0);
        expect(run.stderr).toBe(uncached.stderr);
        expect(run.stdout.replace(/\(\d+ ms\)/, "")).toBe(uncached.stdout.replace(/\(\d+ ms\)/, ""));
      }
      const files = [...snapshot(disk.dir).keys()];
      // Some fitted, not all, and nothing is left half-written.
      expect(files.length).toBeGreaterThan(0);
      expect(files.length).toBeLessThan(sizes.length);
      expect(files.filter((name) => !name.endsWith(".bin"))).toEqual([]);
    } finally {
      disk.unmount();
    }
  });

  it("loads the program's files without Node's search for them", () => {
    // A preload that logs what Node's loader is asked to find, and the files in require.cache.
    const preload = join(work, "searched.cjs");
    const log = join(work, "searched.json");
    writeFileSync(
      preload,
      [
        `const Module = require("node:module");`,
        `const searched = [];`,
        `const resolve = Module._resolveFilename;`,
        `Module._resolveFilename = function (request, ...rest) { const file = resolve.call(this, request, ...rest); searched.push(file); return file; };`,
        `process.on("exit", () => require("node:fs").writeFileSync(${JSON.stringify(log)}, JSON.stringify({ searched, cached: Object.keys(Module._cache) })));`,
      ].join("\n"),
    );
    const program = (file: string): boolean => file.startsWith(join(ROOT, "dist"));
    const run = (args: string[], env: Record<string, string>): { searched: string[]; cached: string[] } => {
      const result = spawnSync(process.execPath, ["-r", preload, BIN, ...args], { cwd: ROOT, env: cliEnv(env), encoding: "utf8" });
      expect(result.status, result.stderr).toBe(0);
      return JSON.parse(readFileSync(log, "utf8")) as { searched: string[]; cached: string[] };
    };
    for (const args of [
      ["validate", "fixtures/user.created.json"],
      ["send", "user.created", "--dry-run"],
    ]) {
      const { searched, cached } = run(args, { TMPDIR: work });
      // The control: the program's files were loaded (a validator too, for validate).
      expect(cached.filter(program).length, args.join(" ")).toBeGreaterThanOrEqual(2);
      if (args[0] === "validate") expect(cached).toContain(join(ROOT, "dist", "catalog", "validators", "user.created.cjs"));
      // Node found the bin (the main module) and nothing of the program.
      expect(searched.filter(program), args.join(" ")).toEqual([]);
    }
    // The other control: without the cache, Node's loader loads the chunks, and the log sees it.
    expect(run(["validate", "fixtures/user.created.json"], { NODE_DISABLE_COMPILE_CACHE: "1" }).searched.filter(program)).not.toEqual([]);
  });

  it("writes nothing under NODE_DISABLE_COMPILE_CACHE", async () => {
    const run = await runCli(["--version"], { env: { TMPDIR: work, NODE_DISABLE_COMPILE_CACHE: "1" } });
    expect(run.code).toBe(0);
    expect(readdirSync(work)).toEqual([]);
  });
});

describe("installCompileCache", () => {
  const root = (): string => join(work, "program");
  const cache = (): string => join(work, "cache");
  // A main module outside the cached root that installs the cache and requires the program.
  const main = (): string => join(work, "main.cjs");

  beforeEach(() => {
    mkdirSync(root());
    writeFileSync(join(root(), "a.js"), `exports.answer = () => require("./b.js").base * 2 + (require.main === module ? 1 : 0);\n`);
    writeFileSync(join(root(), "b.js"), `exports.base = 21;\nexports.file = __filename;\n`);
    writeFileSync(
      main(),
      [
        `require(${JSON.stringify(COMPILE_CACHE)}).installCompileCache({ Module: module.constructor, root: ${JSON.stringify(root())}, main: module });`,
        `const a = require(${JSON.stringify(join(root(), "a.js"))});`,
        `const b = require(${JSON.stringify(join(root(), "b.js"))});`,
        `process.stdout.write(JSON.stringify({ answer: a.answer(), file: b.file, main: require.main === module }));`,
      ].join("\n"),
    );
  });

  const run = (env: Record<string, string | undefined> = {}): { status: number | null; stdout: string; stderr: string } => {
    const result = spawnSync(process.execPath, [main()], { env: cliEnv({ NODE_COMPILE_CACHE: cache(), ...env }), encoding: "utf8" });
    return { status: result.status, stdout: result.stdout, stderr: result.stderr };
  };
  const expected = (): string => JSON.stringify({ answer: 42, file: join(root(), "b.js"), main: true });
  const binFiles = (): string[] => [...snapshot(cache()).keys()].filter((name) => name.endsWith(".bin")).sort();

  it("writes each module's cache at the first runs, each adding what it compiled, then reads it back unchanged", () => {
    // b.js has a function that only the later runs call: the first run's cache lacks its code.
    const b = join(root(), "b.js");
    writeFileSync(b, `exports.base = 21;\nexports.file = __filename;\nexports.later = () => [1, 2, 3].map((n) => n * 2).join("+");\n`);
    writeFileSync(main(), readFileSync(main(), "utf8") + `\nif (process.env.LATER) b.later();\n`);
    const cacheOfB = (): Buffer => {
      const name = binFiles().find((file) => file.includes(`-${statSync(b).size}-`));
      return readFileSync(join(cache(), name!));
    };
    const writes: number[] = [];
    const sizes: number[] = [];
    for (let round = 1; round <= WRITES; round++) {
      expect(run(round === 1 ? {} : { LATER: "1" })).toEqual({ status: 0, stdout: expected(), stderr: "" });
      expect(binFiles()).toHaveLength(2);
      writes.push(cacheOfB()[0]!);
      sizes.push(cacheOfB().length);
    }
    expect(writes).toEqual(Array.from({ length: WRITES }, (_, i) => i + 1));
    expect(sizes[1]).toBeGreaterThan(sizes[0]!);
    const written = snapshot(cache());

    expect(run({ LATER: "1" })).toEqual({ status: 0, stdout: expected(), stderr: "" });
    expect(snapshot(cache())).toEqual(written);
  });

  it("removes, when it writes, the caches not written for STALE_DAYS (of files that are gone), and keeps the others", () => {
    run();
    const own = binFiles();
    const day = 24 * 60 * 60;
    const folder = dirname(join(cache(), own[0]!));
    // What an earlier version's chunks left: one written long ago, one recently, and a file that is not a cache.
    const gone = join(folder, "zzgone-100-1.bin");
    const recent = join(folder, "zzrecent-100-1.bin");
    const other = join(folder, "notes.txt");
    for (const file of [gone, recent, other]) writeFileSync(file, "x");
    const longAgo = Date.now() / 1000 - (STALE_DAYS + 1) * day;
    utimesSync(gone, longAgo, longAgo);
    utimesSync(other, longAgo, longAgo);
    utimesSync(recent, Date.now() / 1000 - (STALE_DAYS - 1) * day, Date.now() / 1000 - (STALE_DAYS - 1) * day);
    // The program's own caches are old too, but a run that reads them writes nothing: nothing goes.
    for (const name of own) utimesSync(join(cache(), name), longAgo, longAgo);
    // The first run's write was the first of WRITES: the next run writes the caches again, and
    // the stale one goes then.
    expect(run()).toEqual({ status: 0, stdout: expected(), stderr: "" });
    expect(binFiles()).toEqual(expect.arrayContaining(own));
    expect(existsSync(gone)).toBe(false);
    expect(existsSync(recent)).toBe(true);
    expect(existsSync(other)).toBe(true);
  });

  it("replaces a cache file that V8 turns down, and the program still runs", () => {
    run();
    const [first] = binFiles();
    const garbage = Buffer.from("not V8's code cache").toString("base64");
    writeFileSync(join(cache(), first!), Buffer.from(garbage, "base64"));

    expect(run()).toEqual({ status: 0, stdout: expected(), stderr: "" });
    expect(readFileSync(join(cache(), first!), "base64")).not.toBe(garbage);
    expect(binFiles()).toHaveLength(2);
  });

  it("writes a new cache for a changed module and removes the old one", () => {
    run();
    const before = binFiles();
    writeFileSync(join(root(), "b.js"), `exports.base = 20;\nexports.file = __filename; // changed\n`);

    const changed = run();
    expect(changed.status).toBe(0);
    expect(JSON.parse(changed.stdout)).toMatchObject({ answer: 40 });
    const after = binFiles();
    expect(after).toHaveLength(2);
    expect(after.filter((name) => before.includes(name))).toHaveLength(1);
  });

  /**
   * Rewrites b.js with other code of the same length and modification time: the cache's key still
   * matches, so a run that reads the cache runs the code compiled before (a way to see that it does).
   */
  const swapCodeUnderCache = (): void => {
    const file = join(root(), "b.js");
    writeFileSync(file, readFileSync(file, "utf8").replace("21", "31"));
    utimesSync(file, SOME_SECOND, SOME_SECOND);
  };
  // Whole seconds: a time read from stat and set again through utimes loses its sub-milliseconds.
  const SOME_SECOND = 1_700_000_000;

  it("runs the code it cached instead of compiling the module again", () => {
    utimesSync(join(root(), "b.js"), SOME_SECOND, SOME_SECOND);
    run();
    swapCodeUnderCache();
    expect(JSON.parse(run().stdout)).toMatchObject({ answer: 42 });
    expect(JSON.parse(run({ NODE_DISABLE_COMPILE_CACHE: "1" }).stdout)).toMatchObject({ answer: 62 });
  });

  it("neither reads nor writes a folder that others can write to", () => {
    utimesSync(join(root(), "b.js"), SOME_SECOND, SOME_SECOND);
    run();
    swapCodeUnderCache();
    const [first] = binFiles();
    chmodSync(join(cache(), dirname(first!)), 0o777);
    const before = snapshot(cache());

    expect(JSON.parse(run().stdout)).toMatchObject({ answer: 62 });
    expect(snapshot(cache())).toEqual(before);
  });

  it("neither reads nor writes a folder inside one that others can write to", () => {
    utimesSync(join(root(), "b.js"), SOME_SECOND, SOME_SECOND);
    run();
    swapCodeUnderCache();
    chmodSync(cache(), 0o777);
    const before = snapshot(cache());

    expect(JSON.parse(run().stdout)).toMatchObject({ answer: 62 });
    expect(snapshot(cache())).toEqual(before);
  });

  it("keeps each variant in a folder of its own, and takes a variant only as a folder name", () => {
    const variantMain = (variant: string): void =>
      writeFileSync(
        main(),
        readFileSync(main(), "utf8").replace(/main: module(, variant: [^}]*)? \}/, `main: module, variant: ${JSON.stringify(variant)} }`),
      );
    variantMain("validate");
    expect(run().status).toBe(0);
    variantMain("other");
    expect(run().status).toBe(0);
    variantMain("../../escape");
    expect(run().status).toBe(0);
    const folders = [...new Set(binFiles().map((name) => dirname(name)))].sort();
    expect(folders).toHaveLength(3);
    expect(folders.map((folder) => folder.split("/").slice(1).join("/"))).toEqual(["", "other", "validate"]);
    expect(readdirSync(work).sort()).toEqual(["cache", "main.cjs", "program"]);
  });

  it("leaves modules outside the root to Node", () => {
    writeFileSync(join(work, "outside.js"), `exports.ok = true;\n`);
    writeFileSync(main(), readFileSync(main(), "utf8") + `\nrequire(${JSON.stringify(join(work, "outside.js"))});\n`);
    expect(run().status).toBe(0);
    expect(binFiles()).toHaveLength(2);
  });

  it("loads a module's sibling, or a .cjs file of the root by its full path, without Node's search, and as Node's loader would", () => {
    // c.js and d.js require each other; bad.js throws as it loads; sub/e.js is not a sibling;
    // sub/f.cjs is named by its full path, once as it is and once through "..", which is Node's to
    // resolve; g.js is not ASCII.
    writeFileSync(
      join(root(), "c.js"),
      [
        `exports.early = "c";`,
        `const d = require("./d.js");`,
        `exports.d = d;`,
        `exports.again = require("./d.js") === d;`,
        `exports.sub = require("./sub/e.js").name;`,
        `const bad = [];`,
        `for (let i = 0; i < 2; i++) try { require("./bad.js"); } catch (error) { bad.push(error.message); }`,
        `exports.bad = bad;`,
        `exports.badKept = Object.keys(require.cache).some((file) => file.endsWith("bad.js"));`,
        `try { require("./nosuch.js"); } catch (error) { exports.missing = error.code; }`,
        `exports.f = require(${JSON.stringify(join(root(), "sub", "f.cjs"))}).name;`,
        `exports.fAgain = require(${JSON.stringify(`${root()}/sub/../sub/f.cjs`)}) === require(${JSON.stringify(join(root(), "sub", "f.cjs"))});`,
        `exports.g = require("./g.js").text;`,
        `exports.builtin = require("node:path") === process.getBuiltinModule("node:path");`,
        `const entry = require.cache[__dirname + "/d.js"];`,
        `exports.entry = { loaded: entry.loaded, parent: entry.parent === module, children: module.children.includes(entry) };`,
      ].join("\n"),
    );
    writeFileSync(
      join(root(), "d.js"),
      `exports.sawC = { ...require("./c.js") };\nexports.file = __filename;\nexports.main = require.main === process.mainModule;\n`,
    );
    writeFileSync(join(root(), "bad.js"), `throw new Error("bad at load");\n`);
    mkdirSync(join(root(), "sub"));
    writeFileSync(join(root(), "sub", "e.js"), `exports.name = "e";\n`);
    writeFileSync(join(root(), "sub", "f.cjs"), `exports.name = "f";\n`);
    writeFileSync(join(root(), "g.js"), `exports.text = "\u2713 gr\u00fc\u00df";\n`);
    writeFileSync(
      main(),
      [
        `const Module = module.constructor;`,
        `const searched = [];`,
        `const resolve = Module._resolveFilename;`,
        `Module._resolveFilename = function (request, ...rest) { searched.push(request); return resolve.call(this, request, ...rest); };`,
        `const loaded = [];`,
        `const load = Module._load;`,
        `Module._load = function (request, ...rest) { loaded.push(request); return load.call(this, request, ...rest); };`,
        `require(${JSON.stringify(COMPILE_CACHE)}).installCompileCache({ Module, root: ${JSON.stringify(root())}, main: module });`,
        `searched.length = 0;`,
        `loaded.length = 0;`,
        `const c = require(${JSON.stringify(join(root(), "c.js"))});`,
        `process.stdout.write(JSON.stringify({ c, searched, builtinsThroughNode: loaded.filter((id) => id.startsWith("node:")) }));`,
      ].join("\n"),
    );

    for (const attempt of ["writes the cache", "reads it"]) {
      const result = run();
      expect(result.stderr, attempt).toBe("");
      expect(JSON.parse(result.stdout), attempt).toEqual({
        c: {
          early: "c",
          d: { sawC: { early: "c" }, file: join(root(), "d.js"), main: true },
          again: true,
          sub: "e",
          bad: ["bad at load", "bad at load"],
          badKept: false,
          missing: "MODULE_NOT_FOUND",
          f: "f",
          fAgain: true,
          g: "\u2713 gr\u00fc\u00df",
          builtin: true,
          entry: { loaded: true, parent: true, children: true },
        },
        // Node searched for what main required, what is not a sibling, what does not exist and the
        // path through ".."; not for the others, nor for Node's own modules.
        searched: [join(root(), "c.js"), "./sub/e.js", "./nosuch.js", `${root()}/sub/../sub/f.cjs`],
        builtinsThroughNode: [],
      });
    }
  });

  it("does nothing under NODE_DISABLE_COMPILE_CACHE", () => {
    expect(run({ NODE_DISABLE_COMPILE_CACHE: "1" })).toEqual({ status: 0, stdout: expected(), stderr: "" });
    expect(() => readdirSync(cache())).toThrow(/ENOENT/);
  });
});

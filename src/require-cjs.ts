// The one way wtbhook's ES modules load CommonJS code at run time: packages (undici's pieces, ajv)
// and files by their full path (the precompiled validators). The bundled program is CommonJS, and
// its own require serves: through the bin's loader, a file of wtbhook's is loaded by its path
// without Node's search. createRequire, which the library (ES modules) needs, would first load
// node:module, 0.3 to 0.5 ms of every start on Node 22; it is made on first use there.

let created: NodeJS.Require | undefined;

/** Requires `id`, a package's module or a file by its full path. */
export function requireCjs(id: string): unknown {
  // Read through a cast, inline, as validators.ts does: scripts/build.mjs defines it as true.
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the bundle's own CommonJS require, on purpose
  if ((import.meta as ImportMeta & { readonly wtbhookBundled?: true }).wtbhookBundled) return require(id);
  created ??= process.getBuiltinModule("node:module").createRequire(import.meta.url);
  return created(id);
}

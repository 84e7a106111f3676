// The reason phrase of an HTTP status ("OK", "Not Found"), from node:http's table. node:http is
// loaded the first time one is shown, not when the module loads: loading it costs start-up, and a
// dry run or a validation shows none (a delivery has loaded it through undici by then).

let phrases: Readonly<Record<number, string | undefined>> | undefined;

/** "Not Found" for 404; "" for a status without one. */
export function statusText(status: number): string {
  phrases ??= process.getBuiltinModule("node:http").STATUS_CODES;
  return phrases[status] ?? "";
}

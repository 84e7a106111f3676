// The one progress line (send's bar, validate's "validating …"): when it draws, how it fits, how other output passes it.
import { setImmediate as nextTurn } from "node:timers/promises";

import { describe, expect, it } from "vitest";

import { terminalLayout } from "../../../src/terminal/fit.js";
import { createProgressLine } from "../../../src/terminal/progress-line.js";

function terminal(columns = 80): { isTTY: true; columns: number; writes: string[]; write(chunk: string | Uint8Array): boolean } {
  const writes: string[] = [];
  return { isTTY: true, columns, writes, write: (chunk) => writes.push(String(chunk)) > 0 };
}

function setup(options: { delayMs?: number; columns?: number } = {}) {
  let now = 0;
  const stream = terminal(options.columns);
  const line = createProgressLine({ stream, layout: terminalLayout(stream), delayMs: options.delayMs ?? 1000, now: () => now });
  return { line, stream, advance: (ms: number) => (now += ms) };
}

describe("progress line", () => {
  it("stays quiet before its delay, and never asks for the text then", async () => {
    const { line, stream, advance } = setup();
    advance(999);
    line.update(() => {
      throw new Error("not due");
    });
    await nextTurn();
    line.clear();
    expect(stream.writes).toEqual([]);
  });

  it("then draws in place at the end of the turn, at most every 100 ms, the final step always, and clears once", async () => {
    const { line, stream, advance } = setup();
    advance(1000);
    line.update(() => "1 of 3");
    await nextTurn();
    advance(50);
    line.update(() => "2 of 3");
    await nextTurn();
    line.update(() => "3 of 3", true);
    await nextTurn();
    line.clear();
    line.clear();
    expect(stream.writes).toEqual(["\r\u001b[K1 of 3", "\r\u001b[K3 of 3", "\r\u001b[K"]);
  });

  it("draws once per turn however often it is offered progress", async () => {
    const { line, stream } = setup({ delayMs: 0 });
    for (let i = 1; i <= 5; i++) line.update(() => `${i}`, true);
    await nextTurn();
    expect(stream.writes).toEqual(["\r\u001b[K5"]);
  });

  it("writes lines above itself in one write, and stays under them", async () => {
    const { line, stream } = setup({ delayMs: 0 });
    line.update(() => "[###] 1/2");
    line.writeAbove(stream, "a line\n");
    await nextTurn();
    expect(stream.writes).toEqual(["\r\u001b[Ka line\n[###] 1/2"]);
  });

  it("gets out of the way of another stream on the same screen, and comes back at the next drawing", async () => {
    const { line, stream } = setup({ delayMs: 0 });
    const other = terminal();
    line.update(() => "bar", true);
    await nextTurn();
    line.writeAbove(other, "{}\n");
    expect(stream.writes).toEqual(["\r\u001b[Kbar", "\r\u001b[K"]);
    expect(other.writes).toEqual(["{}\n"]);
    line.update(() => "bar again", true);
    await nextTurn();
    expect(stream.writes.at(-1)).toBe("\r\u001b[Kbar again");
  });

  it("fits the width read at each drawing, and keeps outside text terminal-safe", async () => {
    const { line, stream } = setup({ delayMs: 0, columns: 40 });
    line.update(() => `validating evil\u001b]0;title\u0007${"x".repeat(200)}`, true);
    await nextTurn();
    expect(stream.writes[0]).not.toMatch(/\u001b\]|\u0007/);
    expect(stream.writes[0]).toBe(`\r\u001b[Kvalidating evil\\e]0;title\\x07${"x".repeat(9)}…`);
    stream.columns = 20;
    line.update(() => "y".repeat(100), true);
    await nextTurn();
    expect(stream.writes.at(-1)).toBe(`\r\u001b[K${"y".repeat(18)}…`);
  });

  it("does not draw after a clear that came before the end of the turn", async () => {
    const { line, stream } = setup({ delayMs: 0 });
    line.update(() => "late", true);
    line.clear();
    await nextTurn();
    expect(stream.writes).toEqual([]);
  });
});

// The one batched writer: one write per turn, early past a size, held until released, above a progress line.
import { setImmediate as nextTurn } from "node:timers/promises";

import { describe, expect, it } from "vitest";

import { createBatchedWriter } from "../../../src/terminal/batched-writer.js";
import { terminalLayout } from "../../../src/terminal/fit.js";
import { createProgressLine } from "../../../src/terminal/progress-line.js";

function stream(isTTY = false): { isTTY: boolean; columns: number; writes: string[]; write(chunk: string | Uint8Array): boolean } {
  const writes: string[] = [];
  return { isTTY, columns: 80, writes, write: (chunk) => writes.push(String(chunk)) > 0 };
}

describe("batched writer", () => {
  it("writes a turn's text in one write", async () => {
    const out = stream();
    const writer = createBatchedWriter(out);
    for (let i = 0; i < 1000; i++) writer.write(`line ${i}\n`);
    expect(out.writes).toEqual([]);
    await nextTurn();
    expect(out.writes).toHaveLength(1);
    expect(out.writes[0]!.split("\n")).toHaveLength(1001);
  });

  it("writes at once past its size limit, keeping the order", async () => {
    const out = stream();
    const writer = createBatchedWriter(out, { maxPending: 10 });
    writer.write("12345");
    writer.write("678901");
    writer.write("x");
    expect(out.writes).toEqual(["12345678901"]);
    await nextTurn();
    expect(out.writes).toEqual(["12345678901", "x"]);
  });

  it("flush writes now, and twice is fine", () => {
    const out = stream();
    const writer = createBatchedWriter(out);
    writer.write("a\n");
    writer.flush();
    writer.flush();
    expect(out.writes).toEqual(["a\n"]);
  });

  it("holds everything until released (listen's lines wait for its ready line)", async () => {
    const out = stream();
    const writer = createBatchedWriter(out, { held: true });
    writer.write("early\n");
    await nextTurn();
    writer.flush();
    expect(out.writes).toEqual([]);
    writer.write("later\n");
    writer.release();
    expect(out.writes).toEqual(["early\nlater\n"]);
  });

  it("writes above a progress line on the same screen", async () => {
    const err = stream(true);
    const progress = createProgressLine({ stream: err, layout: terminalLayout(err) });
    const writer = createBatchedWriter(err, { progress });
    writer.write("✔ one\n");
    progress.update(() => "[#---] 1/4", true);
    await nextTurn();
    expect(err.writes).toEqual(["\r\u001b[K✔ one\n[#---] 1/4"]);
    // Drawn before the lines came: they still go above it.
    progress.update(() => "[##--] 2/4", true);
    await nextTurn();
    writer.write("✔ two\n");
    await nextTurn();
    expect(err.writes.slice(1)).toEqual(["\r\u001b[K[##--] 2/4", "\r\u001b[K✔ two\n[##--] 2/4"]);
  });
});

import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { afterEach, describe, expect, it } from "vitest";

import { readLineAt, readLinesAt, readNewestLines, type LineAt } from "../../../src/record/read-back.js";

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A file of `count` lines of varied lengths (some multi-byte), over several 1 MiB chunks; returns it and each line's offset. */
function file(count: number): { path: string; lines: string[]; offsets: number[] } {
  const dir = mkdtempSync(join(tmpdir(), "wtbhook-read-back-"));
  dirs.push(dir);
  const lines = Array.from({ length: count }, (_, i) => `{"n":${i},"pad":"${"é".repeat(i % 97)}${"x".repeat((i * 7) % 113)}"}`);
  const offsets: number[] = [];
  let at = 0;
  for (const line of lines) {
    offsets.push(at);
    at += Buffer.byteLength(line) + 1;
  }
  const path = join(dir, "lines.ndjson");
  writeFileSync(path, `${lines.join("\n")}\n`);
  return { path, lines, offsets };
}

describe("reading a recording back", () => {
  it("reads the newest lines backwards across chunk boundaries, each with its byte offset", async () => {
    const { path, lines, offsets } = file(20_000);
    const got: LineAt[] = [];
    const result = await readNewestLines(path, { maxLines: 15_000, maxBytes: Infinity, onLines: (batch) => void got.push(...batch) });
    expect(result.truncated).toBe(true);
    expect(got).toHaveLength(15_000);
    expect(got.map((line) => line.text)).toEqual(lines.slice(5_000).reverse());
    expect(got.map((line) => line.offset)).toEqual(offsets.slice(5_000).reverse());
    const all: LineAt[] = [];
    expect(
      (await readNewestLines(path, { maxLines: 50_000, maxBytes: Infinity, onLines: (batch) => void all.push(...batch) })).truncated,
    ).toBe(false);
    expect(all).toHaveLength(20_000);
    expect((await readNewestLines(join(path, "..", "missing"), { maxLines: 5, maxBytes: 5, onLines: () => undefined })).truncated).toBe(
      false,
    );
  });

  it("reads the lines at given offsets, in any order, and one line at an offset", async () => {
    const { path, lines, offsets } = file(20_000);
    const wanted = [19_999, 0, 7_000, 7_001, 12_345, 3];
    const got = new Map<number, string>();
    await readLinesAt(
      path,
      wanted.map((i) => offsets[i]!),
      1024 * 1024,
      (offset, text) => got.set(offset, text),
    );
    for (const i of wanted) expect(got.get(offsets[i]!)).toBe(lines[i]);
    expect(await readLineAt(path, offsets[10_000]!, 1024)).toBe(lines[10_000]);
    expect(await readLineAt(path, offsets[10_000]!, 10)).toBeUndefined();
  });
});

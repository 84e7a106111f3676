import { setImmediate as nextTurn } from "node:timers/promises";

import { describe, expect, it } from "vitest";

import { createSendReporter } from "../../../src/commands/send-reporter.js";
import { plainStyle } from "../../../src/format/style.js";

function stream(
  isTTY: boolean,
  rows?: number,
): { isTTY: boolean; rows?: number; writes: string[]; write(chunk: string | Uint8Array): boolean } {
  const writes: string[] = [];
  return { isTTY, ...(rows === undefined ? {} : { rows }), writes, write: (chunk) => writes.push(String(chunk)) > 0 };
}

const view = {
  time: new Date(2026, 0, 1, 0, 0, 0, 0),
  type: "user.created",
  id: 1,
  attempt: 1,
  maxAttempts: 1,
  status: 200,
  ok: true,
  ms: 1,
  error: undefined,
  fault: undefined,
  location: undefined,
  body: Buffer.alloc(0),
  truncated: false,
};

describe("send reporter", () => {
  it("batches attempt lines into one write per turn, and none on stdout", async () => {
    const stdout = stream(false);
    const stderr = stream(false);
    const reporter = createSendReporter({ stdout, stderr, style: plainStyle, json: false, total: 3 });
    for (let id = 1; id <= 3; id++) {
      reporter.attempt({ ...view, id });
      reporter.delivered(id, 3);
    }
    expect(stderr.writes).toEqual([]);
    await nextTurn();
    expect(stderr.writes).toHaveLength(1);
    expect(stderr.writes[0]!.split("\n").filter(Boolean)).toHaveLength(3);
    reporter.finish();
    expect(stdout.writes).toEqual([]);
    expect(stderr.writes.join("")).not.toContain("[#");
  });

  it("draws a progress bar under the lines on a TTY and clears it at the end", async () => {
    const stderr = stream(true);
    const reporter = createSendReporter({ stdout: stream(false), stderr, style: plainStyle, json: false, total: 2 });
    reporter.attempt(view);
    reporter.delivered(1, 2);
    reporter.attempt({ ...view, id: 2 });
    reporter.delivered(2, 2);
    await nextTurn();
    const text = stderr.writes.join("");
    expect(text).toMatch(/^\r\u001b\[K✔ .*\n✔ .*\n\[#+\] 2\/2 100% \d+\/s$/);
    reporter.finish();
    expect(stderr.writes.at(-1)).toBe("\r\u001b[K");
  });

  it("--json puts exactly one object per attempt on stdout", () => {
    const stdout = stream(false);
    const stderr = stream(false);
    const reporter = createSendReporter({ stdout, stderr, style: plainStyle, json: true, total: 1 });
    reporter.attempt(view);
    reporter.finish();
    expect(stdout.writes.join("")).toBe('{"type":"user.created","id":1,"attempt":1,"status":200,"ok":true,"ms":1,"error":null}\n');
    expect(stderr.writes).toEqual([]);
  });

  describe("load mode on a terminal: more deliveries than rows", () => {
    /** 30 deliveries, every tenth a 503, through a reporter on a 20-row terminal (or a pipe). */
    async function run(options: { tty: boolean; verbose?: boolean; json?: boolean }): Promise<{ out: string; err: string }> {
      const stdout = stream(false);
      const stderr = stream(options.tty, 20);
      const reporter = createSendReporter({
        stdout,
        stderr,
        style: plainStyle,
        json: options.json ?? false,
        total: 30,
        verbose: options.verbose,
      });
      for (let id = 1; id <= 30; id++) {
        const failed = id % 10 === 0;
        reporter.attempt({ ...view, id, ok: !failed, status: failed ? 503 : 200 });
        reporter.delivered(id, 30);
      }
      await nextTurn();
      reporter.finish();
      return { out: stdout.writes.join(""), err: stderr.writes.join("") };
    }
    const lines = (text: string, pattern: RegExp): number => text.split(/\n|\r\u001b\[K/).filter((line) => pattern.test(line)).length;

    it("shows the failures and the bar only, and says so once", async () => {
      const { err } = await run({ tty: true });
      expect(err).toContain("Showing failures only: 30 deliveries are more than a screenful (-v shows every one).");
      expect(lines(err, /^✖ .* 503 /)).toBe(3);
      expect(lines(err, /^✔ /)).toBe(0);
      expect(err).toMatch(/\[#+\] 30\/30 100%/);
    });

    it.each([
      ["-v on a terminal", { tty: true, verbose: true }],
      ["a pipe", { tty: false }],
    ])("%s shows every delivery", async (_name, options) => {
      const { err } = await run(options);
      expect(lines(err, /^✔ /)).toBe(27);
      expect(lines(err, /^✖ /)).toBe(3);
      expect(err).not.toContain("Showing failures only");
    });

    it("--json is unchanged: every attempt on stdout", async () => {
      const { out, err } = await run({ tty: true, json: true });
      expect(out.trim().split("\n")).toHaveLength(30);
      expect(err).not.toContain("Showing failures only");
    });
  });
});

import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { DIRECT_BYTES, processOutput, surelyNotTerminal, type ProcessOutputOptions } from "../../../src/terminal/process-output.js";

let dir: string;
const fds: number[] = [];
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "wtbhook-output-"));
});
afterEach(() => {
  for (const fd of fds.splice(0)) closeSync(fd);
  rmSync(dir, { recursive: true, force: true });
});

/** A descriptor open for writing on `path`. */
function open(path: string): number {
  const fd = openSync(path, "w");
  fds.push(fd);
  return fd;
}

/** A stand-in for Node's stream: what was written through it, and whether anything opened it. */
function fakeStream(isTTY: boolean): { stream: NodeJS.WriteStream; written: string[] } {
  const written: string[] = [];
  const stream = {
    isTTY,
    columns: isTTY ? 100 : undefined,
    rows: isTTY ? 30 : undefined,
    write(chunk: string | Uint8Array) {
      written.push(Buffer.from(chunk).toString());
      return true;
    },
  } as unknown as NodeJS.WriteStream;
  return { stream, written };
}

function output(fd: number, options: Partial<ProcessOutputOptions> & { isTTY?: boolean } = {}) {
  const { stream, written } = fakeStream(options.isTTY ?? false);
  const events: string[] = [];
  const out = processOutput(fd, {
    open: () => {
      events.push("open");
      return stream;
    },
    onOpen: () => events.push("onOpen"),
    onBrokenPipe: () => events.push("broken pipe"),
    ...options,
  });
  return { out, written, events };
}

describe("surelyNotTerminal", () => {
  it("knows files and the null device are not terminals, without asking the terminal code", () => {
    expect(surelyNotTerminal(open(join(dir, "out.txt")))).toBe(true);
    expect(surelyNotTerminal(open("/dev/null"))).toBe(true);
  });

  it("leaves other character devices and closed descriptors to Node's stream", () => {
    expect(surelyNotTerminal(open("/dev/zero"))).toBe(false);
    const fd = openSync(join(dir, "closed.txt"), "w");
    closeSync(fd);
    expect(surelyNotTerminal(fd)).toBe(false);
  });
});

describe("processOutput", () => {
  it("writes text and bytes straight to a file, opening no stream", () => {
    const fd = open(join(dir, "out.txt"));
    const { out, events } = output(fd);
    expect(out.isTTY).toBe(false);
    expect(out.columns).toBeUndefined();
    expect(out.rows).toBeUndefined();
    expect(out.write("héllo ")).toBe(true);
    expect(out.write(new TextEncoder().encode("wörld\n"))).toBe(true);
    expect(readFileSync(join(dir, "out.txt"), "utf8")).toBe("héllo wörld\n");
    expect(events).toEqual([]);
    expect(out.opened()).toBeUndefined();
  });

  it("goes on after a partial write until every byte is written", () => {
    const fd = open(join(dir, "out.txt"));
    const calls: number[] = [];
    const { out } = output(fd, {
      // A descriptor that takes at most three bytes at a time.
      writeSync: (target, buffer, offset) => {
        calls.push(offset);
        return writeSync(target, buffer.subarray(offset, offset + 3));
      },
    });
    out.write("abcdefgh");
    expect(calls).toEqual([0, 3, 6]);
    expect(readFileSync(join(dir, "out.txt"), "utf8")).toBe("abcdefgh");
  });

  it("hands the rest to the stream when the descriptor would block, and sends every later write there, in order", () => {
    const fd = open(join(dir, "out.txt"));
    let calls = 0;
    const { out, written, events } = output(fd, {
      writeSync: () => {
        calls += 1;
        if (calls === 1) return 4;
        throw Object.assign(new Error("EAGAIN: resource temporarily unavailable, write"), { code: "EAGAIN" });
      },
    });
    out.write("abcdefgh");
    out.write("ij");
    expect(written).toEqual(["efgh", "ij"]);
    expect(events).toEqual(["open", "onOpen"]);
    expect(calls).toBe(2);
    expect(out.opened()).toBeDefined();
  });

  it("hands a long output to the stream past its first DIRECT_BYTES", () => {
    const fd = open(join(dir, "out.txt"));
    const { out, written, events } = output(fd);
    const first = "a".repeat(DIRECT_BYTES - 2);
    out.write(first);
    out.write("bcd");
    out.write("e");
    expect(readFileSync(join(dir, "out.txt"), "utf8")).toBe(first);
    expect(written).toEqual(["bcd", "e"]);
    expect(events).toEqual(["open", "onOpen"]);
  });

  it("reports a reader that went away, and opens nothing", () => {
    const fd = open(join(dir, "out.txt"));
    const { out, events } = output(fd, {
      writeSync: () => {
        throw Object.assign(new Error("EPIPE: broken pipe, write"), { code: "EPIPE" });
      },
    });
    expect(out.write("lost\n")).toBe(false);
    expect(events).toEqual(["broken pipe"]);
  });

  it("uses Node's stream for every descriptor when told not to write directly", () => {
    const { out, written, events } = output(open(join(dir, "out.txt")), { direct: false });
    out.write("kept by the stream\n");
    expect(written).toEqual(["kept by the stream\n"]);
    expect(readFileSync(join(dir, "out.txt"), "utf8")).toBe("");
    expect(events).toEqual(["open", "onOpen"]);
  });

  it("uses Node's stream for what may be a terminal", () => {
    const { out, written, events } = output(open("/dev/zero"), { isTTY: true });
    expect(out.isTTY).toBe(true);
    expect(out.columns).toBe(100);
    out.write("on screen\n");
    expect(written).toEqual(["on screen\n"]);
    expect(events).toEqual(["open", "onOpen"]);
  });
});

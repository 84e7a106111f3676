// `listen --record` against a full disk, kills, a crashed run's file, a FIFO and hostile payloads: real processes, real files.
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, unlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { afterEach, describe, expect, it } from "vitest";

import { loadFixture } from "../../src/catalog/catalog.js";
import { parseRecordLine } from "../../src/record/record.js";
import { postStatus, startListen, type ListenProcess } from "../helpers/listen-cli.js";
import { mountSmallDisk, smallDiskUnavailable } from "../helpers/small-disk.js";

const cleanup: (() => void)[] = [];
const running: ListenProcess[] = [];
afterEach(() => {
  for (const listen of running.splice(0)) listen.child.kill("SIGKILL");
  for (const step of cleanup.splice(0).reverse()) step();
});

function listen(args: string[]): ListenProcess {
  const started = startListen(args);
  running.push(started);
  return started;
}

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "wtbhook-durability-"));
  cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** user.created with its own id and a 3,000-character signature: the ev3k.json. */
function event3k(id: number): string {
  const event = JSON.parse(loadFixture("user.created").toString("utf8")) as { id: number; data: { object: { signature: string } } };
  event.id = id;
  event.data.object.signature = "s".repeat(3_000);
  return JSON.stringify(event);
}

/** The ids of a recording's lines; every line but those listed in `broken` (1-based) must be complete. */
function recordedIds(path: string, broken: readonly number[] = []): number[] {
  const text = readFileSync(path, "utf8");
  expect(text.endsWith("\n")).toBe(true);
  const ids: number[] = [];
  for (const [i, line] of text.slice(0, -1).split("\n").entries()) {
    if (broken.includes(i + 1)) {
      expect(() => parseRecordLine(line, i + 1, path)).toThrow(/incomplete/);
      continue;
    }
    const id = parseRecordLine(line, i + 1, path)?.id;
    if (id !== undefined) ids.push(id);
  }
  return ids;
}

const noDisk = smallDiskUnavailable();
const skipped = noDisk ? ` (skipped: ${noDisk})` : "";

describe("listen --record on a disk that fills up (a real 64 KiB tmpfs)", () => {
  it.skipIf(noDisk !== undefined)(
    `answers 500, never 2xx, to an event it could not write whole; the file keeps only whole lines and takes events again once there is room${skipped}`,
    async () => {
      const disk = mountSmallDisk(64 * 1024);
      cleanup.push(() => disk.unmount());
      const record = join(disk.dir, "rec.ndjson");
      const run = listen(["-p", "0", "--json", "--record", record]);
      const url = await run.ready;
      const statuses = new Map<number, number | string>();
      for (let id = 1; id <= 40; id++) statuses.set(id, await postStatus(url, event3k(id)));
      const acked = [...statuses].filter(([, status]) => status === 200).map(([id]) => id);
      expect(acked.length).toBeGreaterThan(5);
      expect([...statuses.values()].filter((status) => status !== 200).every((status) => status === 500)).toBe(true);
      // Every 2xx is in the file, whole; nothing else is.
      expect(recordedIds(record)).toEqual(acked);
      // Room again (the file is cut to its last lines by hand): the next event is a whole line.
      writeFileSync(record, readFileSync(record, "utf8").split("\n").slice(-3).join("\n"));
      expect(await postStatus(url, event3k(99))).toBe(200);
      expect(recordedIds(record).at(-1)).toBe(99);
      run.child.kill("SIGTERM");
      expect((await run.exited).code).toBe(0);
      expect(run.stderr()).toMatch(/\d+ could not be recorded \(answered 500\)/);
    },
    30_000,
  );
});

describe("listen --record after a crash", () => {
  it("ends the partial last line a killed run left, says so once, and records every later event as a whole line", async () => {
    const record = join(tempDir(), "rec.ndjson");
    writeFileSync(
      record,
      `{"kind":"request","v":1,"time":"2026-01-01T00:00:00.000Z","method":"POST","path":"/","headers":{},"body":"{\\"type\\":\\"user.cre`,
    );
    const run = listen(["-p", "0", "--record", record]);
    const url = await run.ready;
    for (const id of [2, 3, 4]) expect(await postStatus(url, event3k(id))).toBe(200);
    run.child.kill("SIGTERM");
    expect((await run.exited).code).toBe(0);
    expect(recordedIds(record, [1])).toEqual([2, 3, 4]);
    expect(run.stderr().match(/ended in an incomplete line/g)).toHaveLength(1);
    expect(run.stderr()).toContain(`⚠ ${record} ended in an incomplete line`);
  });

  it("a real SIGKILL in the middle of large writes: every event answered 2xx before it is in the file, and a restart goes on cleanly", async () => {
    const record = join(tempDir(), "rec.ndjson");
    const first = listen(["-p", "0", "--json", "--record", record]);
    const url = await first.ready;
    const acked: number[] = [];
    let next = 1;
    let killed = false;
    const big = (id: number): string => event3k(id).replace('"signature":"', `"signature":"${"k".repeat(200_000)}`);
    const sender = async (): Promise<void> => {
      while (!killed) {
        const id = next++;
        const status = await postStatus(url, big(id));
        if (status === 200) acked.push(id);
        else break;
        if (acked.length === 30 && !killed) {
          killed = true;
          first.child.kill("SIGKILL");
        }
      }
    };
    await Promise.all(Array.from({ length: 6 }, sender));
    expect((await first.exited).signal).toBe("SIGKILL");
    const second = listen(["-p", "0", "--json", "--record", record]);
    const again = await second.ready;
    for (const id of [1001, 1002, 1003]) expect(await postStatus(again, event3k(id))).toBe(200);
    second.child.kill("SIGTERM");
    expect((await second.exited).code).toBe(0);
    // At most one line (the one the kill cut) is incomplete, and it was ended on restart.
    const lines = readFileSync(record, "utf8").trimEnd().split("\n");
    const incomplete = lines.flatMap((line, i) => {
      try {
        parseRecordLine(line, i + 1, record);
        return [];
      } catch {
        return [i + 1];
      }
    });
    expect(incomplete.length).toBeLessThanOrEqual(1);
    const ids = recordedIds(record, incomplete);
    for (const id of acked) expect(ids).toContain(id);
    expect(ids.slice(-3)).toEqual([1001, 1002, 1003]);
  }, 30_000);
});

describe("listen --record, the file itself", () => {
  it("creates the recording 0600, and warns when it is deleted while listen runs, recording into a new file", async () => {
    const record = join(tempDir(), "rec.ndjson");
    const run = listen(["-p", "0", "--record", record]);
    const url = await run.ready;
    expect(statSync(record).mode & 0o777).toBe(0o600);
    expect(await postStatus(url, event3k(1))).toBe(200);
    unlinkSync(record);
    expect(await postStatus(url, event3k(2))).toBe(200);
    expect(await postStatus(url, event3k(3))).toBe(200);
    run.child.kill("SIGTERM");
    expect((await run.exited).code).toBe(0);
    expect(recordedIds(record)).toEqual([2, 3]);
    expect(run.stderr().match(/was deleted while recording/g)).toHaveLength(1);
  });

  it("refuses a FIFO at once with exit 2 instead of hanging deaf to Ctrl+C", async () => {
    const fifo = join(tempDir(), "events.fifo");
    execFileSync("mkfifo", [fifo]);
    const started = performance.now();
    const run = listen(["-p", "0", "--record", fifo]);
    expect((await run.exited).code).toBe(2);
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(run.stderr()).toContain(`✖ --record ${fifo} is a FIFO, not a regular file`);
  });
});

describe("listen -v and hostile payloads", () => {
  it("survives 17,000 nested arrays and a 10,000-deep object, with bounded output, and keeps answering", async () => {
    const record = join(tempDir(), "rec.ndjson");
    const run = listen(["-p", "0", "-v", "--record", record]);
    const url = await run.ready;
    expect(await postStatus(url, `${"[".repeat(17_000)}${"]".repeat(17_000)}`)).toBe(200);
    expect(await postStatus(url, `${'{"a":'.repeat(10_000)}1${"}".repeat(10_000)}`)).toBe(200);
    expect(await postStatus(url, loadFixture("user.created"))).toBe(200);
    run.child.kill("SIGTERM");
    expect((await run.exited).code).toBe(0);
    expect(run.stdout().length).toBeLessThan(200_000);
    expect(run.stdout()).toContain("nested deeper than 20 levels");
    expect(run.stderr()).toContain("Stopped. 3 events received.");
    expect(existsSync(record)).toBe(true);
  });
});

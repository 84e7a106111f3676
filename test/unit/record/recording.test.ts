import { execFileSync } from "node:child_process";
import { appendFileSync, mkdtempSync, readFileSync, rmSync, statSync, unlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { afterEach, describe, expect, it } from "vitest";

import { WtbhookError } from "../../../src/errors.js";
import { parseRecordLine, type RecordRequest } from "../../../src/record/record.js";
import { openRecording, RecordingWriteError, type Recording, type RecordingNotice } from "../../../src/record/recording.js";
import { mountSmallDisk, smallDiskUnavailable } from "../../helpers/small-disk.js";

const cleanup: (() => void)[] = [];
afterEach(() => {
  for (const step of cleanup.splice(0).reverse()) step();
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "wtbhook-recording-"));
  cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

function open(path: string, notices: RecordingNotice[] = []): Recording {
  const recording = openRecording(path, { onNotice: (notice) => notices.push(notice) });
  cleanup.push(() => recording.close());
  return recording;
}

function request(id: number, body = `{"type":"user.created","id":${id}}`): RecordRequest {
  return {
    time: new Date(0),
    method: "POST",
    path: "/",
    headers: { "content-type": "application/json" },
    body: Buffer.from(body),
    answer: { status: 200, ms: 1 },
    type: "user.created",
    id,
  };
}

/** The ids of the file's lines, each of which must be a complete recording line. */
function idsIn(path: string): number[] {
  const text = readFileSync(path, "utf8");
  expect(text === "" || text.endsWith("\n")).toBe(true);
  return text
    .split("\n")
    .map((line, i) => parseRecordLine(line, i + 1, path))
    .flatMap((item) => (item?.id === undefined ? [] : [item.id]));
}

describe("openRecording", () => {
  it("creates the file 0600 (it holds request headers), whatever the umask lets through", () => {
    const path = join(tempDir(), "events.ndjson");
    const recording = open(path);
    expect(recording.created).toBe(true);
    expect(statSync(path).mode & 0o777).toBe(0o600);
  });

  it("resolves each add once its line is in the file, the lines of one turn written together", async () => {
    const path = join(tempDir(), "events.ndjson");
    const recording = open(path);
    const adds = [recording.add(request(1)), recording.add(request(2)), recording.add(request(3))];
    // Nothing is written before the turn ends: one write for the three.
    expect(readFileSync(path, "utf8")).toBe("");
    await Promise.all(adds);
    expect(idsIn(path)).toEqual([1, 2, 3]);
    await recording.add(request(4));
    expect(idsIn(path)).toEqual([1, 2, 3, 4]);
  });

  it("resolves each add with the byte offset of its line, for ASCII and multi-byte lines, after a repaired end too", async () => {
    const path = join(tempDir(), "events.ndjson");
    const first = open(path);
    await first.add(request(1));
    first.close();
    appendFileSync(path, '{"kind":"request","v":1,"time"');
    const recording = open(path);
    const offsets = await Promise.all([
      recording.add(request(2, '{"type":"user.created","id":2,"name":"Zoë 😀"}')),
      recording.add(request(3)),
      recording.add(request(4, '{"type":"user.created","id":4,"name":"Ünïcode"}')),
    ]);
    offsets.push(await recording.add(request(5)));
    const bytes = readFileSync(path);
    for (const [i, offset] of offsets.entries()) {
      expect(offset === 0 || bytes[offset - 1] === 0x0a).toBe(true);
      const end = bytes.indexOf(0x0a, offset);
      expect(parseRecordLine(bytes.subarray(offset, end).toString("utf8"), 1, path)?.id).toBe(i + 2);
    }
  });

  it("appends to an existing recording, and leaves one that ends in a newline as it was", async () => {
    const path = join(tempDir(), "events.ndjson");
    const first = open(path);
    await first.add(request(1));
    first.close();
    const notices: RecordingNotice[] = [];
    const second = open(path, notices);
    expect(second.created).toBe(false);
    await second.add(request(2));
    expect(idsIn(path)).toEqual([1, 2]);
    expect(notices).toEqual([]);
  });

  it("ends a partial last line left by a killed run, says so once, and every later event is a whole line", async () => {
    const path = join(tempDir(), "events.ndjson");
    const whole = open(path);
    await whole.add(request(1));
    whole.close();
    appendFileSync(path, '{"kind":"request","v":1,"time":"1970-01-01T00:00:00.000Z","method":"PO');
    const notices: RecordingNotice[] = [];
    const recording = open(path, notices);
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatchObject({ kind: "repaired" });
    expect(notices[0]!.message).toContain("ended in an incomplete line");
    await recording.add(request(2));
    await recording.add(request(3));
    const lines = readFileSync(path, "utf8").split("\n");
    expect(lines).toHaveLength(5);
    expect(() => parseRecordLine(lines[1]!, 2, path)).toThrow(/:2: incomplete line/);
    expect([lines[0], lines[2], lines[3]].map((line, i) => parseRecordLine(line!, i + 1, path)!.id)).toEqual([1, 2, 3]);
    expect(lines[4]).toBe("");
  });

  it("refuses a FIFO at once instead of waiting for a reader (exit 2)", () => {
    const path = join(tempDir(), "events.fifo");
    execFileSync("mkfifo", [path]);
    const started = performance.now();
    let error: unknown;
    try {
      openRecording(path);
    } catch (thrown) {
      error = thrown;
    }
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(error).toBeInstanceOf(WtbhookError);
    expect(error).toMatchObject({ exitCode: 2, message: `--record ${path} is a FIFO, not a regular file` });
  });

  it.each([
    ["a missing folder", (dir: string) => join(dir, "missing", "x.ndjson"), "its folder does not exist"],
    ["a folder", (dir: string) => dir, "it is a folder"],
  ])("names why it cannot open %s", (_, pathIn, why) => {
    const path = pathIn(tempDir());
    expect(() => openRecording(path)).toThrow(`cannot open ${path} for recording: ${why}`);
  });

  it("notices a recording deleted while in use, warns, and records into a new file at the same path", async () => {
    const path = join(tempDir(), "events.ndjson");
    const notices: RecordingNotice[] = [];
    const recording = open(path, notices);
    await recording.add(request(1));
    unlinkSync(path);
    await recording.add(request(2));
    expect(notices).toEqual([
      { kind: "deleted", message: `${path} was deleted while recording: recording into a new ${path} from here on` },
    ]);
    expect(idsIn(path)).toEqual([2]);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    await recording.add(request(3));
    expect(notices).toHaveLength(1);
    expect(idsIn(path)).toEqual([2, 3]);
  });

  it("discard() removes a file this run created and never wrote to, and keeps any other", async () => {
    const dir = tempDir();
    const fresh = join(dir, "fresh.ndjson");
    openRecording(fresh).discard();
    expect(() => statSync(fresh)).toThrow();
    const kept = join(dir, "kept.ndjson");
    writeFileSync(kept, "");
    openRecording(kept).discard();
    expect(statSync(kept).size).toBe(0);
    const used = openRecording(join(dir, "used.ndjson"));
    await used.add(request(1));
    used.discard();
    expect(idsIn(join(dir, "used.ndjson"))).toEqual([1]);
  });

  it("close() writes what is pending, is idempotent, and later adds are refused", async () => {
    const path = join(tempDir(), "events.ndjson");
    const recording = openRecording(path);
    const added = recording.add(request(1));
    recording.close();
    recording.close();
    await added;
    expect(idsIn(path)).toEqual([1]);
    await expect(recording.add(request(2))).rejects.toThrow(/closed/);
  });
});

const noDisk = smallDiskUnavailable();

/** A recording on a fresh 64 KiB tmpfs, and the events of 3 KB that fill it. */
function recordingOnSmallDisk(): { path: string; recording: Recording; event3k: (id: number) => RecordRequest } {
  const disk = mountSmallDisk(64 * 1024);
  cleanup.push(() => disk.unmount());
  const path = join(disk.dir, "rec.ndjson");
  const signature = "s".repeat(3_000);
  return { path, recording: open(path), event3k: (id) => request(id, `{"type":"user.created","id":${id},"signature":"${signature}"}`) };
}

describe("a full disk (a real 64 KiB tmpfs)", () => {
  it.skipIf(noDisk !== undefined)(
    `answers no add whose line is not complete, leaves the file ending in a whole line, and goes on once there is room${noDisk ? ` (skipped: ${noDisk})` : ""}`,
    async () => {
      const { path, recording, event3k } = recordingOnSmallDisk();
      const ok: number[] = [];
      const refused: { id: number; error: unknown }[] = [];
      // One event per turn, as a sender one at a time: the disk fills mid-line at some point.
      for (let id = 1; id <= 40; id++) {
        await recording.add(event3k(id)).then(
          () => ok.push(id),
          (error: unknown) => refused.push({ id, error }),
        );
      }
      expect(ok.length).toBeGreaterThan(5);
      expect(refused.length).toBeGreaterThan(0);
      expect(refused[0]!.error).toBeInstanceOf(RecordingWriteError);
      expect((refused[0]!.error as Error).message).toMatch(/ENOSPC|bytes could be written/);
      // Every resolved add is a complete line, nothing else is in the file.
      expect(idsIn(path)).toEqual(ok);
      // Room again: the next event is a whole line of its own, not glued onto a cut one.
      writeFileSync(path, readFileSync(path, "utf8").split("\n").slice(-3).join("\n"));
      await recording.add(request(99));
      expect(idsIn(path).at(-1)).toBe(99);
    },
  );

  it.skipIf(noDisk !== undefined)(
    `a batch cut short keeps the lines written whole and refuses the rest${noDisk ? ` (skipped: ${noDisk})` : ""}`,
    async () => {
      const { path, recording, event3k } = recordingOnSmallDisk();
      const results = await Promise.allSettled(Array.from({ length: 40 }, (_, i) => recording.add(event3k(i + 1))));
      const ok = results.flatMap((result, i) => (result.status === "fulfilled" ? [i + 1] : []));
      expect(ok.length).toBeGreaterThan(5);
      expect(ok.length).toBeLessThan(40);
      // The first ones fit, in order; no hole, and the file holds exactly them.
      expect(ok).toEqual(Array.from({ length: ok.length }, (_, i) => i + 1));
      expect(idsIn(path)).toEqual(ok);
    },
  );
});

// The receiver's limits under hostile senders: the budget for bodies in flight, answers to bodies left unread, problem caps.
import { once } from "node:events";
import type { Socket } from "node:net";

import { request } from "undici";
import { afterEach, describe, expect, it } from "vitest";

import { loadFixture } from "../../src/catalog/catalog.js";
import { formatEventJson } from "../../src/format/listen-json.js";
import { MAX_PROBLEMS_KEPT } from "../../src/receiver/inspect.js";
import type { ReceiverOptions } from "../../src/receiver/receiver.js";
import { rawSocket, startCollecting } from "../helpers/listen-net.js";

const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

const receiver = (options: ReceiverOptions = {}): ReturnType<typeof startCollecting> => startCollecting(options, cleanup);

async function status(url: string, body: string | Buffer): Promise<number> {
  const response = await request(url, { method: "POST", body });
  await response.body.dump();
  return response.statusCode;
}

/** A raw connection that collects what the receiver answers. */
async function connection(port: number): Promise<{ socket: Socket; answer: () => string; closed: Promise<unknown> }> {
  const socket = await rawSocket(port);
  cleanup.push(() => void socket.destroy());
  let answer = "";
  socket.setEncoding("latin1").on("data", (chunk: string) => (answer += chunk));
  socket.on("error", () => undefined);
  return { socket, answer: () => answer, closed: once(socket, "close") };
}

/** Waits for the first bytes of an answer on a raw connection. */
async function firstAnswer(socket: Socket): Promise<string> {
  const [chunk] = (await once(socket, "data")) as [string];
  return chunk;
}

/**
 * Sends a whole over-limit body without reading anything until it is sent, as a sender busy
 * uploading does, then reads what it was answered. A receiver that closes with unread bytes
 * resets the connection, and the answer is lost on the way.
 */
async function uploadThenRead(port: number, chunked: boolean, bytes: number): Promise<string> {
  const socket = await rawSocket(port);
  cleanup.push(() => void socket.destroy());
  socket.pause();
  let answer = "";
  socket.on("data", (chunk: Buffer) => (answer += chunk.toString("latin1")));
  const closed = new Promise<void>((resolve) => {
    socket.on("close", () => resolve());
    socket.on("error", () => socket.resume());
  });
  socket.write(
    chunked
      ? "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
      : `POST / HTTP/1.1\r\nHost: x\r\nContent-Length: ${bytes}\r\n\r\n`,
  );
  const chunk = Buffer.alloc(64 * 1024, "a");
  const frame = chunked ? Buffer.concat([Buffer.from(`${chunk.length.toString(16)}\r\n`), chunk, Buffer.from("\r\n")]) : chunk;
  for (let sent = 0; sent < bytes && !socket.destroyed; sent += chunk.length) {
    if (!socket.write(frame)) await Promise.race([once(socket, "drain"), closed]);
  }
  if (chunked && !socket.destroyed) socket.write("0\r\n\r\n");
  // Only now does this sender look at what came back.
  socket.resume();
  await closed;
  return answer;
}

describe("a body over --max-body", () => {
  it.each([
    ["with Content-Length", false],
    ["chunked", true],
  ])("%s: a sender that uploads it all before reading still reads the 413 (no reset)", async (_, chunked) => {
    const { receiver: r, events } = await receiver({ maxBody: 64 * 1024 });
    for (let run = 0; run < 5; run++) expect(await uploadThenRead(r.port, chunked, 4 * 1024 * 1024)).toMatch(/^HTTP\/1.1 413 /);
    await events.next(5);
    expect(events.events.every((event) => event.outcome === "too-large")).toBe(true);
    expect(await status(r.url, "{}")).toBe(200);
  });
});

describe("the budget for bodies in flight", () => {
  it("answers 503 at once past it, without reading the body, and takes requests again once bodies are done", async () => {
    const { receiver: r, events } = await receiver({ maxBody: 100_000, maxBytesInFlight: 250_000 });
    const half = Buffer.alloc(50_000, " ");
    // Two senders declare 100,000 bytes each and send half: 200,000 bytes are held.
    const slow = await Promise.all([connection(r.port), connection(r.port)]);
    for (const { socket } of slow)
      socket.write(Buffer.concat([Buffer.from("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n"), half]));
    // A small body still fits beside them (and once it is answered, their headers have been read).
    expect(await status(r.url, "{}")).toBe(200);
    const probe = await connection(r.port);
    probe.socket.write("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n");
    const refused = await firstAnswer(probe.socket);
    expect(refused).toMatch(/^HTTP\/1.1 503 /);
    expect(refused).toContain("busy");
    const third = await connection(r.port);
    // The first two finish: their bodies are checked, answered, and given back.
    for (const { socket } of slow) socket.end(Buffer.concat([half.subarray(0, 49_998), Buffer.from("{}")]));
    await Promise.all(slow.map(({ closed }) => closed));
    expect(slow.map(({ answer }) => answer().split(" ")[1])).toEqual(["200", "200"]);
    third.socket.write(`POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n${" ".repeat(99_998)}{}`);
    expect(await firstAnswer(third.socket)).toMatch(/^HTTP\/1.1 200 /);
    expect(events.events.some((event) => event.outcome === "busy" && event.answer.status === 503)).toBe(true);
  });

  it("gives back what a sender that disconnects mid-body held", async () => {
    const { receiver: r } = await receiver({ maxBody: 100_000, maxBytesInFlight: 150_000 });
    for (let i = 0; i < 5; i++) {
      const gone = await connection(r.port);
      gone.socket.write(`POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n${" ".repeat(1000)}`);
      gone.socket.destroy();
      await gone.closed;
      // Once a request on another connection is answered, the receiver has seen the disconnect.
      expect(await status(r.url, "{}")).toBe(200);
      // Each needs 100,000 of the 150,000: only possible if the one before gave its share back.
      const next = await connection(r.port);
      next.socket.write(`POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n${" ".repeat(99_998)}{}`);
      expect(await firstAnswer(next.socket)).toMatch(/^HTTP\/1.1 200 /);
    }
  });

  it("counts chunked bodies as they arrive", async () => {
    const { receiver: r, events } = await receiver({ maxBody: 100_000, maxBytesInFlight: 120_000 });
    const holder = await connection(r.port);
    holder.socket.write(`POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n${" ".repeat(10)}`);
    expect(await status(r.url, "{}")).toBe(200);
    // 10,000 bytes of chunks fit beside the 100,000 held; 30,000 more do not.
    const chunked = await connection(r.port);
    chunked.socket.write(
      `POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n${(10_000).toString(16)}\r\n${" ".repeat(10_000)}\r\n`,
    );
    expect(await status(r.url, "{}")).toBe(200);
    chunked.socket.write(`${(30_000).toString(16)}\r\n${" ".repeat(30_000)}\r\n`);
    const answer = await firstAnswer(chunked.socket);
    expect(answer).toMatch(/^HTTP\/1.1 503 /);
    expect(events.events.at(-1)).toMatchObject({ outcome: "busy", answer: { status: 503 } });
  });
});

describe("an event with thousands of schema problems", () => {
  it("keeps and shows only the first ones, and says how many more there were", async () => {
    const { receiver: r, events } = await receiver();
    const event = JSON.parse(loadFixture("user.created").toString("utf8")) as { data: { object: { userGroups: unknown[] } } };
    event.data.object.userGroups = Array.from({ length: 20_000 }, () => "x");
    expect(await status(r.url, JSON.stringify(event))).toBe(200);
    const [received] = await events.next(1);
    expect(received!.check?.valid).toBe(false);
    expect(received!.check?.problems).toHaveLength(MAX_PROBLEMS_KEPT);
    expect(received!.check?.problems[0]).toMatchObject({ pointer: "/data/object/userGroups/0" });
    expect(received!.check?.omitted).toBeGreaterThanOrEqual(20_000 - MAX_PROBLEMS_KEPT);
    const line = JSON.parse(formatEventJson(received!)) as { errors: unknown[]; moreErrors: number };
    expect(line.errors).toHaveLength(MAX_PROBLEMS_KEPT);
    expect(line.moreErrors).toBe(received!.check?.omitted);
    // The line holds the body and 20 problems, not 20,000.
    expect(formatEventJson(received!).length).toBeLessThan(JSON.stringify(event).length + 10_000);
  });
});

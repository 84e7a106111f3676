import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { request } from "undici";
import { afterEach, describe, expect, it } from "vitest";

import { loadFixture } from "../../src/catalog/catalog.js";
import { resolveListenOptions, type ListenFlags } from "../../src/commands/listen-options.js";
import { MAX_TYPE_KEY, MAX_TYPES_COUNTED, OTHER_TYPES, startListenSession } from "../../src/receiver/session.js";
import type { ReceivedEvent } from "../../src/receiver/types.js";
import { TunnelError } from "../../src/tunnel/errors.js";
import { nextListening } from "../helpers/ports.js";

/** The session's options from flags, as the listen command makes them. */
function sessionOptions(flags: ListenFlags): ReturnType<typeof resolveListenOptions>["session"] {
  return resolveListenOptions(flags, {}).session;
}

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

async function status(url: string, body: string | Buffer): Promise<number> {
  const response = await request(url, { method: "POST", body });
  await response.body.dump();
  return response.statusCode;
}

/** Resolves once something can listen on the port again (the session let go of it). */
function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once("error", () => resolve(false));
    probe.listen(port, "127.0.0.1", () => probe.close(() => resolve(true)));
  });
}

describe("startListenSession", () => {
  it("counts events by type, invalid, failed, redeliveries, unknown types and strays", async () => {
    const events: ReceivedEvent[] = [];
    const session = await startListenSession(sessionOptions({ port: "0", failFirst: "1" }), { onEvent: (e) => events.push(e) });
    const url = session.localUrl;
    expect(await status(url, loadFixture("user.created"))).toBe(500);
    expect(await status(url, loadFixture("user.created"))).toBe(200);
    const banned = { api_version: "1", object: "event", id: 1, type: "user.banned", mode: "live", data: { object: {} } };
    expect(await status(url, JSON.stringify(banned))).toBe(500);
    expect(await status(url, JSON.stringify({ type: "post.created", id: 2 }))).toBe(500);
    expect(await status(url, "nope")).toBe(400);
    expect(await status(new URL("/elsewhere", url).href, "{}")).toBe(404);
    await session.close();
    await session.close();
    expect(events).toHaveLength(5);
    const { byType, ...rest } = session.stats;
    expect(Object.fromEntries(byType)).toEqual({ "user.created": 2, "user.banned": 1, "post.created": 1 });
    // "nope" is not an event: counted as rejected only, not also as invalid or failed.
    expect(rest).toEqual({
      events: 4,
      invalid: 1,
      warned: 1,
      failed: 3,
      rejected: 1,
      busy: 0,
      redeliveries: 1,
      unknownTypes: 1,
      strays: 1,
      clientErrors: 0,
      unrecorded: 0,
    });
  });

  it("counts at most 100 types one by one, each key cut to 200 characters: a sender inventing types cannot grow memory or the summary", async () => {
    const session = await startListenSession(sessionOptions({ port: "0" }), {});
    const types = Array.from({ length: MAX_TYPES_COUNTED + 5 }, (_, i) => `made.up.${i}${"x".repeat(i === 0 ? 5000 : 0)}`);
    for (const [i, type] of types.entries()) expect(await status(session.localUrl, JSON.stringify({ type, id: i }))).toBe(200);
    expect(await status(session.localUrl, JSON.stringify({ type: types[1], id: 999 }))).toBe(200);
    await session.close();
    const { byType } = session.stats;
    expect(byType.size).toBe(MAX_TYPES_COUNTED + 1);
    expect(byType.get(OTHER_TYPES)).toBe(5);
    expect(byType.get(types[1]!)).toBe(2);
    expect(Math.max(...[...byType.keys()].map((key) => key.length))).toBe(MAX_TYPE_KEY + 1);
    expect(session.stats.events).toBe(MAX_TYPES_COUNTED + 6);
  });

  it("with a tunnel: the public URL ends in the random receiving path", async () => {
    const options = sessionOptions({ port: "0", tunnel: true });
    const session = await startListenSession(options, { env: { WTBHOOK_TUNNEL_PROVIDER: "fake" } });
    try {
      expect(session.publicUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/wtb-[0-9a-f]{32}$/);
      expect(session.tunnelName).toBe("fake tunnel");
      expect(await status(session.publicUrl!, loadFixture("message.created"))).toBe(200);
      expect(await status(new URL("/", session.publicUrl).href, "{}")).toBe(404);
    } finally {
      expect(await session.close()).toEqual({ tunnelClosed: true });
    }
    expect(session.stats.strays).toBe(1);
  });

  it("with a tunnel: the tunnel reaches a receiver on --host ::1 (not only 127.0.0.1)", async () => {
    const options = sessionOptions({ port: "0", tunnel: true, host: "::1" });
    const session = await startListenSession(options, { env: { WTBHOOK_TUNNEL_PROVIDER: "fake" } });
    try {
      expect(session.publicUrl).toMatch(/^http:\/\/\[::1\]:\d+\/wtb-[0-9a-f]{32}$/);
      expect(await status(session.publicUrl!, loadFixture("message.created"))).toBe(200);
    } finally {
      await session.close();
    }
  });

  it("a port in use: exit 2 and no empty recording left behind (an existing one is kept)", async () => {
    const dir = mkdtempSync(join(tmpdir(), "wtbhook-session-"));
    dirs.push(dir);
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, "127.0.0.1", resolve));
    try {
      const port = String((blocker.address() as { port: number }).port);
      const fresh = join(dir, "new.ndjson");
      await expect(startListenSession(sessionOptions({ port, record: fresh }))).rejects.toMatchObject({ exitCode: 2 });
      expect(existsSync(fresh)).toBe(false);
      const kept = join(dir, "kept.ndjson");
      writeFileSync(kept, "{}\n");
      await expect(startListenSession(sessionOptions({ port, record: kept }))).rejects.toMatchObject({ exitCode: 2 });
      expect(readFileSync(kept, "utf8")).toBe("{}\n");
    } finally {
      await new Promise<void>((resolve) => blocker.close(() => resolve()));
    }
  });

  it("checks the token before opening a port or the recording", async () => {
    const dir = mkdtempSync(join(tmpdir(), "wtbhook-session-"));
    dirs.push(dir);
    const record = join(dir, "events.ndjson");
    const options = sessionOptions({ port: "0", tunnel: true, record });
    await expect(startListenSession(options, { env: {} })).rejects.toMatchObject({ kind: "missing-token", exitCode: 2 });
    expect(existsSync(record)).toBe(false);
  });

  it("a tunnel that never comes up: a stuck TunnelError after --tunnel-timeout, and the port is let go", async () => {
    const options = sessionOptions({ port: "0", tunnel: true, tunnelTimeout: "150ms" });
    const listening = nextListening();
    const error = await startListenSession(options, {
      env: { WTBHOOK_TUNNEL_PROVIDER: "fake", WTBHOOK_FAKE_TUNNEL: "hang" },
      onEvent: () => undefined,
    }).catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(TunnelError);
    expect(error).toMatchObject({ kind: "timeout", stuck: true });
    // The receiver was started on some port and closed again.
    expect(await portIsFree((await listening).port)).toBe(true);
  });
});

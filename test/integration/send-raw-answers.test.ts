// `send` against servers that answer with hand-written bytes: interim 1xx heads, a bad status line.
import { createServer, type AddressInfo, type Server, type Socket } from "node:net";

import { afterEach, describe, expect, it } from "vitest";

import { sendInProcess } from "./send-in-process.js";

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => new Promise<void>((resolve) => server.close(() => resolve()))));
});

/**
 * A TCP server that reads each request head and body (by Content-Length) and then writes the
 * chunks of `answer` one write each, `gapMs` apart; returns its base URL and the bodies it got.
 */
async function rawServer(answer: readonly string[], gapMs = 0): Promise<{ url: string; bodies: string[] }> {
  const bodies: string[] = [];
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    socket.on("error", () => undefined);
    let buffered = Buffer.alloc(0);
    socket.on("data", (data: Buffer) => {
      buffered = Buffer.concat([buffered, data]);
      const end = buffered.indexOf("\r\n\r\n");
      if (end < 0) return;
      const length = Number(/content-length: *(\d+)/i.exec(buffered.subarray(0, end).toString("latin1"))?.[1] ?? 0);
      if (buffered.length < end + 4 + length) return;
      bodies.push(buffered.subarray(end + 4, end + 4 + length).toString("utf8"));
      buffered = buffered.subarray(end + 4 + length);
      answer.forEach((chunk, index) => {
        setTimeout(() => socket.write(chunk), gapMs * index);
      });
    });
  });
  server.on("close", () => {
    for (const socket of sockets) socket.destroy();
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, bodies };
}

const OK = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";

describe("send: interim answers and bad status lines", () => {
  it.each([
    ["in the same write as the 200", [`HTTP/1.1 100 Continue\r\n\r\n${OK}`], 0],
    ["in its own write, before the 200", ["HTTP/1.1 100 Continue\r\n\r\n", OK], 30],
    ["split in the middle of its head", ["HTTP/1.1 100 Con", "tinue\r\n\r\n", OK], 30],
    ["twice, with a header", ["HTTP/1.1 100 Continue\r\nX-A: 1\r\n\r\nHTTP/1.0 100 Continue\r\n\r\n", OK], 30],
    ["as 103 Early Hints", ["HTTP/1.1 103 Early Hints\r\nLink: </a.css>\r\n\r\n", OK], 30],
  ])("an unasked interim answer %s: the final 200 counts (exit 0)", async (_name, answer, gapMs) => {
    const server = await rawServer(answer, gapMs);
    const result = await sendInProcess(["user.created", "--repeat", "2", "--to", server.url, "--json"]);
    expect(result.stderr).not.toContain("closed");
    expect(result.code).toBe(0);
    const lines = result.stdout
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as { status: number; ok: boolean });
    // Twice, so the second request also reads its answer right on the kept-alive connection.
    expect(lines.map((line) => [line.status, line.ok])).toEqual([
      [200, true],
      [200, true],
    ]);
    expect(server.bodies).toHaveLength(2);
  });

  it("a 100 and nothing more: the attempt waits for the final status, and times out (exit 1)", async () => {
    const server = await rawServer(["HTTP/1.1 100 Continue\r\n\r\n"]);
    const result = await sendInProcess(["user.created", "--to", server.url, "--timeout", "300ms"]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("timed out after 300ms waiting for a response");
  });

  it('"HTTP/1.1 000" is an invalid status line, not an internal assertion (exit 1)', async () => {
    const server = await rawServer(["HTTP/1.1 000 OK\r\nContent-Length: 2\r\n\r\nok"]);
    const result = await sendInProcess(["user.created", "--to", server.url]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`invalid HTTP response from ${new URL(server.url).host}: invalid status line (status 000)`);
    expect(result.stderr).not.toMatch(/assert|falsy/i);
  });
});

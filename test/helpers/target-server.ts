// A real local HTTP server (127.0.0.1, port 0) that records every request it gets (method, URL,
// headers, exact body bytes) and answers as told, including on purpose badly: any status, a
// redirect, 304, a hang, a reset, a slow body, a huge body, or a close mid-response.
import { createServer, type IncomingMessage, type RequestListener, type Server, type ServerResponse } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import type { AddressInfo, Socket } from "node:net";

import { refusedPort } from "./ports.js";

export interface ReceivedRequest {
  method: string;
  url: string;
  headers: IncomingMessage["headers"];
  body: Buffer;
}

export type Behaviour =
  | { kind: "status"; status: number; body?: string; headers?: Record<string, string> }
  | { kind: "redirect"; status: 301 | 302 | 303 | 307 | 308; location: string }
  | { kind: "not-modified" }
  | { kind: "hang" }
  | { kind: "reset" }
  | { kind: "slow"; delayMs: number; status?: number }
  | { kind: "slow-body"; chunkDelayMs: number; chunks: number }
  | { kind: "huge"; bytes: number }
  | { kind: "close-mid-response" };

/** A self-signed certificate for 127.0.0.1 (valid until 2126), for --insecure tests only. */
const SELF_SIGNED_KEY = `-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgvGDmSswSu5QTJN9w
mGB1sF6JSvASe7A6/Qb7u2gOy+ihRANCAATiwV9ISJvaczG9b2Kc6Thzl1akhb24
WU5eyEyo9gxVRIkdZZqsNhZnNjPPShQ6OqSoiDfhRi7asq9zmcIYJXS/
-----END PRIVATE KEY-----
`;
const SELF_SIGNED_CERT = `-----BEGIN CERTIFICATE-----
MIIBjzCCATagAwIBAgIUI5K80ApRat0jM1BNdbYoq/IBK8wwCgYIKoZIzj0EAwIw
FDESMBAGA1UEAwwJMTI3LjAuMC4xMCAXDTI2MTEyODA0NDc0NloYDzIxMjYxMTA0
MDQ0NzQ2WjAUMRIwEAYDVQQDDAkxMjcuMC4wLjEwWTATBgcqhkjOPQIBBggqhkjO
PQMBBwNCAATiwV9ISJvaczG9b2Kc6Thzl1akhb24WU5eyEyo9gxVRIkdZZqsNhZn
NjPPShQ6OqSoiDfhRi7asq9zmcIYJXS/o2QwYjAdBgNVHQ4EFgQUKQ+12f9qIFfX
w9jrIOP1aCL05akwHwYDVR0jBBgwFoAUKQ+12f9qIFfXw9jrIOP1aCL05akwDwYD
VR0TAQH/BAUwAwEB/zAPBgNVHREECDAGhwR/AAABMAoGCCqGSM49BAMCA0cAMEQC
IAGLHJYGFF8r6FuNriQdA7yPIsVELGEQz0kI1Atb2qBcAiBY6fGIMK/S3q9+1Pbp
WdWCmAXp3umJOQPP8bq9Ygc8yw==
-----END CERTIFICATE-----
`;

export interface TargetServerOptions {
  /** Serve https with a self-signed certificate. @default false */
  tls?: boolean;
}

export interface TargetServer {
  url: string;
  port: number;
  requests: ReceivedRequest[];
  /** Resolves once `count` requests have arrived (whole bodies read). */
  waitForRequests(count: number): Promise<ReceivedRequest[]>;
  /** Bytes of the huge body written before the client went away. */
  hugeBytesWritten(): number;
  /** Resolves when a socket that was sent a huge body has closed. */
  hugeClosed: Promise<void>;
  close(): Promise<void>;
}

/** `behave` decides the answer for the n-th request (0-based); default 200 {"ok":true}. */
export async function startTargetServer(
  behave: (index: number, request: ReceivedRequest) => Behaviour = () => ({ kind: "status", status: 200, body: '{"ok":true}' }),
  options: TargetServerOptions = {},
): Promise<TargetServer> {
  const requests: ReceivedRequest[] = [];
  const waiters: { count: number; resolve: (value: ReceivedRequest[]) => void }[] = [];
  const sockets = new Set<Socket>();
  let hugeWritten = 0;
  let resolveHugeClosed!: () => void;
  const hugeClosed = new Promise<void>((resolve) => (resolveHugeClosed = resolve));

  const answer = (behaviour: Behaviour, req: IncomingMessage, res: ServerResponse): void => {
    switch (behaviour.kind) {
      case "status":
        res.writeHead(behaviour.status, { "content-type": "application/json", ...behaviour.headers });
        res.end(behaviour.body ?? "");
        return;
      case "redirect":
        res.writeHead(behaviour.status, { location: behaviour.location });
        res.end(`moved to ${behaviour.location}`);
        return;
      case "not-modified":
        res.writeHead(304, { location: "/cached" });
        res.end();
        return;
      case "hang":
        return;
      case "reset":
        req.socket.resetAndDestroy();
        return;
      case "slow": {
        const timer = setTimeout(() => {
          res.writeHead(behaviour.status ?? 200);
          res.end("slow but fine");
        }, behaviour.delayMs);
        res.on("close", () => clearTimeout(timer));
        return;
      }
      case "slow-body": {
        res.writeHead(200, { "content-type": "text/plain" });
        let sent = 0;
        const timer = setInterval(() => {
          res.write(`chunk ${sent}\n`);
          if (++sent >= behaviour.chunks) {
            clearInterval(timer);
            res.end();
          }
        }, behaviour.chunkDelayMs);
        res.on("close", () => clearInterval(timer));
        return;
      }
      case "huge": {
        res.writeHead(200, { "content-type": "application/octet-stream", "content-length": String(behaviour.bytes) });
        const chunk = Buffer.alloc(64 * 1024, 0x61);
        const pump = (): void => {
          while (hugeWritten < behaviour.bytes && !res.destroyed) {
            hugeWritten += chunk.length;
            if (!res.write(chunk)) {
              res.once("drain", pump);
              return;
            }
          }
          if (!res.destroyed) res.end();
        };
        res.on("close", () => resolveHugeClosed());
        pump();
        return;
      }
      case "close-mid-response":
        res.writeHead(200, { "content-type": "application/json", "content-length": "1000" });
        res.write('{"partial":', () => req.socket.destroy());
        return;
    }
  };

  const handler: RequestListener = (req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const received: ReceivedRequest = { method: req.method ?? "", url: req.url ?? "", headers: req.headers, body: Buffer.concat(chunks) };
      const index = requests.length;
      requests.push(received);
      for (const waiter of [...waiters]) {
        if (requests.length >= waiter.count) {
          waiters.splice(waiters.indexOf(waiter), 1);
          waiter.resolve(requests.slice());
        }
      }
      answer(behave(index, received), req, res);
    });
  };
  const server: Server = options.tls ? createHttpsServer({ key: SELF_SIGNED_KEY, cert: SELF_SIGNED_CERT }, handler) : createServer(handler);
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  let closing: Promise<void> | undefined;
  return {
    url: `${options.tls ? "https" : "http"}://127.0.0.1:${port}`,
    port,
    requests,
    waitForRequests: (count) =>
      requests.length >= count ? Promise.resolve(requests.slice()) : new Promise((resolve) => waiters.push({ count, resolve })),
    hugeBytesWritten: () => hugeWritten,
    hugeClosed,
    close: () =>
      (closing ??= new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      })),
  };
}

/** A port on 127.0.0.1 that nothing listens on (for "connection refused"); see refusedPort(). */
export const closedPort = refusedPort;

// Writing the receiver's answers: a known length always, and for a body left unread, a drain before closing.

import type { IncomingMessage, ServerResponse } from "node:http";
import type { Socket } from "node:net";

/** What a request is answered with. */
export interface Reply {
  status: number;
  by: "wtbhook" | "app" | "fail-first";
  contentType?: string | undefined;
  body?: Buffer | string | undefined;
}

/**
 * How long the rest of an unread body is read and dropped after a 413 or 503 before the connection
 * is cut. Closing with unread bytes makes the kernel reset the connection, and a sender still busy
 * sending then often loses the answer it was sent; draining first lets it read the status.
 */
export const DRAIN_MS = 2_000;

/**
 * Sends `reply` with a Content-Length (no chunked framing: the sender can tell the answer is
 * complete). `closing`: the connection ends after it, so that stopping only waits for requests in flight.
 */
export function sendReply(res: ServerResponse, reply: Reply, closing: boolean): void {
  const body = reply.body;
  const headers: Record<string, string | number> = {
    "content-length": body === undefined ? 0 : typeof body === "string" ? Buffer.byteLength(body) : body.length,
  };
  if (reply.contentType) headers["content-type"] = reply.contentType;
  if (closing) headers["connection"] = "close";
  res.writeHead(reply.status, headers);
  res.end(body);
}

/**
 * Answers a request whose body was not read to the end (413, 503), then closes the connection
 * gracefully: the answer and a FIN go out, and what the sender still sends is read and dropped
 * until it stops or DRAIN_MS pass, so that it reads the status instead of a reset.
 */
export function sendReplyUnread(req: IncomingMessage, res: ServerResponse, reply: Reply): void {
  const socket = req.socket as Socket & { destroySoon?: () => void };
  // node:http ends a "Connection: close" answer with socket.destroySoon(), which destroys the
  // socket as soon as the answer is written: with unread bytes, a reset. Ending it drains instead.
  socket.destroySoon = () => {
    socket.end();
    const timer = setTimeout(() => socket.destroy(), DRAIN_MS);
    timer.unref();
    socket.once("close", () => clearTimeout(timer));
  };
  res.shouldKeepAlive = false;
  // Unread data is dropped (node:http reads it into nowhere once the answer is finished).
  req.resume();
  sendReply(res, reply, true);
}

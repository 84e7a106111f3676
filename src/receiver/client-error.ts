// Malformed HTTP, slow senders and resets on the receiver's connections: answered with a status where one can still be sent.

import type { Duplex } from "node:stream";

/** Answers (or just closes) a connection node:http could not make a request of; returns the reason's code. */
export function answerClientError(error: NodeJS.ErrnoException, socket: Duplex): string {
  const code = error.code ?? "unknown";
  if (code === "ECONNRESET" || !socket.writable) {
    socket.destroy();
    return code;
  }
  const line =
    code === "ERR_HTTP_REQUEST_TIMEOUT"
      ? "408 Request Timeout"
      : code === "HPE_HEADER_OVERFLOW"
        ? "431 Request Header Fields Too Large"
        : "400 Bad Request";
  socket.end(`HTTP/1.1 ${line}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
  return code;
}

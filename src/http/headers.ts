// Which request headers travel with a message to another server: `listen --forward-to` passes on
// what it received, `send --recorded-headers` what a recording holds.

/** Headers that describe one connection, not the message (RFC 9110 §7.6.1), plus those the client sets itself. */
const HOP_BY_HOP = new Set([
  "connection",
  "keep-alive",
  "proxy-connection",
  "proxy-authenticate",
  "proxy-authorization",
  "te",
  "trailer",
  "transfer-encoding",
  "upgrade",
  "expect",
  "host",
]);

/**
 * The end-to-end headers of a request, as raw name/value pairs: names, order and repeats kept,
 * hop-by-hop headers (and any named in `Connection`) dropped, `Host` left for the client to set
 * from the target. `drop` names more headers to leave out (lower case).
 */
export function endToEndHeaders(rawHeaders: readonly string[], drop: readonly string[] = []): string[] {
  const dropped = new Set([...HOP_BY_HOP, ...drop]);
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    if (rawHeaders[i]!.toLowerCase() === "connection") {
      for (const token of rawHeaders[i + 1]!.split(",")) dropped.add(token.trim().toLowerCase());
    }
  }
  const out: string[] = [];
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    if (!dropped.has(rawHeaders[i]!.toLowerCase())) out.push(rawHeaders[i]!, rawHeaders[i + 1]!);
  }
  return out;
}

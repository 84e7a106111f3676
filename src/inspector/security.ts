// Who may use the inspector: a page or script on this machine that holds the token. The Host
// check stops DNS rebinding, the Origin check other pages' posts, the token everything else.

import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import type { IncomingHttpHeaders } from "node:http";

/**
 * A fresh token: 16 random bytes (128 bits, more than any guessing can reach), URL-safe, 22
 * characters: short enough that the inspector's URL fits on one line of a narrow terminal.
 */
export function createToken(): string {
  return randomBytes(16).toString("base64url");
}

const digest = (text: string): Buffer => createHash("sha256").update(text).digest();

/** Compares a presented token with the real one in constant time (digests first, so lengths do not leak either). */
export function tokenMatches(presented: string, token: string): boolean {
  return timingSafeEqual(digest(presented), digest(token));
}

/** The bearer token of an `Authorization` header, or undefined. */
export function bearerToken(headers: IncomingHttpHeaders): string | undefined {
  const value = headers.authorization;
  if (value === undefined) return undefined;
  const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(value);
  return match?.[1];
}

/** The origins (scheme, host, port) the inspector answers as: 127.0.0.1 and localhost on its port. */
export function allowedHosts(port: number): string[] {
  return [`127.0.0.1:${port}`, `localhost:${port}`];
}

/** True when the request names this inspector as its host; anything else (a rebound DNS name, the tunnel's host) is refused. */
export function hostAllowed(headers: IncomingHttpHeaders, port: number): boolean {
  const host = headers.host?.toLowerCase();
  return host !== undefined && allowedHosts(port).includes(host);
}

/**
 * True when a state-changing request may go on: no Origin (a script or curl, which must hold the
 * token anyway) or the inspector's own page; and no browser saying it comes from another site.
 */
export function originAllowed(headers: IncomingHttpHeaders, port: number): boolean {
  const site = headers["sec-fetch-site"];
  if (site !== undefined && site !== "same-origin" && site !== "none") return false;
  const origin = headers.origin;
  if (origin === undefined) return true;
  return allowedHosts(port).some((host) => origin.toLowerCase() === `http://${host}`);
}

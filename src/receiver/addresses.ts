// Where the receiver can be reached: the URL to show, and on a wildcard host (0.0.0.0, ::) one per interface.

import { networkInterfaces } from "node:os";

/** True for the hosts that mean "every interface". */
export function isWildcardHost(host: string): boolean {
  return host === "0.0.0.0" || host === "::";
}

/** The host to put in a URL: a wildcard address is not one to connect to, so loopback stands in for it. */
export function shownHost(host: string): string {
  if (host === "0.0.0.0") return "127.0.0.1";
  if (host === "::") return "[::1]";
  return host.includes(":") ? `[${host}]` : host;
}

/**
 * The URLs of the receiving path on every interface, loopback first, for a wildcard host
 * (`::` takes IPv4 too); just the one URL otherwise. IPv6 link-local addresses are left out: a URL
 * to one needs the interface's name.
 */
export function receiverUrls(host: string, port: number, path: string): string[] {
  const first = `http://${shownHost(host)}:${port}${path}`;
  if (!isWildcardHost(host)) return [first];
  const urls = [first];
  for (const addresses of Object.values(networkInterfaces())) {
    for (const address of addresses ?? []) {
      if (address.family === "IPv6" && (host === "0.0.0.0" || address.scopeid !== 0)) continue;
      const url = `http://${address.family === "IPv6" ? `[${address.address}]` : address.address}:${port}${path}`;
      if (!urls.includes(url)) urls.push(url);
    }
  }
  return urls;
}

// Ports for tests without the open-close race (a port found free, closed, then bound later may be
// taken in between by another test or process): a port that stays refused for as long as the
// test runs, and the port a server in this process has just bound (the code under test listens
// on 0 and tells nobody yet).
import { subscribe, unsubscribe } from "node:diagnostics_channel";
import { readFileSync } from "node:fs";
import { createServer, connect, type AddressInfo, type Server } from "node:net";

/**
 * A port on 127.0.0.1 where nothing listens, held for as long as this worker runs: it is the
 * local end of a connection we keep open, bound explicitly to a port below the ephemeral range.
 * So connecting to it is refused; no server that listens on 0 can be given it; and no client can
 * pick it as its own source port and connect to itself (the self-connect that a free port in the
 * ephemeral range allows now and then: the client reads its own request as the answer).
 */
export async function refusedPort(): Promise<number> {
  const anchor = createServer((socket) => socket.on("error", () => undefined));
  await new Promise<void>((resolve) => anchor.listen(0, "127.0.0.1", resolve));
  anchor.unref();
  const [lowest, highest] = reservablePorts();
  for (let attempt = 1; ; attempt++) {
    const port = lowest + Math.floor(Math.random() * (highest - lowest));
    const holder = connect({ port: (anchor.address() as AddressInfo).port, host: "127.0.0.1", localAddress: "127.0.0.1", localPort: port });
    const held = await new Promise<boolean>((resolve) => holder.once("connect", () => resolve(true)).once("error", () => resolve(false)));
    if (!held && attempt < 100) continue; // Someone has it: try another.
    if (!held) throw new Error(`refusedPort: no free port between ${lowest} and ${highest} in 100 tries`);
    holder.on("error", () => undefined);
    // Held until the worker exits, without keeping it alive.
    holder.unref();
    return port;
  }
}

/** Ports that no one is given when asking for port 0: from 10000 up to the ephemeral range. */
function reservablePorts(): [number, number] {
  try {
    const low = Number(readFileSync("/proc/sys/net/ipv4/ip_local_port_range", "utf8").split(/\s+/)[0]);
    if (low > 11_000) return [10_000, low];
  } catch {
    // Not Linux: below 32768 is outside every usual ephemeral range.
  }
  return [10_000, 32_768];
}

/**
 * Resolves with the address of the next server in this process that starts listening (Node's
 * `net.server.listen` diagnostics channel). Call it before starting the code under test.
 */
export function nextListening(): Promise<AddressInfo> {
  return new Promise((resolve) => {
    const onListening = (message: unknown): void => {
      unsubscribe("tracing:net.server.listen:asyncEnd", onListening);
      resolve((message as { server: Server }).server.address() as AddressInfo);
    };
    subscribe("tracing:net.server.listen:asyncEnd", onListening);
  });
}

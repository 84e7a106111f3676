// Ports for tests without the open-close race (a port found free, closed, then bound later may be
// taken in between by another test or process): a port that stays refused for as long as the
// test runs, and the port a server in this process has just bound (the code under test listens
// on 0 and tells nobody yet).
import { subscribe, unsubscribe } from "node:diagnostics_channel";
import { createServer, connect, type AddressInfo, type Server } from "node:net";

/**
 * A port on 127.0.0.1 where nothing listens and nothing can start listening while this worker
 * runs: it is the local end of a connection we keep open, so connecting to it is refused and
 * binding it fails with EADDRINUSE.
 */
export async function refusedPort(): Promise<number> {
  const anchor = createServer((socket) => socket.on("error", () => undefined));
  await new Promise<void>((resolve) => anchor.listen(0, "127.0.0.1", resolve));
  const holder = connect((anchor.address() as AddressInfo).port, "127.0.0.1");
  await new Promise<void>((resolve, reject) => holder.once("connect", resolve).once("error", reject));
  holder.on("error", () => undefined);
  // Held until the worker exits, without keeping it alive.
  anchor.unref();
  holder.unref();
  return holder.localPort!;
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

// A tunnel provider for tests and demos: no network, scripted to succeed, fail or hang.

import { describeNgrokError, missingTokenError } from "./errors.js";
import type { Tunnel, TunnelProvider } from "./provider.js";

export interface FakeTunnelBehaviour {
  /**
   * "ok" returns http://<localAddr> (reachable, so tests can POST through it); "slow:<ms>" does
   * the same after that many milliseconds; "hang" never settles; an ERR_NGROK_* code fails as
   * the SDK would with that code.
   * @default "ok"
   */
  mode?: string;
  /** Requires a token like the real provider. @default false */
  requireToken?: boolean;
}

/** Set by tests to see that close() was called. */
export const fakeTunnelEvents: string[] = [];

export function createFakeProvider(behaviour: FakeTunnelBehaviour = {}): TunnelProvider {
  const mode = behaviour.mode ?? "ok";
  return {
    name: "fake tunnel",
    preflight(options) {
      if (behaviour.requireToken && !options.authtoken) throw missingTokenError();
    },
    start(options): Promise<Tunnel> {
      fakeTunnelEvents.push("start");
      if (mode === "hang") return new Promise<Tunnel>(() => undefined);
      if (mode.startsWith("ERR_NGROK_")) {
        return Promise.reject(
          describeNgrokError(Object.assign(new Error(`failed to start: fake failure error_code: ${mode}`), { errorCode: mode })),
        );
      }
      const tunnel: Tunnel = {
        url: `http://${options.localAddr}`,
        close: () => {
          fakeTunnelEvents.push("close");
          return Promise.resolve();
        },
      };
      const delay = /^slow:(\d+)$/.exec(mode);
      if (delay) return new Promise((resolve) => setTimeout(() => resolve(tunnel), Number(delay[1])));
      return Promise.resolve(tunnel);
    },
  };
}

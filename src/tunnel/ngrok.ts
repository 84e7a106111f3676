// The ngrok tunnel, through the official SDK. The ONLY module that imports @ngrok/ngrok, and only when started.

import { describeNgrokError, missingTokenError } from "./errors.js";
import type { Tunnel, TunnelProvider, TunnelStartOptions } from "./provider.js";

type NgrokSdk = typeof import("@ngrok/ngrok");

async function loadSdk(): Promise<NgrokSdk> {
  try {
    const loaded = (await import("@ngrok/ngrok")) as NgrokSdk & { default?: NgrokSdk };
    return loaded.default ?? loaded;
  } catch (error) {
    throw describeNgrokError(error);
  }
}

export function createNgrokProvider(): TunnelProvider {
  return {
    name: "ngrok",
    preflight(options) {
      // The SDK would dial ngrok with an empty token; fail here instead, with no network attempt.
      if (!options.authtoken) throw missingTokenError();
    },
    async start(options: TunnelStartOptions): Promise<Tunnel> {
      const sdk = await loadSdk();
      let online = false;
      try {
        const listener = await sdk.forward({
          addr: options.localAddr,
          authtoken: options.authtoken,
          ...(options.domain ? { domain: options.domain } : {}),
          ...(options.serverAddr ? { server_addr: options.serverAddr } : {}),
          // 'closed' fires once even for a start that fails; only report changes once online.
          onStatusChange: (status: string) => {
            if (!online) return;
            options.onStatus?.(status === "connected" ? "online" : "reconnecting");
          },
        });
        online = true;
        const url = listener.url();
        if (!url) throw new Error("ngrok opened a tunnel without a public URL");
        return { url: url.replace(/\/$/, ""), close: () => listener.close() };
      } catch (error) {
        throw describeNgrokError(error);
      }
    },
  };
}

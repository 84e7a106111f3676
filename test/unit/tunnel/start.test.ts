import { describe, expect, it } from "vitest";

import { TunnelError } from "../../../src/tunnel/errors.js";
import { createFakeProvider, fakeTunnelEvents } from "../../../src/tunnel/fake.js";
import { createNgrokProvider } from "../../../src/tunnel/ngrok.js";
import type { Tunnel } from "../../../src/tunnel/provider.js";
import { closeTunnel, startTunnel, tunnelProviderFor } from "../../../src/tunnel/start.js";

const options = { localAddr: "127.0.0.1:4010", authtoken: "t" };

async function failure(promise: Promise<unknown>): Promise<TunnelError> {
  try {
    await promise;
  } catch (error) {
    return error as TunnelError;
  }
  throw new Error("expected a failure");
}

describe("startTunnel", () => {
  it("returns the provider's tunnel", async () => {
    const tunnel = await startTunnel(createFakeProvider(), options, { timeoutMs: 1000 });
    expect(tunnel.url).toBe("http://127.0.0.1:4010");
  });

  it("gives up on a start that never settles, with a stuck error (exit 2)", async () => {
    const started = performance.now();
    const error = await failure(startTunnel(createFakeProvider({ mode: "hang" }), options, { timeoutMs: 100 }));
    expect(performance.now() - started).toBeLessThan(1000);
    expect(error.kind).toBe("timeout");
    expect(error.stuck).toBe(true);
    expect(error.exitCode).toBe(2);
    expect(error.message).toBe("fake tunnel did not answer within 0.1s, so no tunnel was opened");
  });

  it("stops waiting when the signal aborts", async () => {
    const controller = new AbortController();
    const pending = startTunnel(createFakeProvider({ mode: "hang" }), options, { timeoutMs: 60_000, signal: controller.signal });
    controller.abort();
    expect((await failure(pending)).kind).toBe("aborted");
  });

  it("passes on a provider's mapped error", async () => {
    const error = await failure(startTunnel(createFakeProvider({ mode: "ERR_NGROK_108" }), options, { timeoutMs: 1000 }));
    expect(error.kind).toBe("session-limit");
    expect(error.stuck).toBe(false);
  });

  it("checks the token before anything else, without touching the network or the SDK", async () => {
    const provider = createNgrokProvider();
    const error = await failure(startTunnel(provider, { ...options, authtoken: undefined }, { timeoutMs: 1000 }));
    expect(error.kind).toBe("missing-token");
  });

  it("closes a tunnel that comes up after it was given up on", async () => {
    let resolveLate: (tunnel: Tunnel) => void = () => undefined;
    let closed = false;
    const provider = {
      name: "late",
      preflight: () => undefined,
      start: () => new Promise<Tunnel>((resolve) => (resolveLate = resolve)),
    };
    await failure(startTunnel(provider, options, { timeoutMs: 20 }));
    resolveLate({
      url: "https://late",
      close: () => {
        closed = true;
        return Promise.resolve();
      },
    });
    await new Promise((resolve) => setImmediate(resolve));
    expect(closed).toBe(true);
  });
});

describe("closeTunnel", () => {
  it("is bounded in time", async () => {
    const stuck: Tunnel = { url: "x", close: () => new Promise(() => undefined) };
    expect(await closeTunnel(stuck, 50)).toBe(false);
    const fine: Tunnel = { url: "x", close: () => Promise.resolve() };
    expect(await closeTunnel(fine, 50)).toBe(true);
  });
});

describe("tunnelProviderFor", () => {
  it("picks the fake provider from WTBHOOK_TUNNEL_PROVIDER, ngrok otherwise", async () => {
    expect((await tunnelProviderFor({ WTBHOOK_TUNNEL_PROVIDER: "fake" })).name).toBe("fake tunnel");
    expect((await tunnelProviderFor({})).name).toBe("ngrok");
    fakeTunnelEvents.length = 0;
  });
});

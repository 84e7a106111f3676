// Starts a tunnel with a time limit and closes it with one: providers may never settle on their own.

import { TunnelError, timeoutError } from "./errors.js";
import type { Tunnel, TunnelProvider, TunnelStartOptions } from "./provider.js";

/** Chooses the provider: ngrok, or the fake one when WTBHOOK_TUNNEL_PROVIDER=fake (tests, demos). */
export async function tunnelProviderFor(env: Readonly<Record<string, string | undefined>>): Promise<TunnelProvider> {
  if (env["WTBHOOK_TUNNEL_PROVIDER"] === "fake") {
    const { createFakeProvider } = await import("./fake.js");
    return createFakeProvider({ mode: env["WTBHOOK_FAKE_TUNNEL"] });
  }
  const { createNgrokProvider } = await import("./ngrok.js");
  return createNgrokProvider();
}

/**
 * Starts the tunnel, giving up after `timeoutMs` or when `signal` aborts. A start given up on may
 * still hold the provider inside this process (the ngrok SDK cannot be cancelled): the error then
 * has `stuck: true`, and the caller must end the process rather than retry.
 */
export async function startTunnel(
  provider: TunnelProvider,
  options: TunnelStartOptions,
  limits: { timeoutMs: number; signal?: AbortSignal | undefined },
): Promise<Tunnel> {
  provider.preflight(options);
  let timer: NodeJS.Timeout | undefined;
  let onAbort: (() => void) | undefined;
  const started = provider.start(options);
  const giveUp = new Promise<never>((_, reject) => {
    if (limits.timeoutMs > 0) timer = setTimeout(() => reject(timeoutError(provider.name, limits.timeoutMs)), limits.timeoutMs);
    onAbort = () => reject(new TunnelError("aborted", "stopped while the tunnel was starting", { stuck: true }));
    if (limits.signal?.aborted) onAbort();
    else limits.signal?.addEventListener("abort", onAbort, { once: true });
  });
  try {
    return await Promise.race([started, giveUp]);
  } catch (error) {
    // A start that resolves after we gave up must not leave a tunnel open: close it when it comes.
    started.then(
      (late) => late.close().catch(() => undefined),
      () => undefined,
    );
    throw error;
  } finally {
    clearTimeout(timer);
    if (onAbort) limits.signal?.removeEventListener("abort", onAbort);
  }
}

/** Closes a tunnel, waiting at most `ms`; resolves false when it did not close in time. */
export async function closeTunnel(tunnel: Tunnel, ms = 3_000): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  try {
    return await Promise.race([
      tunnel.close().then(
        () => true,
        () => true,
      ),
      late,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

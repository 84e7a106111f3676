// One `listen` run: recording, receiver and tunnel started in order, counted, and closed in reverse.

import { openRecording, type Recording } from "../record/recording.js";
import type { Tunnel } from "../tunnel/provider.js";
import { closeTunnel, startTunnel, tunnelProviderFor } from "../tunnel/start.js";
import { startReceiver, type Receiver } from "./receiver.js";
import type { ReceivedEvent, StrayRequest } from "./types.js";

/** What a `listen` session does; how it is shown is the command's business. */
export interface ListenSessionOptions {
  /** The address to listen on; a wildcard (0.0.0.0, ::) listens on every interface. */
  host: string;
  /** 0 picks a free port. */
  port: number;
  /** The receiving path; random and unguessable under --tunnel unless --path was given. */
  path: string;
  /** Largest body accepted, in bytes (413 above). */
  maxBody: number;
  /** The status answered when not forwarding. */
  status: number;
  /** Answer 500 to the first N deliveries of each event id (0: never). */
  failFirst: number;
  /** The app's URL, when forwarding. */
  forwardTo: string | undefined;
  /** How long the app may take; 0 waits forever. */
  forwardTimeoutMs: number;
  /** Accept any certificate on an https app (--insecure). */
  forwardInsecure: boolean;
  /** The recording's path, when recording. */
  record: string | undefined;
  tunnel: { authtoken: string | undefined; domain: string | undefined; timeoutMs: number; serverAddr: string | undefined } | undefined;
}

/**
 * What a session received. `events` are JSON bodies on the receiving path; `invalid`, `failed`,
 * `redeliveries` and `unknownTypes` count among them. Bodies that were not JSON or too large,
 * strays and broken connections are other requests, each counted once in its own field.
 */
export interface ListenStats {
  /** Events (JSON bodies) by type; "(no type)" for JSON without a string `type`. */
  byType: Map<string, number>;
  events: number;
  /** Events that failed their schema check: an error (an unknown type is only a warning). */
  invalid: number;
  /** Events that passed their schema check with warnings (an unknown type among them). */
  warned: number;
  /** Events answered with anything but 2xx, or not answered at all (the sender hung up first). */
  failed: number;
  /** Bodies that were not JSON (400) or too large (413): not events, so not in the counts above. */
  rejected: number;
  /** Requests refused unread because the bodies in flight already filled their budget (503). */
  busy: number;
  redeliveries: number;
  unknownTypes: number;
  /** Requests to other paths or with other methods (404/405). */
  strays: number;
  /** Malformed HTTP, slow senders and resets. */
  clientErrors: number;
  /** Requests that could not be written to the --record file (answered 500). */
  unrecorded: number;
}

export interface ListenHooks {
  onEvent?: (event: ReceivedEvent) => void;
  onStray?: (request: StrayRequest) => void;
  onTunnelStatus?: (status: "online" | "reconnecting") => void;
  /** Something worth a warning that does not stop the session: a repaired or deleted recording, a request wtbhook failed to handle. */
  onWarning?: (message: string) => void;
  /** Aborts a tunnel start (Ctrl+C while connecting). */
  signal?: AbortSignal | undefined;
  env?: Readonly<Record<string, string | undefined>>;
}

export interface ListenSession {
  /** The local URL of the receiving path. */
  readonly localUrl: string;
  /** Every local URL of the receiving path: `localUrl` alone, or one per interface on a wildcard host. */
  readonly localUrls: readonly string[];
  /** The public URL of the receiving path under --tunnel. */
  readonly publicUrl: string | undefined;
  readonly tunnelName: string | undefined;
  readonly stats: ListenStats;
  /** Stops receiving, finishes requests in flight, closes the recording and the tunnel. Idempotent. */
  close(): Promise<{ tunnelClosed: boolean }>;
}

/**
 * How many distinct types are counted one by one, and how long a type may be as a key. Senders
 * choose types freely (through a public tunnel, anyone does): past the limit, further types are
 * counted together, so that neither memory nor the summary grows without end.
 */
export const MAX_TYPES_COUNTED = 100;
export const MAX_TYPE_KEY = 200;
export const OTHER_TYPES = "(other types)";

export function emptyStats(): ListenStats {
  return {
    byType: new Map(),
    events: 0,
    invalid: 0,
    warned: 0,
    failed: 0,
    rejected: 0,
    busy: 0,
    redeliveries: 0,
    unknownTypes: 0,
    strays: 0,
    clientErrors: 0,
    unrecorded: 0,
  };
}

function count(stats: ListenStats, event: ReceivedEvent): void {
  if (event.recordError !== undefined) stats.unrecorded++;
  if (event.outcome === "busy") {
    stats.busy++;
    return;
  }
  if (event.outcome !== "event") {
    stats.rejected++;
    return;
  }
  stats.events++;
  const status = event.answer.status;
  if (status === undefined || status < 200 || status > 299) stats.failed++;
  const type =
    event.type === undefined ? "(no type)" : event.type.length > MAX_TYPE_KEY ? `${event.type.slice(0, MAX_TYPE_KEY)}…` : event.type;
  const key = stats.byType.has(type) || stats.byType.size < MAX_TYPES_COUNTED ? type : OTHER_TYPES;
  stats.byType.set(key, (stats.byType.get(key) ?? 0) + 1);
  if (event.check?.valid === false) stats.invalid++;
  else if (event.check?.severity === "warning") stats.warned++;
  if (event.delivery > 1) stats.redeliveries++;
  if (event.type !== undefined && !event.knownType) stats.unknownTypes++;
}

/**
 * Starts everything `listen` needs. On failure whatever was started is closed again; a tunnel
 * start that timed out throws a TunnelError with `stuck: true` (the process must then end).
 */
export async function startListenSession(options: ListenSessionOptions, hooks: ListenHooks = {}): Promise<ListenSession> {
  const stats = emptyStats();
  const provider = options.tunnel ? await tunnelProviderFor(hooks.env ?? {}) : undefined;
  // Offline checks first: a missing token fails before any port is opened or file created.
  if (provider && options.tunnel) {
    provider.preflight({ localAddr: "", authtoken: options.tunnel.authtoken, domain: options.tunnel.domain });
  }
  const recording: Recording | undefined = options.record
    ? openRecording(options.record, { onNotice: (notice) => hooks.onWarning?.(notice.message) })
    : undefined;
  // A start that failed leaves no empty recording behind (an existing one is left as it was).
  const dropRecording = (): void => recording?.discard();
  let receiver: Receiver;
  try {
    receiver = await startReceiver({
      host: options.host,
      port: options.port,
      path: options.path,
      maxBody: options.maxBody,
      status: options.status,
      failFirst: options.failFirst,
      forwardTo: options.forwardTo,
      forwardTimeoutMs: options.forwardTimeoutMs,
      forwardInsecure: options.forwardInsecure,
      recording,
      onEvent: (event) => {
        count(stats, event);
        hooks.onEvent?.(event);
      },
      onStray: (request) => {
        stats.strays++;
        hooks.onStray?.(request);
      },
      onClientError: (code) => {
        if (code.startsWith("internal: ")) hooks.onWarning?.(`wtbhook failed while handling a request: ${code.slice(10)}`);
        else stats.clientErrors++;
      },
    });
  } catch (error) {
    dropRecording();
    throw error;
  }

  let tunnel: Tunnel | undefined;
  if (provider && options.tunnel) {
    try {
      tunnel = await startTunnel(
        provider,
        {
          localAddr: receiver.address,
          authtoken: options.tunnel.authtoken,
          domain: options.tunnel.domain,
          serverAddr: options.tunnel.serverAddr,
          onStatus: hooks.onTunnelStatus,
        },
        { timeoutMs: options.tunnel.timeoutMs, signal: hooks.signal },
      );
    } catch (error) {
      await receiver.close();
      dropRecording();
      throw error;
    }
  }

  let closing: Promise<{ tunnelClosed: boolean }> | undefined;
  return {
    localUrl: receiver.url,
    localUrls: receiver.urls,
    publicUrl: tunnel ? `${tunnel.url}${options.path}` : undefined,
    tunnelName: provider?.name,
    stats,
    close() {
      closing ??= (async () => {
        // The tunnel stays up while requests in flight finish, so their answers reach the sender.
        await receiver.close();
        recording?.close();
        const tunnelClosed = tunnel ? await closeTunnel(tunnel) : true;
        return { tunnelClosed };
      })();
      return closing;
    },
  };
}

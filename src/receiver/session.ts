// One `listen` run: recording, receiver and tunnel started in order, counted, and closed in reverse.

import { existsSync, rmSync } from "node:fs";

import { openRecordWriter, type RecordWriter } from "../record/record.js";
import type { Tunnel } from "../tunnel/provider.js";
import { closeTunnel, startTunnel, tunnelProviderFor } from "../tunnel/start.js";
import type { ListenOptions } from "../commands/listen-options.js";
import { startReceiver, type Receiver } from "./receiver.js";
import type { ReceivedEvent, StrayRequest } from "./types.js";

/**
 * What a session received. `events` are JSON bodies on the receiving path; `invalid`, `failed`,
 * `redeliveries` and `unknownTypes` count among them. Bodies that were not JSON or too large,
 * strays and broken connections are other requests, each counted once in its own field.
 */
export interface ListenStats {
  /** Events (JSON bodies) by type; "(no type)" for JSON without a string `type`. */
  byType: Map<string, number>;
  events: number;
  /** Events that failed their schema check (an unknown type is not invalid, only flagged). */
  invalid: number;
  /** Events answered with anything but 2xx. */
  failed: number;
  /** Bodies that were not JSON (400) or too large (413): not events, so not in the counts above. */
  rejected: number;
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
  /** Aborts a tunnel start (Ctrl+C while connecting). */
  signal?: AbortSignal | undefined;
  env?: Readonly<Record<string, string | undefined>>;
}

export interface ListenSession {
  /** The local URL of the receiving path. */
  readonly localUrl: string;
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
    failed: 0,
    rejected: 0,
    redeliveries: 0,
    unknownTypes: 0,
    strays: 0,
    clientErrors: 0,
    unrecorded: 0,
  };
}

function count(stats: ListenStats, event: ReceivedEvent): void {
  if (event.recordError !== undefined) stats.unrecorded++;
  if (event.outcome !== "event") {
    stats.rejected++;
    return;
  }
  stats.events++;
  if (event.answer.status < 200 || event.answer.status > 299) stats.failed++;
  const type =
    event.type === undefined ? "(no type)" : event.type.length > MAX_TYPE_KEY ? `${event.type.slice(0, MAX_TYPE_KEY)}…` : event.type;
  const key = stats.byType.has(type) || stats.byType.size < MAX_TYPES_COUNTED ? type : OTHER_TYPES;
  stats.byType.set(key, (stats.byType.get(key) ?? 0) + 1);
  if (event.check?.valid === false) stats.invalid++;
  if (event.delivery > 1) stats.redeliveries++;
  if (event.type !== undefined && !event.knownType) stats.unknownTypes++;
}

/**
 * Starts everything `listen` needs. On failure whatever was started is closed again; a tunnel
 * start that timed out throws a TunnelError with `stuck: true` (the process must then end).
 */
export async function startListenSession(options: ListenOptions, hooks: ListenHooks = {}): Promise<ListenSession> {
  const stats = emptyStats();
  const provider = options.tunnel ? await tunnelProviderFor(hooks.env ?? {}) : undefined;
  // Offline checks first: a missing token fails before any port is opened or file created.
  if (provider && options.tunnel) {
    provider.preflight({ localAddr: "", authtoken: options.tunnel.authtoken, domain: options.tunnel.domain });
  }
  const recordIsNew = options.record !== undefined && !existsSync(options.record);
  const recorder: RecordWriter | undefined = options.record ? openRecordWriter(options.record) : undefined;
  /** A start that failed leaves no empty recording behind (an existing one is left as it was). */
  const dropRecording = (): void => {
    recorder?.close();
    if (recordIsNew && options.record !== undefined) rmSync(options.record, { force: true });
  };
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
      recorder,
      onEvent: (event) => {
        count(stats, event);
        hooks.onEvent?.(event);
      },
      onStray: (request) => {
        stats.strays++;
        hooks.onStray?.(request);
      },
      onClientError: () => {
        stats.clientErrors++;
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
    publicUrl: tunnel ? `${tunnel.url}${options.path}` : undefined,
    tunnelName: provider?.name,
    stats,
    close() {
      closing ??= (async () => {
        // The tunnel stays up while requests in flight finish, so their answers reach the sender.
        await receiver.close();
        recorder?.close();
        const tunnelClosed = tunnel ? await closeTunnel(tunnel) : true;
        return { tunnelClosed };
      })();
      return closing;
    },
  };
}

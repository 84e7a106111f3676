// Turns `listen`'s flag values into checked options; every mistake is a usage error (exit 2).

import { randomBytes } from "node:crypto";

import { parseDuration } from "../duration.js";
import { WtbhookError } from "../errors.js";
import { parseHttpUrl, parseSize, parseWholeNumber } from "./flag-values.js";
import { DEFAULT_MAX_BODY } from "../receiver/body.js";
import { DEFAULT_PORT } from "../receiver/receiver.js";
import { DEFAULT_UI_PORT } from "../inspector/port.js";
import type { ListenSessionOptions } from "../receiver/session.js";

/** The flags as commander hands them over (strings, unparsed). */
export interface ListenFlags {
  host?: string;
  port?: string;
  path?: string;
  maxBody?: string;
  status?: string;
  failFirst?: string;
  forwardTo?: string;
  forwardTimeout?: string;
  insecure?: boolean;
  record?: string;
  events?: string;
  json?: boolean;
  verbose?: boolean;
  tunnel?: boolean;
  ngrokAuthtoken?: string;
  ngrokDomain?: string;
  tunnelTimeout?: string;
  /** False with --no-ui. */
  ui?: boolean;
  uiPort?: string;
  /** The folder of the inspector's Save as fixture (read by inspector-setup when it serves). */
  fixtures?: string;
}

/** How `listen` shows what it receives: the command's business, never the session's. */
export interface ListenView {
  /** One JSON object per event on stdout instead of lines for people. */
  json: boolean;
  /** Headers, payload and the app's answer under each line. */
  verbose: boolean;
  /** `--events` globs: which types are shown (all are still answered and counted). */
  events: string | undefined;
}

/** Where the inspector serves (`--ui-port`); undefined with `--no-ui`. */
export interface InspectorPort {
  /** 0 picks a free port. */
  port: number;
  /** True when the port is the default one, which nobody asked for: taken, a free one is used instead. */
  fallback: boolean;
}

/** The flags, checked: what the session does, how the command shows it, and where the inspector serves. */
export interface ListenOptions {
  session: ListenSessionOptions;
  view: ListenView;
  inspector: InspectorPort | undefined;
}

/** The inspector's port from --ui-port (default 4011, which falls back to a free port when taken). */
export function resolveUiPort(uiPort: string | undefined): InspectorPort {
  if (uiPort === undefined) return { port: DEFAULT_UI_PORT, fallback: true };
  return { port: parseWholeNumber(uiPort, "--ui-port", { min: 0, max: 65535 }), fallback: false };
}

function usage(message: string, hint?: string): WtbhookError {
  return new WtbhookError(message, { code: "bad-flag", hint });
}

/** A random, unguessable receiving path, so that scanners finding the public host get 404. */
export function randomReceivingPath(): string {
  return `/wtb-${randomBytes(16).toString("hex")}`;
}

/** True when `url` would reach this receiver itself (same port on a local address): a forwarding loop. */
function pointsAtSelf(url: string, host: string, port: number): boolean {
  if (port === 0) return false;
  const target = new URL(url);
  const targetPort = target.port ? Number(target.port) : target.protocol === "https:" ? 443 : 80;
  if (targetPort !== port) return false;
  const name = target.hostname.replace(/^\[|\]$/g, "");
  return /^127\./.test(name) || ["localhost", "::1", "0.0.0.0", "::", host].includes(name);
}

/** @throws WtbhookError (exit 2) naming the flag, for every value that cannot be used. */
export function resolveListenOptions(flags: ListenFlags, env: Readonly<Record<string, string | undefined>>): ListenOptions {
  let path = flags.path;
  if (path !== undefined && !path.startsWith("/")) throw usage(`--path must start with "/"; got "${path}"`);
  if (path !== undefined && /[?#]/.test(path)) {
    throw usage(
      `--path takes a path only, without "?" or "#"; got "${path}"`,
      "The query of a request does not matter: any query reaches the path.",
    );
  }
  // As senders send it: percent-encoded (spaces, non-ASCII), so that the URL shown is the one that works.
  if (path !== undefined) path = new URL(`http://x${path}`).pathname;
  if (path === undefined) path = flags.tunnel ? randomReceivingPath() : "/";
  // Checked with or without --tunnel, like every other flag. 0 would mean "wait forever", and a
  // silent network makes the SDK wait forever: the one thing this limit exists to prevent.
  const tunnelTimeoutMs = parseDuration(flags.tunnelTimeout ?? "20s", "--tunnel-timeout");
  if (tunnelTimeoutMs === 0)
    throw usage(`--tunnel-timeout must be more than 0; got "${flags.tunnelTimeout}"`, "Use a long one such as 5m to wait longer.");
  const tunnel = flags.tunnel
    ? {
        authtoken: flags.ngrokAuthtoken || env["NGROK_AUTHTOKEN"] || undefined,
        domain: flags.ngrokDomain,
        timeoutMs: tunnelTimeoutMs,
        serverAddr: env["WTBHOOK_NGROK_SERVER_ADDR"] || undefined,
      }
    : undefined;
  if (!flags.tunnel && (flags.ngrokDomain || flags.ngrokAuthtoken)) {
    throw usage("--ngrok-domain and --ngrok-authtoken only make sense with --tunnel");
  }
  const host = flags.host ?? "127.0.0.1";
  const port = flags.port === undefined ? DEFAULT_PORT : parseWholeNumber(flags.port, "--port", { min: 0, max: 65535 });
  const forwardTo = flags.forwardTo === undefined ? undefined : parseHttpUrl(flags.forwardTo, "--forward-to").href;
  if (forwardTo !== undefined && flags.status !== undefined) {
    throw usage(
      "--status only applies without --forward-to: when forwarding, the sender gets your app's status",
      "Make the app answer the status you want, or drop --forward-to.",
    );
  }
  if (flags.insecure && forwardTo === undefined) {
    throw usage("--insecure only applies with --forward-to: it accepts the app's self-signed certificate");
  }
  if (forwardTo !== undefined && pointsAtSelf(forwardTo, host, port)) {
    throw usage(
      `--forward-to ${forwardTo} is this listen itself (port ${port}): every event would be forwarded to itself, again and again`,
      "Point --forward-to at your app's port, or move listen with -p.",
    );
  }
  const session: ListenSessionOptions = {
    host,
    port,
    path,
    maxBody: flags.maxBody === undefined ? DEFAULT_MAX_BODY : parseSize(flags.maxBody, "--max-body"),
    status: flags.status === undefined ? 200 : parseWholeNumber(flags.status, "--status", { min: 200, max: 599 }),
    failFirst: flags.failFirst === undefined ? 0 : parseWholeNumber(flags.failFirst, "--fail-first", { min: 0, max: 1_000_000 }),
    forwardTo,
    forwardTimeoutMs: parseDuration(flags.forwardTimeout ?? "30s", "--forward-timeout"),
    forwardInsecure: flags.insecure === true,
    record: flags.record,
    tunnel,
  };
  if (flags.ui === false && flags.uiPort !== undefined) throw usage("--ui-port and --no-ui contradict each other: drop one");
  const inspector = flags.ui === false ? undefined : resolveUiPort(flags.uiPort);
  if (
    inspector &&
    inspector.port !== 0 &&
    inspector.port === port &&
    (host === "127.0.0.1" || host === "localhost" || host === "0.0.0.0" || host === "::")
  ) {
    throw usage(`--ui-port ${inspector.port} is listen's own port (-p)`, "Give the inspector another port, or 0 for any free one.");
  }
  return { session, view: { json: flags.json ?? false, verbose: flags.verbose ?? false, events: flags.events }, inspector };
}

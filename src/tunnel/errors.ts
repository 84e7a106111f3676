// Tunnel failures as plain sentences: the ngrok SDK's errors mapped by ERR_NGROK_* code and message.

import { ExitCode, WtbhookError, type TunnelFailure } from "../errors.js";

/** The kinds are listed with the other error codes, in errors.ts (each is the code `tunnel-<kind>`). */
export type TunnelErrorKind = TunnelFailure;

export class TunnelError extends WtbhookError {
  readonly kind: TunnelErrorKind;
  /** The provider's own code, such as ERR_NGROK_108. */
  readonly providerCode: string | undefined;
  /**
   * True when the provider may still be stuck inside this process (a start that never settled):
   * nothing can close it, so the process must end once the error is reported.
   */
  readonly stuck: boolean;

  constructor(
    kind: TunnelErrorKind,
    message: string,
    extra: { hint?: string; providerCode?: string; cause?: unknown; stuck?: boolean } = {},
  ) {
    super(message, { code: `tunnel-${kind}`, exitCode: ExitCode.usage, hint: extra.hint, cause: extra.cause });
    this.name = "TunnelError";
    this.kind = kind;
    this.providerCode = extra.providerCode;
    this.stuck = extra.stuck ?? false;
  }
}

const TOKEN_HINT =
  "Sign up at https://dashboard.ngrok.com/signup, copy your token from https://dashboard.ngrok.com/get-started/your-authtoken, then set NGROK_AUTHTOKEN (or pass --ngrok-authtoken).";

export function missingTokenError(): TunnelError {
  return new TunnelError("missing-token", "--tunnel needs an ngrok authtoken, and none was given", { hint: TOKEN_HINT });
}

export function timeoutError(provider: string, ms: number): TunnelError {
  return new TunnelError("timeout", `${provider} did not answer within ${ms / 1000}s, so no tunnel was opened`, {
    hint: "The network may block or filter the connection (firewall, proxy, offline). Raise --tunnel-timeout, or run without --tunnel and use `wtbhook send`.",
    stuck: true,
  });
}

interface CodeRule {
  kind: TunnelErrorKind;
  message: string;
  hint?: string;
}

const BY_CODE: Record<string, CodeRule> = {
  ERR_NGROK_4018: { kind: "missing-token", message: "ngrok requires a verified account and an authtoken", hint: TOKEN_HINT },
  ERR_NGROK_105: { kind: "bad-token", message: "ngrok rejected the authtoken (it is not a valid token)", hint: TOKEN_HINT },
  ERR_NGROK_106: { kind: "bad-token", message: "ngrok rejected the authtoken (an old-format token)", hint: TOKEN_HINT },
  ERR_NGROK_107: { kind: "bad-token", message: "ngrok rejected the authtoken (it was revoked or reset)", hint: TOKEN_HINT },
  ERR_NGROK_108: {
    kind: "session-limit",
    message: "your ngrok account already has as many agent sessions as it may (another ngrok or wtbhook is running)",
    hint: "Stop the other ngrok agent or wtbhook listen, or see https://dashboard.ngrok.com/agents.",
  },
  ERR_NGROK_120: { kind: "config", message: "ngrok does not support this agent version" },
  ERR_NGROK_320: {
    kind: "domain",
    message: "the --ngrok-domain is reserved by another ngrok account",
    hint: "Use a domain from https://dashboard.ngrok.com/domains.",
  },
  ERR_NGROK_324: { kind: "config", message: "the ngrok session has too many endpoints" },
  ERR_NGROK_326: {
    kind: "domain",
    message: "ngrok rejected the --ngrok-domain (not a valid domain)",
    hint: "Use a domain from https://dashboard.ngrok.com/domains.",
  },
  ERR_NGROK_334: {
    kind: "domain",
    message: "that ngrok domain is already online elsewhere (another agent is using it)",
    hint: "Stop the other agent, or use another --ngrok-domain.",
  },
  ERR_NGROK_9040: { kind: "blocked", message: "ngrok does not accept connections from this network (IP not allowed)" },
};

function codeOf(error: unknown): string | undefined {
  const explicit = (error as { errorCode?: unknown })?.errorCode;
  if (typeof explicit === "string") return explicit;
  const message = error instanceof Error ? error.message : String(error);
  return /error_code: (ERR_NGROK_\d+)/.exec(message)?.[1];
}

/** The SDK's message without the `error_code: …` suffix and on one line. */
function cleanMessage(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message
    .replace(/\s*error_code: ERR_NGROK_\d+\s*$/, "")
    .replace(/\s*\n\s*/g, " ")
    .trim();
}

/** Maps whatever the ngrok SDK threw to a TunnelError with a sentence a user can act on. */
export function describeNgrokError(error: unknown): TunnelError {
  if (error instanceof TunnelError) return error;
  const code = codeOf(error);
  const message = cleanMessage(error);
  if (code !== undefined) {
    const rule = BY_CODE[code];
    const docs = `https://ngrok.com/docs/errors/${code.toLowerCase()}`;
    if (rule)
      return new TunnelError(rule.kind, `${rule.message} (${code})`, {
        hint: rule.hint ?? `See ${docs}`,
        providerCode: code,
        cause: error,
      });
    return new TunnelError("unknown", `ngrok refused the tunnel: ${message} (${code})`, {
      hint: `See ${docs}`,
      providerCode: code,
      cause: error,
    });
  }
  if ((error as { code?: unknown })?.code === "MODULE_NOT_FOUND" || /Cannot find module '@ngrok\//.test(message)) {
    return new TunnelError("unavailable-platform", "the ngrok SDK has no native build for this platform, so --tunnel is unavailable", {
      hint: "Reinstall without --omit=optional, or run without --tunnel and expose the port with a tunnel of your own.",
      cause: error,
    });
  }
  if (message.includes("failed to establish tcp connection")) {
    return new TunnelError("unreachable", "cannot reach ngrok's servers (offline, DNS or a firewall?)", {
      hint: "Check the internet connection, or run without --tunnel and use `wtbhook send` to test locally.",
      cause: error,
    });
  }
  if (message.includes("tls handshake error")) {
    return new TunnelError("tls", "the secure connection to ngrok failed (a proxy or firewall inspecting TLS?)", {
      hint: "ngrok's SDK cannot go through HTTP proxies or TLS inspection; try another network.",
      cause: error,
    });
  }
  if (message.startsWith("invalid server address")) {
    return new TunnelError("config", `ngrok: ${message}`, { cause: error });
  }
  return new TunnelError("unknown", `ngrok could not open the tunnel: ${message}`, { cause: error });
}

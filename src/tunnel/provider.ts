// The tunnel interface `listen --tunnel` talks to; ngrok.ts and fake.ts implement it.

export interface TunnelStartOptions {
  /** Where the tunnel delivers: the receiver on loopback, as "127.0.0.1:PORT". */
  localAddr: string;
  /** Resolved by the command (flag, then NGROK_AUTHTOKEN); never printed. */
  authtoken: string | undefined;
  /** A reserved or dev domain for a stable URL. */
  domain?: string | undefined;
  /** Overrides the provider's server address (hidden; for tests against a local server). */
  serverAddr?: string | undefined;
  /** Told when an established tunnel drops and comes back. */
  onStatus?: ((status: "online" | "reconnecting") => void) | undefined;
}

export interface Tunnel {
  /** The public base URL, such as https://abc.ngrok-free.dev (no trailing slash). */
  readonly url: string;
  close(): Promise<void>;
}

export interface TunnelProvider {
  readonly name: string;
  /** Offline checks that must pass before any network attempt (a token is present). Throws TunnelError. */
  preflight(options: TunnelStartOptions): void;
  /** Opens the tunnel. May never settle (see tunnel/start.ts, which bounds it). Throws TunnelError. */
  start(options: TunnelStartOptions): Promise<Tunnel>;
}

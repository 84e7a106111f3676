import { describe, expect, it } from "vitest";

import { WtbhookError } from "../../../src/errors.js";
import { resolveListenOptions, type ListenFlags } from "../../../src/commands/listen-options.js";
import type { ListenSessionOptions } from "../../../src/receiver/session.js";

/** The session's part of the options: what most flags map to. */
function sessionOf(flags: ListenFlags, env: Record<string, string> = {}): ListenSessionOptions {
  return resolveListenOptions(flags, env).session;
}

describe("resolveListenOptions", () => {
  it("has documented defaults, and keeps how events are shown apart from what the session does", () => {
    expect(resolveListenOptions({}, {})).toEqual({
      session: {
        host: "127.0.0.1",
        port: 4010,
        path: "/",
        maxBody: 1024 * 1024,
        status: 200,
        failFirst: 0,
        forwardTo: undefined,
        forwardTimeoutMs: 30_000,
        forwardInsecure: false,
        record: undefined,
        tunnel: undefined,
      },
      view: { json: false, verbose: false, events: undefined },
      inspector: { port: 4011, fallback: true },
    });
    expect(resolveListenOptions({ json: true, verbose: true, events: "user.*" }, {}).view).toEqual({
      json: true,
      verbose: true,
      events: "user.*",
    });
  });

  it("serves the inspector on --ui-port (the default 4011 falls back to a free port when taken), or not with --no-ui", () => {
    expect(resolveListenOptions({ uiPort: "4600" }, {}).inspector).toEqual({ port: 4600, fallback: false });
    expect(resolveListenOptions({ uiPort: "0" }, {}).inspector).toEqual({ port: 0, fallback: false });
    expect(resolveListenOptions({ ui: false }, {}).inspector).toBeUndefined();
    expect(() => resolveListenOptions({ uiPort: "70000" }, {})).toThrow(/--ui-port/);
    expect(() => resolveListenOptions({ ui: false, uiPort: "4600" }, {})).toThrow(/--ui-port and --no-ui/);
    expect(() => resolveListenOptions({ port: "4600", uiPort: "4600" }, {})).toThrow(/listen's own port/);
  });

  it("maps flags", () => {
    const options = sessionOf({ port: "0", path: "/hooks", status: "202", failFirst: "2", maxBody: "512kb" }, {});
    expect(options).toMatchObject({ port: 0, path: "/hooks", status: 202, failFirst: 2, maxBody: 524_288 });
    const forwarding = sessionOf({ port: "0", forwardTo: "http://localhost:3000/w", forwardTimeout: "0" }, {});
    expect(forwarding).toMatchObject({ forwardTo: "http://localhost:3000/w", forwardTimeoutMs: 0 });
  });

  it("forwards to another port or host of the same machine", () => {
    expect(sessionOf({ forwardTo: "http://localhost:3000/webhooks" }, {}).forwardTo).toBe("http://localhost:3000/webhooks");
    expect(sessionOf({ port: "0", forwardTo: "http://localhost:4010/" }, {}).forwardTo).toBe("http://localhost:4010/");
    expect(sessionOf({ forwardTo: "http://app.internal:4010/" }, {}).forwardTo).toBe("http://app.internal:4010/");
  });

  it("percent-encodes --path as senders send it", () => {
    expect(sessionOf({ path: "/héllo wörld" }, {}).path).toBe("/h%C3%A9llo%20w%C3%B6rld");
    expect(sessionOf({ path: "//double/slash" }, {}).path).toBe("//double/slash");
    expect(sessionOf({ path: "/a%20b" }, {}).path).toBe("/a%20b");
  });

  it("gives the tunnel a random unguessable path unless --path is given", () => {
    const a = sessionOf({ tunnel: true }, {});
    const b = sessionOf({ tunnel: true }, {});
    expect(a.path).toMatch(/^\/wtb-[0-9a-f]{32}$/);
    expect(a.path).not.toBe(b.path);
    expect(sessionOf({ tunnel: true, path: "/mine" }, {}).path).toBe("/mine");
  });

  it("takes the token from the flag, else NGROK_AUTHTOKEN, and the hidden server address from the environment", () => {
    expect(sessionOf({ tunnel: true }, { NGROK_AUTHTOKEN: "env-token" }).tunnel).toEqual({
      authtoken: "env-token",
      domain: undefined,
      timeoutMs: 20_000,
      serverAddr: undefined,
    });
    const flagged = sessionOf(
      { tunnel: true, ngrokAuthtoken: "flag-token", ngrokDomain: "me.ngrok.dev", tunnelTimeout: "2s" },
      { NGROK_AUTHTOKEN: "env-token", WTBHOOK_NGROK_SERVER_ADDR: "127.0.0.1:9" },
    );
    expect(flagged.tunnel).toEqual({ authtoken: "flag-token", domain: "me.ngrok.dev", timeoutMs: 2000, serverAddr: "127.0.0.1:9" });
  });

  it.each([
    [{ port: "70000" }, "--port"],
    [{ port: "abc" }, "--port"],
    [{ status: "99" }, "--status"],
    [{ failFirst: "-1" }, "--fail-first"],
    [{ maxBody: "lots" }, "--max-body"],
    [{ forwardTo: "localhost:3000" }, "--forward-to"],
    [{ forwardTo: "ftp://x/" }, "--forward-to"],
    [{ path: "hooks" }, "--path"],
    [{ path: "/hooks?x=1" }, "--path"],
    [{ forwardTo: "http://127.0.0.1:4010/" }, "--forward-to"],
    [{ status: "503", forwardTo: "http://localhost:3000/" }, "--status"],
    [{ port: "3000", forwardTo: "http://localhost:3000/webhooks" }, "--forward-to"],
    [{ port: "80", forwardTo: "http://[::1]/" }, "--forward-to"],
    [{ host: "192.168.1.5", port: "8080", forwardTo: "http://192.168.1.5:8080/" }, "--forward-to"],
    [{ path: "/hooks#top" }, "--path"],
    [{ forwardTimeout: "soon" }, "--forward-timeout"],
    [{ ngrokDomain: "x.ngrok.dev" }, "--tunnel"],
    [{ tunnel: true, tunnelTimeout: "0" }, "--tunnel-timeout"],
    [{ tunnel: true, tunnelTimeout: "0s" }, "--tunnel-timeout"],
    [{ tunnelTimeout: "soon" }, "--tunnel-timeout"],
    [{ insecure: true }, "--insecure only applies with --forward-to"],
  ])("rejects %j as a usage error naming %s", (flags, flag) => {
    let thrown: unknown;
    try {
      resolveListenOptions(flags, {});
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(WtbhookError);
    expect((thrown as WtbhookError).exitCode).toBe(2);
    expect((thrown as WtbhookError).message).toContain(flag);
  });
});

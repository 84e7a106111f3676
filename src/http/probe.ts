// A quick check that something accepts connections at a URL's host and port (a TCP connect, no
// request), for a warning at start-up such as `listen --forward-to` an app that is not running.

import { connect } from "node:net";

import { classifyFailure } from "./failure.js";

/**
 * Connects to the URL's host and port once, within `timeoutMs`, and closes again. Resolves with
 * why nothing accepted (one line, in the words `send` uses), or undefined when something did.
 * Never rejects.
 */
export function probeConnect(url: URL, timeoutMs: number): Promise<string | undefined> {
  const port = Number(url.port || (url.protocol === "https:" ? 443 : 80));
  const host = url.hostname.replace(/^\[|\]$/g, "");
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const done = (problem: string | undefined): void => {
      clearTimeout(timer);
      socket.destroy();
      resolve(problem);
    };
    const timer = setTimeout(() => done(`no answer to a connection attempt within ${timeoutMs}ms`), timeoutMs);
    socket.once("connect", () => done(undefined));
    socket.once("error", (error) => {
      done(classifyFailure(error, { target: url, phase: "connect", timedOut: false, interrupted: false, timeoutMs, bodyBytes: 0 }).message);
    });
  });
}

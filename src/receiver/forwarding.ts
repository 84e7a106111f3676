// `--forward-to` as the receiver uses it: the forwarder loaded only when asked for, and the app's answer as the sender's reply.

import type { Reply } from "./answer.js";
import type { ForwardAnswer, Forwarder, ForwarderOptions } from "./forward.js";

/** Loads the forwarder (and the HTTP client with it) only when forwarding. */
export async function loadForwarder(url: string, options: ForwarderOptions): Promise<Forwarder> {
  return (await import("./forward.js")).createForwarder(url, options);
}

/** What the sender gets from a forward: the app's status and body, or wtbhook's 502/504/508 when there was no answer. */
export function replyFromForward(forwarded: ForwardAnswer): Reply {
  return {
    status: forwarded.status,
    by: forwarded.outcome.status === undefined ? "wtbhook" : "app",
    contentType: forwarded.contentType,
    body: forwarded.body,
  };
}

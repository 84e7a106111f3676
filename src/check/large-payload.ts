// large-payload: a post whose HTML message is 200 KB (a long post with pasted content); it must get a 2xx.

import type { CheckDefinition } from "./types.js";
import { describeAnswer, pass } from "./verdicts.js";

/** The message's size: over Express's default body limit (100 KB), under common 1 MB ones. */
const LARGE_MESSAGE_BYTES = 200 * 1024;

const PARAGRAPH =
  '<p>Here is the <strong>full log</strong> from our import, pasted as it came &ndash; <a href="https://example-shop.com/logs">the original</a>:</p><pre>2026-01-05 10:00:01 INFO imported customer 181855</pre>';

/** An HTML message of at least LARGE_MESSAGE_BYTES bytes. */
function largeMessage(): string {
  return PARAGRAPH.repeat(Math.ceil(LARGE_MESSAGE_BYTES / PARAGRAPH.length));
}

export const largePayload: CheckDefinition = {
  id: "large-payload",
  description: "a post.created whose HTML message is 200 KB; passes on a 2xx",
  stage: "together",
  async run(ctx) {
    const spec = { type: "post.created", set: [`data.object.message=${JSON.stringify(largeMessage())}`] };
    const delivery = await ctx.deliver({ label: "post.created (200 KB message)", spec });
    if (delivery.ok) return pass("a post.created with a 200 KB HTML message was answered 2xx");
    const hint = delivery.status === 413 ? ": raise your endpoint's body size limit (Express's default is 100 KB)" : "";
    return { status: "fail", reason: `a post.created with a 200 KB HTML message was ${describeAnswer(delivery)}${hint}` };
  },
};

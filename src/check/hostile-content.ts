// hostile-content: text a forum really gets (HTML and <script> in a post, emoji, right-to-left
// text, control characters, a very long username), which the consumer must store or show safely
// and still answer with a 2xx.

import type { CheckDefinition } from "./types.js";
import { everyAnswer2xx, listFailures } from "./verdicts.js";

/**
 * JSON string values as they go on the wire. Control characters and bidirectional controls are
 * written as \u escapes (JSON does not allow them raw, and the printed commands stay readable);
 * emoji and right-to-left letters are raw UTF-8.
 */
const MESSAGE = JSON.stringify(
  '<p>Thanks!</p><script>alert("xss")</script><img src=x onerror="alert(1)"><p>😀🎉👍🏽 שלום עולם مرحبا \u202egnp.exe\u202c zero\u200bwidth</p><p>nul \u0000 bell \u0007 escape \u001b[2J</p><p>\'; DROP TABLE posts; --</p>',
);
const LONG_USERNAME = JSON.stringify(`${"ж".repeat(20)}_${"verylongusername".repeat(17)}_${"x".repeat(5)}🦄`);
const RTL_NAME = JSON.stringify("محمد \u202eevil\u202c 👩‍💻");

export const hostileContent: CheckDefinition = {
  id: "hostile-content",
  description:
    "HTML and <script> in a post, emoji, right-to-left text, control characters, a very long username; passes when all get a 2xx",
  stage: "together",
  async run(ctx) {
    const deliveries = [
      await ctx.deliver({
        label: "post.created (HTML, script, emoji, control characters)",
        spec: { type: "post.created", set: [`data.object.message=${MESSAGE}`, `data.object.author.username=${LONG_USERNAME}`] },
      }),
      await ctx.deliver({
        label: "user.created (long username, right-to-left name)",
        spec: {
          type: "user.created",
          set: [`data.object.username=${LONG_USERNAME}`, `data.object.name=${RTL_NAME}`, `data.object.signature=${MESSAGE}`],
        },
      }),
    ];
    return everyAnswer2xx(
      deliveries,
      "fail",
      "a post and a user with HTML, <script>, emoji, right-to-left text, control characters and a 300-character username were answered 2xx",
      (failed) => `hostile but real content did not get a 2xx: ${listFailures(failed)}`,
    );
  },
};

// A Website Toolbox webhook consumer on plain node:http, with no dependencies. It answers 2xx
// fast (Website Toolbox retries anything else every hour for 3 days), once per event id, and
// does the work after answering. Run: PORT=3000 node server.js
import { createServer } from "node:http";

const PORT = Number(process.env.PORT ?? 3000);
// Long posts are large: stay well above them.
const MAX_BODY_BYTES = 1024 * 1024;

// The event ids already received. A real app keeps them in its database (a unique key on the
// event id), stored in the same transaction as the work to do, so a restart or a second
// instance still knows them.
const seen = new Set();

/** The work, after the answer. Website Toolbox adds types and fields at any time: tolerate both. */
function handleEvent(event) {
  const object = event.data?.object ?? {};
  switch (event.type) {
    case "user.created":
      // Read fields with a fallback: few of them are documented as always present.
      createMember(object.userId, object.username ?? "", object.email ?? null);
      break;
    case "post.created":
      countPost(object.author?.userId ?? null, object.topicId ?? null);
      break;
    default:
    // A type this app does not handle (or one that did not exist yet): nothing to do.
  }
}

const members = new Map();
const postsByTopic = new Map();
function createMember(userId, username, email) {
  if (userId !== undefined && userId !== null) members.set(userId, { username, email });
}
function countPost(_authorId, topicId) {
  postsByTopic.set(topicId, (postsByTopic.get(topicId) ?? 0) + 1);
}

function answer(res, status, body) {
  res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
}

const server = createServer((req, res) => {
  if (req.method !== "POST" || req.url !== "/webhooks") return answer(res, 404, { error: "not found" });
  const chunks = [];
  let size = 0;
  req.on("data", (chunk) => {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) {
      answer(res, 413, { error: "too large" });
      req.destroy();
    } else chunks.push(chunk);
  });
  req.on("end", () => {
    let event;
    try {
      event = JSON.parse(Buffer.concat(chunks).toString("utf8"));
    } catch {
      return answer(res, 400, { error: "not JSON" });
    }
    if (typeof event !== "object" || event === null) return answer(res, 400, { error: "not an event" });
    // A retry, or a duplicate: it was received already, so say so with a 2xx.
    if (seen.has(event.id)) return answer(res, 200, { received: true, duplicate: true });
    seen.add(event.id);
    answer(res, 200, { received: true });
    setImmediate(() => {
      try {
        handleEvent(event);
      } catch (error) {
        // After a 2xx the event is not sent again: log, and retry from your own store.
        console.error(`event ${String(event.id)} failed: ${error instanceof Error ? error.message : String(error)}`);
      }
    });
  });
});

server.listen(PORT, () => console.log(`Listening on http://localhost:${server.address().port}/webhooks`));

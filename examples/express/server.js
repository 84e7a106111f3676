// A Website Toolbox webhook consumer on Express 5. It answers 2xx fast (Website Toolbox retries
// anything else every hour for 3 days), once per event id, and does the work after answering.
// Run: npm install && PORT=3000 npm start
import express from "express";

const PORT = Number(process.env.PORT ?? 3000);

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
      members.set(object.userId ?? null, { username: object.username ?? "", email: object.email ?? null });
      break;
    case "post.created":
      postsByTopic.set(object.topicId ?? null, (postsByTopic.get(object.topicId ?? null) ?? 0) + 1);
      break;
    default:
    // A type this app does not handle (or one that did not exist yet): nothing to do.
  }
}
const members = new Map();
const postsByTopic = new Map();

const app = express();

// Express's default body limit is 100 KB; a long forum post is larger.
app.post("/webhooks", express.json({ limit: "1mb" }), (req, res) => {
  const event = req.body;
  if (typeof event !== "object" || event === null) return res.status(400).json({ error: "not an event" });
  // A retry, or a duplicate: it was received already, so say so with a 2xx.
  if (seen.has(event.id)) return res.status(200).json({ received: true, duplicate: true });
  seen.add(event.id);
  res.status(200).json({ received: true });
  setImmediate(() => {
    try {
      handleEvent(event);
    } catch (error) {
      // After a 2xx the event is not sent again: log, and retry from your own store.
      console.error(`event ${String(event.id)} failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  });
});

// Bodies that are not JSON, or too large: a short 4xx, not a page with a stack trace.
app.use((error, _req, res, _next) => {
  res.status(error.status ?? 500).json({ error: error.type ?? "error" });
});

const server = app.listen(PORT, () => console.log(`Listening on http://localhost:${server.address().port}/webhooks`));

// A webhook consumer with one real-world flaw, run as its own process (so that a crash is a real
// crash) on 127.0.0.1 and a free port; it prints `Listening on <url>` as the examples do. FLAW picks the flaw:
//   none            a good consumer: any well-formed event gets 200, duplicates too
//   redirect        every POST is redirected to the path with a trailing slash (308)
//   unknown-type    types it does not know get 500
//   optional-field  reads data.object.author.username of post events without a fallback (500)
//   concurrency     a pool of 4 "database connections" and no queue (503 beyond), and a
//                   check-then-insert on the event id that races (500 on the second insert)
//   duplicate       500 on an event id it has seen
//   slow            does its work before answering user events: 300 ms
//   crash           answers 200, then handles the event; an event without data throws outside
//                   any try, and the process dies
import { createServer } from "node:http";

const flaw = process.env.FLAW ?? "none";
const KNOWN = new Set([
  "user.created",
  "user.approved",
  "user.updated",
  "user.deleted",
  "user.email.verified",
  "user.payment.received",
  "user.paid_subscription.started",
  "user.paid_subscription.ended",
  "topic.created",
  "topic.updated",
  "topic.deleted",
  "post.created",
  "post.approved",
  "post.updated",
  "post.deleted",
  "conversation.created",
  "message.created",
]);
const seen = new Set();
const stored = new Set();
let inUse = 0;
/**
 * The consumer's own latency (a slow database, a slow handler): the behaviour `check` judges, not
 * a wait of the tests, which wait for check's verdict.
 */
const latency = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** What a "database" round trip costs the concurrency flaw. */
async function query(ms) {
  if (inUse >= 4) throw Object.assign(new Error("connection pool exhausted"), { status: 503 });
  inUse++;
  try {
    await latency(ms);
  } finally {
    inUse--;
  }
}

async function handle(event) {
  switch (flaw) {
    case "unknown-type":
      if (!KNOWN.has(event.type)) throw new Error(`unhandled event type ${event.type}`);
      return;
    case "optional-field":
      // Guards data like real consumers do, but not the fields inside it.
      if (event.data && event.type.startsWith("post.")) event.data.object.author.username.toLowerCase();
      return;
    case "concurrency": {
      await query(5);
      const found = stored.has(event.id);
      if (found) return;
      await query(5);
      if (stored.has(event.id)) throw new Error('duplicate key value violates unique constraint "events_pkey"');
      stored.add(event.id);
      return;
    }
    case "duplicate":
      if (seen.has(event.id)) throw new Error('duplicate key value violates unique constraint "events_pkey"');
      seen.add(event.id);
      return;
    case "slow":
      if (event.type.startsWith("user.")) await latency(300);
      return;
    default:
  }
}

const server = createServer((req, res) => {
  const chunks = [];
  req.on("data", (chunk) => chunks.push(chunk));
  req.on("end", async () => {
    if (flaw === "redirect") {
      res.writeHead(308, { location: `${req.url}/` }).end();
      return;
    }
    let event;
    try {
      event = JSON.parse(Buffer.concat(chunks).toString("utf8"));
    } catch {
      res.writeHead(400).end("not JSON");
      return;
    }
    if (flaw === "crash") {
      res.writeHead(200).end("ok");
      // The work after answering, outside any try: a TypeError here ends the process.
      setImmediate(() => stored.add(event.data.object.userId ?? event.id));
      return;
    }
    try {
      await handle(event);
      res.writeHead(200, { "content-type": "application/json" }).end('{"ok":true}');
    } catch (error) {
      res.writeHead(error.status ?? 500, { "content-type": "text/plain" }).end(String(error.message));
    }
  });
});
server.listen(0, "127.0.0.1", () => console.log(`Listening on http://127.0.0.1:${server.address().port}/webhooks`));

// Takes the README's screenshots of the inspector: the real page in headless Chromium (Debian's
// /usr/bin/chromium), over real events sent with `wtbhook send` to `wtbhook listen --forward-to`
// a small local app. Writes docs/inspector-{list,details}-{light,dark}.png.
//
//   npm run build && node scripts/screenshots.mjs
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

import { launchChromium } from "./chromium.mjs";

const root = fileURLToPath(new URL("..", import.meta.url));
const bin = join(root, "bin", "wtbhook.cjs");
const work = mkdtempSync(join(tmpdir(), "wtbhook-shots-"));
const docs = join(root, "docs");
mkdirSync(docs, { recursive: true });

// The app: answers 200, but 500 to the first delivery of one event (so a redelivery shows).
let failedOnce = false;
const app = createServer((req, res) => {
  const chunks = [];
  req.on("data", (chunk) => chunks.push(chunk));
  req.on("end", () => {
    const body = Buffer.concat(chunks).toString("utf8");
    if (body.includes('"user.updated"') && !failedOnce) {
      failedOnce = true;
      res.writeHead(500, { "content-type": "application/json" }).end('{"error":"database is locked"}');
      return;
    }
    res.writeHead(200, { "content-type": "application/json" }).end('{"received":true}');
  });
});
await new Promise((resolve) => app.listen(0, "127.0.0.1", resolve));
const appUrl = `http://127.0.0.1:${app.address().port}/webhooks`;

const listen = spawn(
  process.execPath,
  [bin, "listen", "-p", "0", "--ui-port", "0", "--json", "--forward-to", appUrl, "--record", "events.ndjson"],
  {
    cwd: work,
    stdio: ["ignore", "pipe", "ignore"],
    env: { ...process.env, NO_COLOR: "1" },
  },
);
const ready = await new Promise((resolve) => {
  let text = "";
  listen.stdout.setEncoding("utf8").on("data", (chunk) => {
    text += chunk;
    if (text.includes("\n")) resolve(JSON.parse(text.split("\n")[0]));
  });
});

// Sent by a child process that this one waits for without blocking: the app above answers from here.
const send = (...args) =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, "send", ...args, "--to", ready.url], { stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr.setEncoding("utf8").on("data", (chunk) => (stderr += chunk));
    // Exit 1 is a delivery that failed on purpose (the app's 500); 2 is a mistake here.
    child.on("close", (code) => (code === 2 ? reject(new Error(`send ${args.join(" ")}: ${stderr}`)) : resolve()));
  });
await send("user.updated", "--retry", "--retry-interval", "200ms", "--max-attempts", "2");
await send("--all");
const invalid = join(work, "topic.json");
writeFileSync(
  invalid,
  `{
  "api_version": "1",
  "object": "event",
  "type": "topic.created",
  "id": 1796201150944000,
  "mode": "live",
  "data": {
    "object": {
      "object": "Topic",
      "topicId": "12804902",
      "title": "Shipping times to Canada?",
      "categoryId": 7,
      "author": { "userId": 181855, "username": "maria" },
      "postCount": 1,
      "viewCount": -3,
      "lastPostTimestamp": 1796201150
    }
  }
}
`,
);
await send("--data", invalid, "--no-validate");

const profile = mkdtempSync(join(tmpdir(), "wtbhook-chromium-"));
const context = await launchChromium(profile, {
  viewport: { width: 1440, height: 820 },
});
try {
  for (const scheme of ["light", "dark"]) {
    const page = await context.newPage();
    await page.emulateMedia({ colorScheme: scheme });
    await page.goto(ready.inspector);
    await page.locator(".conn-live").waitFor();
    await page.locator(".row", { hasText: "topic.created" }).first().waitFor();
    await page.screenshot({ path: join(docs, `inspector-list-${scheme}.png`) });
    await page.locator(".row", { hasText: "Shipping times" }).click();
    await page.locator(".details .json .has-problem").first().waitFor();
    await page.locator(".details .actions button.primary").click();
    await page.locator(".details .replays .replay").first().waitFor();
    await page.screenshot({ path: join(docs, `inspector-details-${scheme}.png`) });
    await page.close();
  }
} finally {
  await context.close();
  listen.kill("SIGTERM");
  await new Promise((resolve) => listen.once("exit", resolve));
  app.close();
  rmSync(work, { recursive: true, force: true });
  rmSync(profile, { recursive: true, force: true });
}
console.log("wrote docs/inspector-{list,details}-{light,dark}.png");

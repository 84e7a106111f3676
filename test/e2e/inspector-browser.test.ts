// The inspector in a real headless Chromium (Debian's), driven by playwright-core: what a user sees
// and does, against the built wtbhook listen.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import type { BrowserContext, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";

import { CHROMIUM, launchChromium } from "../../scripts/chromium.mjs";
import { loadFixture } from "../../src/catalog/catalog.js";
import { startListen, type ListenProcess } from "../helpers/listen-cli.js";
import { runInProcess } from "../helpers/run-in-process.js";
import { startTargetServer } from "../helpers/target-server.js";

const TIMEOUT = 60_000;

const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "wtbhook-browser-"));
  cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Starts listen with its inspector on a free port; resolves with the receiving URL and the inspector's. */
async function listen(args: string[]): Promise<{ run: ListenProcess; url: string; inspector: string }> {
  // Killed only if a test outlives its own timeout (listen's default safety net is shorter).
  const run = startListen(["-p", "0", "--ui-port", "0", "--json", ...args], { timeoutMs: TIMEOUT });
  const stop = async (): Promise<void> => {
    run.child.kill("SIGTERM");
    await run.exited;
  };
  cleanup.push(stop);
  const url = await run.ready;
  const ready = JSON.parse(run.stdout().split("\n")[0]!) as { inspector: string };
  return { run, url, inspector: ready.inspector };
}

async function send(args: string[]): Promise<void> {
  const result = await runInProcess(["send", ...args]);
  expect(result.code, result.stderr).toBe(0);
}

describe("the inspector in Chromium", () => {
  let context: BrowserContext;
  let profile: string | undefined;

  beforeAll(async () => {
    // Fails rather than skips: these tests are the inspector's Done-when, and CI installs chromium.
    if (!existsSync(CHROMIUM)) {
      throw new Error(`no browser at ${CHROMIUM}: apt-get install -y chromium, or set CHROMIUM_PATH`);
    }
    profile = mkdtempSync(join(tmpdir(), "wtbhook-chromium-"));
    context = await launchChromium(profile);
  }, TIMEOUT);

  afterAll(async () => {
    await context?.close();
    if (profile) rmSync(profile, { recursive: true, force: true });
  });

  async function open(url: string): Promise<Page> {
    const page = await context.newPage();
    cleanup.push(() => page.close());
    await page.goto(url);
    return page;
  }

  it(
    "shows events sent with wtbhook send as they arrive, without a reload; one opened shows its headers, body and problem at its field",
    async () => {
      const dir = tempDir();
      const { url, inspector } = await listen(["--record", join(dir, "events.ndjson")]);
      const page = await open(inspector);
      await page.locator(".conn-live").waitFor();
      await page.evaluate(() => ((globalThis as any).notReloaded = true));

      await send(["user.created", "--to", url]);
      await page.locator(".row", { hasText: "user.created" }).waitFor();
      const invalid = join(dir, "invalid.json");
      writeFileSync(
        invalid,
        '{\n  "api_version": "1",\n  "object": "event",\n  "type": "topic.created",\n  "id": 42,\n  "mode": "live",\n  "data": {"object": {"topicId": "twelve"}}\n}',
      );
      await send(["--data", invalid, "--no-validate", "--to", url, "-H", "X-Trace: browser-test"]);
      await page.locator(".row", { hasText: "topic.created" }).waitFor();
      expect(await page.locator(".row").count()).toBe(2);
      expect(await page.locator(".row").first().textContent()).toContain("topic.created");
      expect(await page.evaluate(() => (globalThis as any).notReloaded)).toBe(true);

      await page.locator(".row", { hasText: "topic.created" }).click();
      const details = page.locator(".details");
      await details.locator(".d-body").waitFor();
      expect(await details.locator("table.headers").first().textContent()).toContain("x-tracebrowser-test");
      const problemLine = details.locator(".json .jl.has-problem", { hasText: '"topicId"' });
      await problemLine.waitFor();
      expect(await problemLine.locator(".problem-mark").textContent()).toMatch(/expected integer/);
      expect(await details.locator(".json").textContent()).toContain('"twelve"');
      // The raw view is the exact text that came in.
      await details.locator(".tabs button", { hasText: "Raw" }).click();
      expect(await details.locator("pre.raw").first().textContent()).toContain('"topicId": "twelve"');

      // Bytes that are not UTF-8 show escaped; `e` does not open an editor that would send U+FFFD instead.
      const latin1 = join(dir, "latin1.json");
      writeFileSync(latin1, Buffer.concat([loadFixture("user.created").subarray(0, -2), Buffer.from(', "note": "caf\xe9"}', "latin1")]));
      await send(["--data", latin1, "--no-validate", "--to", url]);
      await page.locator(".row").nth(2).waitFor();
      await page.locator(".row").first().click();
      await details.locator("pre.raw", { hasText: "caf\\xe9" }).waitFor();
      await page.locator("body").press("e");
      await page.locator(".toast", { hasText: "Cannot edit" }).waitFor();
      expect(await page.locator(".editor").count()).toBe(0);
    },
    TIMEOUT,
  );

  it(
    "keyboard: j/k move, Enter opens, / searches, e edits and sends the edited bytes to the app (its status shown), r replays",
    async () => {
      const app = await startTargetServer(() => ({ kind: "status", status: 201, body: '{"saved":true}' }));
      cleanup.push(() => app.close());
      const { url, inspector } = await listen(["--forward-to", app.url]);
      await send(["user.created", "topic.created", "post.created", "--to", url]);
      await app.waitForRequests(3);
      const page = await open(inspector);
      await page.locator(".row").nth(2).waitFor();
      const selected = (): Promise<string | null> => page.locator(".row.selected .c-type").textContent();
      expect(await selected()).toBe("post.created");
      await page.keyboard.press("j");
      expect(await selected()).toBe("topic.created");
      await page.keyboard.press("j");
      await page.keyboard.press("k");
      expect(await selected()).toBe("topic.created");
      await page.keyboard.press("Enter");
      await page.locator(".details .d-type", { hasText: "topic.created" }).waitFor();

      await page.keyboard.press("/");
      expect(await page.evaluate(() => (globalThis as any).document.activeElement.className)).toContain("search");
      await page.keyboard.type("johnDoe@");
      await page.waitForFunction(() => (globalThis as any).document.querySelectorAll(".row").length === 1);
      expect(await page.locator(".row .c-type").textContent()).toBe("user.created");
      await page.keyboard.press("Escape");
      await page.locator("input.search").fill("");
      await page.waitForFunction(() => (globalThis as any).document.querySelectorAll(".row").length === 3);

      // e: the editor, checked as you type, then sent as typed.
      await page.locator(".row", { hasText: "topic.created" }).click();
      await page.locator("body").press("e");
      const editor = page.locator(".editor");
      await editor.waitFor();
      await editor.locator(".e-verdict[data-valid='true']").waitFor();
      const edited = loadFixture("topic.created").toString("utf8").replace('"topicId": 12804902', '"topicId": "oops"');
      expect(edited).not.toBe(loadFixture("topic.created").toString("utf8"));
      await editor.locator("textarea").fill(edited);
      await editor.locator(".e-verdict[data-valid='false']").waitFor();
      expect(await editor.locator(".e-problems").textContent()).toContain("/data/object/topicId");
      await editor.locator("button.primary", { hasText: "Send" }).click();
      await editor.locator(".replay[data-status='201']").waitFor();
      const afterEdit = await app.waitForRequests(4);
      expect(afterEdit[3]!.body.toString("utf8")).toBe(edited);

      // Esc closes the editor; r replays the recorded bytes, and the result shows inline.
      await page.locator("textarea").press("Escape");
      await page.locator("body").press("Escape");
      await page.locator(".details").waitFor();
      await page.locator("body").press("r");
      await page.locator(".details .replays .replay[data-status='201']").nth(1).waitFor();
      const afterReplay = await app.waitForRequests(5);
      expect(afterReplay[4]!.body.equals(afterReplay[1]!.body)).toBe(true);
    },
    TIMEOUT,
  );

  it(
    "a restart with the same --record shows the earlier events, then the new ones; Save as fixture writes into --fixtures",
    async () => {
      const dir = tempDir();
      const record = join(dir, "events.ndjson");
      const first = await listen(["--record", record]);
      await send(["user.created", "user.deleted", "--to", first.url]);
      first.run.child.kill("SIGTERM");
      await first.run.exited;

      mkdirSync(join(dir, "fixtures"));
      const second = await listen(["--record", record, "--fixtures", join(dir, "fixtures")]);
      const page = await open(second.inspector);
      await page.locator(".row.earlier").nth(1).waitFor();
      expect(await page.locator(".row.earlier .c-type").allTextContents()).toEqual(["user.deleted", "user.created"]);
      await page.locator(".conn-live").waitFor();
      await send(["post.created", "--to", second.url]);
      await page.locator(".row:not(.earlier)", { hasText: "post.created" }).waitFor();
      expect(await page.locator(".row .c-type").allTextContents()).toEqual(["post.created", "user.deleted", "user.created"]);

      // Save as fixture, with --fixtures: into that folder (an earlier event, read back from the recording).
      await page.locator(".row", { hasText: "user.deleted" }).click();
      await page.locator(".details button", { hasText: "Save as fixture" }).click();
      await page.locator(".toast", { hasText: "Saved" }).waitFor();
      const recorded = JSON.parse(readFileSync(record, "utf8").split("\n")[1]!) as { body: string };
      expect(readFileSync(join(dir, "fixtures", "user.deleted.json"), "utf8")).toBe(recorded.body);
    },
    TIMEOUT,
  );
});

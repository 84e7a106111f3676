// The headless Chromium of the inspector's browser tests and screenshots: Debian's (or the one
// CHROMIUM_PATH names), driven by playwright-core, which downloads no browser of its own.
import { chromium } from "playwright-core";

/** Where the browser is: CHROMIUM_PATH, else Debian's chromium package. */
export const CHROMIUM = process.env.CHROMIUM_PATH || "/usr/bin/chromium";

/** Headless, no sandbox (containers), no GPU, and no background traffic (updates, sync, QUIC probes). */
const ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/** Starts the browser with its profile in `profile` (a fresh folder); `options` add to or override the defaults. */
export function launchChromium(profile, options = {}) {
  return chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: ARGS, ...options });
}

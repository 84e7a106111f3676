// Types of scripts/chromium.mjs, for the TypeScript tests that use it.
import type { BrowserContext, chromium } from "playwright-core";

export declare const CHROMIUM: string;
export declare function launchChromium(
  profile: string,
  options?: Parameters<typeof chromium.launchPersistentContext>[1],
): Promise<BrowserContext>;

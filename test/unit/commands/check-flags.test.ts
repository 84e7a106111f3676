import { describe, expect, it } from "vitest";

import { parseCheckTarget, parseThresholds, type CheckFlags } from "../../../src/commands/check-flags.js";
import { usageMessage } from "../../helpers/usage-error.js";

const flags = (extra: Partial<CheckFlags> = {}): CheckFlags => ({ timeout: "10s", slow: "2s", burst: "20", format: "text", ...extra });

describe("check's flags", () => {
  it("defaults: 10 s timeout, 2 s slow, a burst of 20", () => {
    expect(parseThresholds(flags())).toEqual({ timeoutMs: 10_000, slowMs: 2_000, burst: 20 });
    expect(parseThresholds(flags({ timeout: "0", slow: "1m" }))).toEqual({ timeoutMs: 0, slowMs: 60_000, burst: 20 });
  });

  it.each([
    [{ burst: "0" }, '--burst takes a whole number from 1 to 1000; got "0"'],
    [{ burst: "1001" }, '--burst takes a whole number from 1 to 1000; got "1001"'],
    [{ slow: "0" }, '--slow takes a duration above 0, such as 2s; got "0"'],
    [{ slow: "3s", timeout: "3s" }, "--slow (3s) must be shorter than --timeout (3s)"],
    [{ timeout: "soon" }, '--timeout takes a duration such as 500ms, 2s, 1m or 1h; got "soon"'],
  ])("%j is a usage error", (extra, message) => {
    expect(usageMessage(() => parseThresholds(flags(extra)))).toBe(message);
  });

  it("takes the target from --to (trimmed); credentials become Basic auth, -H is added", () => {
    const fromEnv = parseCheckTarget(flags({ to: " http://localhost:3000/webhooks " }), "1.0.0", "WTBHOOK_TO");
    expect(fromEnv.target.href).toBe("http://localhost:3000/webhooks");
    expect(fromEnv.text).toBe("http://localhost:3000/webhooks");
    const given = parseCheckTarget(flags({ to: "http://me:secret@127.0.0.1:3000/hook", header: ["X-Test: 1"] }), "1.0.0");
    expect(given.target.href).toBe("http://127.0.0.1:3000/hook");
    expect(given.text).toBe("http://me:secret@127.0.0.1:3000/hook");
    expect(given.headers).toEqual({
      "Content-Type": "application/json",
      "User-Agent": "wtbhook/1.0.0",
      Authorization: `Basic ${Buffer.from("me:secret").toString("base64")}`,
      "X-Test": "1",
    });
  });

  it("no target, or one without a scheme, is a usage error naming check", () => {
    expect(usageMessage(() => parseCheckTarget(flags(), "1.0.0"))).toBe(
      'no target: pass --to <url>, set WTBHOOK_TO or give "to" in wtbhook.config.json',
    );
    expect(usageMessage(() => parseCheckTarget(flags({ to: "localhost:3000" }), "1.0.0", "WTBHOOK_TO"))).toBe(
      'WTBHOOK_TO "localhost:3000" has no http:// or https:// scheme',
    );
  });
});

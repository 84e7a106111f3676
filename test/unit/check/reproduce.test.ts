import { describe, expect, it } from "vitest";

import { fitsCommandLine, sendCommand, shellQuote } from "../../../src/check/reproduce.js";

describe("reproduction commands", () => {
  it.each([
    ["user.created", "user.created"],
    ["data.object.topicId=123", "data.object.topicId=123"],
    ["http://127.0.0.1:3000/webhooks?x=1", "'http://127.0.0.1:3000/webhooks?x=1'"],
    ['data.object.labels=["featured"]', `'data.object.labels=["featured"]'`],
    ["it's", `'it'\\''s'`],
    ["", "''"],
    ["a b", "'a b'"],
    ["$HOME", "'$HOME'"],
  ])("quotes %j as %s", (arg, quoted) => {
    expect(shellQuote(arg)).toBe(quoted);
  });

  it("aims at the target as given, with the -H headers and --insecure of the run", () => {
    expect(
      sendCommand(["user.created", "--same-id"], { target: "https://u:p@example.test/hook", headers: ["X-Token: a b"], insecure: true }),
    ).toBe("wtbhook send user.created --same-id -H 'X-Token: a b' --insecure --to https://u:p@example.test/hook");
  });

  it("knows an argument a Linux command line cannot take (128 KiB)", () => {
    expect(fitsCommandLine(["x".repeat(100_000)])).toBe(true);
    expect(fitsCommandLine(["ok", "x".repeat(200 * 1024)])).toBe(false);
  });
});

import { describe, expect, it } from "vitest";

import { buildHeaders, parseHeader, parseIdMode, parseRetry, parseTarget, takeUrlCredentials } from "../../../src/commands/send-flags.js";
import { classifyFailure } from "../../../src/http/failure.js";
import { proxyFromEnv } from "../../../src/http/transport.js";
import { percentile } from "../../../src/delivery/run.js";
import { retryPolicy } from "../../../src/delivery/retry.js";
import { checkCombination, type SendRequestSpec } from "../../../src/delivery/send-plan.js";

describe("parseTarget", () => {
  it.each([
    ["http://localhost:3000/webhooks", "http://localhost:3000/webhooks"],
    ["https://example.com/h?x=1#frag", "https://example.com/h?x=1"],
    ["  http://127.0.0.1:9/  ", "http://127.0.0.1:9/"],
  ])("%s", (text, href) => {
    expect(parseTarget(text).href).toBe(href);
  });

  it.each([
    ["localhost:3000/hook", "has no http:// or https:// scheme", "Did you mean http://localhost:3000/hook?"],
    ["127.0.0.1:3000", "is not a valid URL", "Did you mean http://127.0.0.1:3000?"],
    ["ftp://x/", "only http:// and https:// URLs are supported, not ftp://", undefined],
  ])("explains %j", (text, message, hint) => {
    expect(() => parseTarget(text, "WTBHOOK_TO")).toThrow(
      expect.objectContaining({ exitCode: 2, message: `WTBHOOK_TO "${text}" ${message}`.replace('" only', '": only'), hint }),
    );
  });

  it.each([undefined, "", "localhost:3000", "not a url", "ftp://x/", "file:///etc/passwd", "ws://x/"])("refuses %j", (text) => {
    expect(() => parseTarget(text)).toThrow(expect.objectContaining({ exitCode: 2 }));
  });
});

describe("headers", () => {
  it.each([
    ["X-Test: 1", ["X-Test", "1"]],
    ["X-Empty:", ["X-Empty", ""]],
    ["Authorization: Bearer a:b", ["Authorization", "Bearer a:b"]],
  ])("%s", (text, expected) => {
    expect(parseHeader(text)).toEqual(expected);
  });

  it.each(["NoColon", ": value", "Bad Name: 1", "Transfer-Encoding: chunked", "connection: close", "content-length: 3"])(
    "refuses %j",
    (text) => {
      expect(() => parseHeader(text)).toThrow(expect.objectContaining({ exitCode: 2 }));
    },
  );

  it("sets Content-Type and User-Agent, which -H may replace", () => {
    expect(buildHeaders("1.2.3", [])).toEqual({ "Content-Type": "application/json", "User-Agent": "wtbhook/1.2.3" });
    expect(buildHeaders("1.2.3", ["content-type: text/plain", "X-A: b"])).toEqual({
      "content-type": "text/plain",
      "User-Agent": "wtbhook/1.2.3",
      "X-A": "b",
    });
  });
});

describe("header layers", () => {
  it("defaults < recorded < Authorization from the URL < -H, names as last given", () => {
    const recorded = { headers: ["content-type", "text/plain", "user-agent", "WT/1", "authorization", "old", "x-a", "1"], source: "r:1" };
    expect(buildHeaders("1.2.3", ["X-A: 2"], { recorded, authorization: "Basic eA==" })).toEqual({
      "content-type": "text/plain",
      "user-agent": "WT/1",
      Authorization: "Basic eA==",
      "X-A": "2",
    });
  });

  it("refuses a recorded header that cannot go on the wire, naming where it came from", () => {
    expect(() => buildHeaders("1", [], { recorded: { headers: ["x-bad", "a\nb"], source: "rec.ndjson:4" } })).toThrow(
      'rec.ndjson:4: the recorded header "x-bad" cannot be sent as it is',
    );
    expect(() => buildHeaders("1", [], { recorded: { headers: ["bad name", "a"], source: "r:1" } })).toThrow("cannot be sent");
  });

  it("takes user:password out of the URL once, as Basic credentials", () => {
    const url = new URL("http://alice:s%40cret@127.0.0.1:9/hook");
    expect(takeUrlCredentials(url)).toBe(`Basic ${Buffer.from("alice:s@cret").toString("base64")}`);
    expect(url.href).toBe("http://127.0.0.1:9/hook");
    expect(takeUrlCredentials(url)).toBeUndefined();
    expect(() => takeUrlCredentials(new URL("http://a%zz:b@127.0.0.1/"), "WTBHOOK_TO")).toThrow(
      "WTBHOOK_TO: the user name or password is not valid percent-encoding (%zz)",
    );
  });
});

describe("parseIdMode", () => {
  it("accepts 0", () => expect(parseIdMode("0", false)).toEqual({ kind: "fixed", id: 0 }));
  it("refuses a negative id", () => expect(() => parseIdMode("-3", false)).toThrow("--id takes a whole number"));
  it("is fresh by default and same with --same-id", () => {
    expect(parseIdMode(undefined, false)).toEqual({ kind: "fresh" });
    expect(parseIdMode(undefined, true)).toEqual({ kind: "same" });
  });
  it("refuses --id with --same-id", () => expect(() => parseIdMode("5", true)).toThrow("drop --same-id"));
});

describe("retryPolicy", () => {
  it.each([
    [{ retry: false }, { maxAttempts: 1, intervalMs: 0 }],
    [{ retry: true }, { maxAttempts: 73, intervalMs: 3_600_000 }],
    [
      { retry: true, intervalMs: 1000 },
      { maxAttempts: 73, intervalMs: 1000 },
    ],
    [
      { retry: true, maxAttempts: 3 },
      { maxAttempts: 3, intervalMs: 3_600_000 },
    ],
  ])("%j", (input, expected) => {
    expect(retryPolicy(input)).toEqual(expected);
  });

  it.each([
    [{}, { maxAttempts: 1, intervalMs: 0 }],
    [{ retryInterval: "1s" }, { maxAttempts: 73, intervalMs: 1000 }],
    [{ maxAttempts: "5" }, { maxAttempts: 5, intervalMs: 3_600_000 }],
  ])("from the flags %j (--retry-interval and --max-attempts imply --retry)", (flags, expected) => {
    expect(parseRetry(flags)).toEqual(expected);
  });

  it("refuses --max-attempts 0", () => expect(() => parseRetry({ maxAttempts: "0" })).toThrow("--max-attempts"));
});

describe("proxyFromEnv", () => {
  it.each([
    [{}, undefined],
    [{ NO_PROXY: "x" }, undefined],
    [{ HTTP_PROXY: "http://p:1" }, { httpProxy: "http://p:1", httpsProxy: undefined, noProxy: undefined }],
    [
      { https_proxy: "http://p:2", no_proxy: "localhost" },
      { httpProxy: undefined, httpsProxy: "http://p:2", noProxy: "localhost" },
    ],
    [{ HTTPS_PROXY: "proxy.local:3128" }, { httpProxy: undefined, httpsProxy: "http://proxy.local:3128", noProxy: undefined }],
  ])("%j", (env, expected) => {
    expect(proxyFromEnv(env)).toEqual(expected);
  });

  // undici threw "Invalid URL" from the first request: an internal error with exit 2 and no name.
  it.each([
    [{ HTTP_PROXY: "garbage proxy" }, 'HTTP_PROXY "garbage proxy"'],
    [{ https_proxy: "socks5://127.0.0.1:1080" }, 'https_proxy "socks5://127.0.0.1:1080"'],
    [{ HTTPS_PROXY: "http://[bad" }, 'HTTPS_PROXY "http://[bad"'],
  ])("refuses %j naming the variable (exit 2)", (env, named) => {
    expect(() => proxyFromEnv(env)).toThrow(expect.objectContaining({ exitCode: 2, message: expect.stringContaining(named) }));
  });
});

describe("percentile", () => {
  const sorted = Float64Array.from({ length: 100 }, (_, i) => i + 1);
  it.each([
    [0.5, 50],
    [0.95, 95],
    [0.99, 99],
    [1, 100],
  ])("q=%f", (q, value) => {
    expect(percentile(sorted, q)).toBe(value);
  });
  it("is 0 for no samples", () => expect(percentile([], 0.5)).toBe(0));
});

describe("checkCombination", () => {
  const base: SendRequestSpec = { types: [], all: false, typeFilter: [], set: [], unset: [], ids: { kind: "fresh" } };
  it.each([
    [{ types: ["user.created"], data: "x.json" }, "choose one of"],
    [{ scenario: "forum", from: "r.ndjson" }, "choose one of"],
    [{ all: true, types: ["user.created"] }, "name no types"],
    [{ from: "r", set: ["a=1"] }, "--from replays"],
    [{ from: "r", ids: { kind: "same" } }, "--from replays"],
    [{ from: "r", ids: { kind: "fixed", id: 1 } }, "--from replays"],
    [{ typeFilter: ["user.created"], types: ["user.created"] }, "--type applies to a recording"],
    [{ eventIds: [1], typeFilter: ["a"], scenario: "forum" }, "--type and --event-id apply to a recording; use them with --from"],
    [{ all: true, scenario: "forum" }, "got --all and --scenario"],
  ] as [Partial<SendRequestSpec>, string][])("%j", (spec, message) => {
    expect(() => checkCombination({ ...base, ...spec })).toThrow(message);
  });
  it.each([[{ types: ["a"] }], [{ all: true, set: ["x=1"] }], [{ from: "r", typeFilter: ["a"] }], [{ scenario: "s", unset: ["x"] }]] as [
    Partial<SendRequestSpec>,
  ][])("accepts %j", (spec) => {
    expect(() => checkCombination({ ...base, ...spec })).not.toThrow();
  });
});

describe("classifyFailure", () => {
  const context = {
    target: new URL("http://127.0.0.1:3000/hook"),
    phase: "connect" as const,
    timedOut: false,
    interrupted: false,
    timeoutMs: 30_000,
    bodyBytes: 0,
  };

  // Node's own text was "connect EMFILE 127.0.0.1:3000 - Local (undefined:undefined)".
  it("says what to do when the process runs out of file descriptors", () => {
    const error = Object.assign(new Error("connect EMFILE 127.0.0.1:3000 - Local (undefined:undefined)"), { code: "EMFILE" });
    expect(classifyFailure(error, context).message).toBe(
      "too many open files on this machine (EMFILE): lower --concurrency or raise ulimit -n",
    );
  });

  it("names the target for a refused connection without a proxy", () => {
    const error = Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:3000"), {
      code: "ECONNREFUSED",
      address: "127.0.0.1",
      port: 3000,
    });
    expect(classifyFailure(error, context)).toEqual({ fault: "refused", message: "connection refused by 127.0.0.1:3000" });
  });
});

import { describe, expect, it } from "vitest";

import { endToEndHeaders } from "../../../src/http/headers.js";

describe("endToEndHeaders", () => {
  it("keeps names, order and repeats, drops hop-by-hop headers, Host and those named in Connection", () => {
    const raw = [
      "Host",
      "example.ngrok.dev",
      "Content-Type",
      "application/json",
      "Connection",
      "keep-alive, X-Hop",
      "X-Hop",
      "1",
      "Keep-Alive",
      "timeout=5",
      "Transfer-Encoding",
      "chunked",
      "X-Webhook-Id",
      "a",
      "X-Webhook-Id",
      "b",
      "Upgrade",
      "h2c",
      "Proxy-Authorization",
      "secret",
      "TE",
      "trailers",
    ];
    expect(endToEndHeaders(raw)).toEqual(["Content-Type", "application/json", "X-Webhook-Id", "a", "X-Webhook-Id", "b"]);
  });
});

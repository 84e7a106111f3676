// Redaction of real payloads: no email address, name or free text gets through, in parsed values
// or in bytes edited in place; what is not personal (types, numbers, object names) is kept.
import { describe, expect, it } from "vitest";

import { redactJsonBytes, redactKey, redactString, redactValue } from "../../../src/drift/redact.js";

const hostile = {
  api_version: "1",
  object: "event",
  id: 5,
  type: "user.created",
  mode: "live",
  data: {
    object: {
      userId: 181855,
      username: "johnDoe",
      email: "johnDoe@gmail.com",
      name: "John Doe",
      signature: "Cheers, <b>Maria Keller</b> (maria.keller@example.org)",
      avatarUrl: "https://forum.maria-keller.de/avatars/maria.png?u=maria",
      object: "Maria",
      type: "maria.keller",
      mode: "Maria",
      "maria@x.io": true,
      "Maria Keller": 1,
      customFields: ["Berlin", "+49 30 1234567", "Zoë Ünal", "山田太郎"],
      reputation: -3,
      allowEmails: false,
      note: null,
      currency: "USD",
    },
  },
};
const PERSONAL = /john|doe|maria|keller|gmail|berlin|zoë|ünal|山田|1234567/i;

describe("redaction", () => {
  it("parsed values: nothing personal is left, the rest is kept", () => {
    const out = redactValue(hostile, undefined, true) as typeof hostile;
    expect(JSON.stringify(out)).not.toMatch(PERSONAL);
    expect(out).toMatchObject({ api_version: "1", object: "event", id: 5, type: "user.created", mode: "live" });
    expect(out.data.object).toMatchObject({
      userId: 181855,
      username: "xxxxXxx",
      email: "xxxxxxx@example.com",
      name: "Xxxx Xxx",
      avatarUrl: "https://example.com/xxxxxxx/xxxxx.xxx?x=xxxxx",
      object: "Xxxxx",
      type: "xxxxx.xxxxxx",
      reputation: -3,
      allowEmails: false,
      note: null,
      currency: "USD",
    });
    expect(out.data.object.customFields).toEqual(["Xxxxxx", "+00 00 0000000", "Xxx Xxxx", "xxxx"]);
  });

  it("bytes: edited in place, layout and numbers kept, nothing personal left", () => {
    const bytes = Buffer.from(JSON.stringify(hostile, null, 2));
    const out = redactJsonBytes(bytes);
    const text = out.bytes.toString("utf8");
    expect(text).not.toMatch(PERSONAL);
    expect(JSON.parse(text)).toEqual(redactValue(hostile, undefined, true));
    expect(text.split("\n")).toHaveLength(bytes.toString("utf8").split("\n").length);
    expect(out.redacted).toBeGreaterThan(10);
  });

  it.each([
    ["an address inside text", "write to j.doe@x.io please", undefined, "xxxxx xx xxxxx@example.com xxxxxx"],
    ["HTML", "<p>Hello <b>John</b></p>", "message", "<p>[redacted HTML, 24 characters]</p>"],
    ["a known event type under type", "post.created", "type", "post.created"],
    ["a three-letter currency", "EUR", "currency", "EUR"],
  ])("a string: %s", (_name, value, key, expected) => {
    expect(redactString(value, key)).toBe(expected);
  });

  it("member names: field names kept, data as names redacted", () => {
    expect(redactKey("lastPostTimestamp")).toBe("lastPostTimestamp");
    expect(redactKey("maria@x.io")).toBe("xxxxx@example.com");
    expect(redactKey("Maria Keller")).toBe("Xxxxx Xxxxxx");
  });
});

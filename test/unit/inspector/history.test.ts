import type { IncomingMessage } from "node:http";

import { describe, expect, it } from "vitest";

import { loadFixture } from "../../../src/catalog/catalog.js";
import { History } from "../../../src/inspector/history.js";
import { summaryOf } from "../../../src/inspector/views.js";
import { inspectBody } from "../../../src/receiver/inspect.js";
import type { ReceivedEvent } from "../../../src/receiver/types.js";

/** A request listen received and recorded, parsed and checked by the receiver's own code. */
function received(seq: number, body: Buffer): ReceivedEvent {
  const req = { method: "POST", url: "/", headers: { "content-type": "application/json" } } as IncomingMessage;
  return { ...inspectBody(seq, req, new Date(2026, 0, 2, 3, 4, 5), body), recordOffset: seq * 1000 };
}

describe("History", () => {
  it("keeps one shared check for the valid events without problems (ten thousand entries stay small), and each invalid one's own", () => {
    const history = new History({ recording: "/nowhere/events.ndjson" });
    const invalid = Buffer.from(loadFixture("topic.created").toString("utf8").replace('"topicId": 12804902', '"topicId": "x"'));
    history.add(received(1, loadFixture("user.created")));
    history.add(received(2, loadFixture("post.created")));
    history.add(received(3, invalid));
    const first = history.get(1)!;
    const second = history.get(2)!;
    const third = history.get(3)!;
    expect(first.check).toBe(second.check);
    expect(third.check).not.toBe(first.check);
    expect([1, 2, 3].map((seq) => summaryOf(history.get(seq)!)).map(({ valid, problems }) => ({ valid, problems }))).toEqual([
      { valid: true, problems: 0 },
      { valid: true, problems: 0 },
      { valid: false, problems: 1 },
    ]);
    expect(third.check!.problems[0]!.pointer).toBe("/data/object/topicId");
  });
});

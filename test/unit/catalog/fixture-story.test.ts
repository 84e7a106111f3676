// The fixtures tell one consistent story: the same people, topic, post and conversation throughout.
import { describe, expect, it } from "vitest";

import { eventTypes } from "../../../src/catalog/catalog.js";
import { readFixture, type Json } from "./helpers.js";

const fx = (type: string): Json => readFixture(type);
const obj = (type: string): Json => fx(type).data.object;

/** Every number in a field named like a timestamp, anywhere in the event. */
function timestamps(value: unknown, out: number[] = []): number[] {
  if (Array.isArray(value)) value.forEach((item) => timestamps(item, out));
  else if (value && typeof value === "object") {
    for (const [key, item] of Object.entries(value)) {
      if (/timestamp$/i.test(key) && typeof item === "number") out.push(item);
      else timestamps(item, out);
    }
  }
  return out;
}

describe("the fixture story", () => {
  it("numbers envelope ids upwards in catalogue order, starting with the seed's 1534", () => {
    const ids = eventTypes().map((type) => fx(type).id);
    expect(ids[0]).toBe(1534);
    ids.slice(1).forEach((id, i) => expect(id).toBeGreaterThan(ids[i]));
  });

  it("moves forward in time in catalogue order, with plausible second timestamps", () => {
    const latest = eventTypes().map((type) => Math.max(...timestamps(fx(type)).filter((t) => t > 0)));
    latest.slice(1).forEach((t, i) => expect(t, eventTypes()[i + 1]).toBeGreaterThanOrEqual(latest[i]!));
    for (const type of eventTypes()) {
      for (const t of timestamps(fx(type))) {
        expect(t === 0 || (t > 1_000_000_000 && t < 2_000_000_000), `${type}: ${t}`).toBe(true);
      }
    }
  });

  it("has john (181855) of user.created approve, update and author the post.created post", () => {
    const john = obj("user.created");
    expect(john).toMatchObject({ userId: 181855, username: "john" });
    for (const type of ["user.approved", "user.updated"])
      expect(obj(type)).toMatchObject({ userId: john.userId, username: john.username, email: john.email });
    for (const type of ["post.created", "post.approved", "post.updated"]) {
      expect(obj(type).author).toMatchObject({ userId: john.userId, username: john.username, name: john.name });
    }
    expect(obj("message.created").sender).toMatchObject({ userId: john.userId, username: john.username });
  });

  it("puts the post in the created topic, and the topic's first post is its own", () => {
    const topic = obj("topic.created");
    expect(obj("topic.updated").topicId).toBe(topic.topicId);
    expect(obj("topic.deleted").topicId).not.toBe(topic.topicId);
    for (const type of ["post.created", "post.approved", "post.updated", "post.deleted"]) {
      expect(obj(type).topicId, type).toBe(topic.topicId);
      expect(obj(type).categoryId, type).toBe(topic.categoryId);
      expect(obj(type).postTimestamp).toBeGreaterThan(topic.dateTimestamp);
    }
    expect(topic.firstPost.postId).toBe(topic.firstPostId);
    expect(topic.lastPost.postId).toBe(topic.firstPostId);
    expect(topic.firstPost.topicId).toBe(topic.topicId);
    expect(topic.replyCount).toBe(topic.postCount - 1);
  });

  it("creates the post pending, then approves, then edits the same post", () => {
    const created = obj("post.created");
    expect(created.pending).toBe(true);
    expect(obj("post.approved")).toEqual({ ...created, pending: false });
    expect(obj("post.updated").postId).toBe(created.postId);
    expect(obj("post.updated").message.startsWith(created.message)).toBe(true);
    expect(obj("post.updated").attachmentCount).toBe(obj("post.updated").attachments.length);
  });

  it("carries HTML bodies as the forum sends them: paragraphs, a quote of the topic's author, a link", () => {
    const message: string = obj("post.created").message;
    expect(message).toMatch(/<p>.*<\/p>/);
    expect(message).toContain(`<blockquote class="quote" data-username="${obj("topic.created").author.username}">`);
    expect(message).toMatch(/<a href="https:\/\/[^"]+"[^>]*>[^<]+<\/a>/);
  });

  it("links the conversation and its message both ways", () => {
    const conversation = obj("conversation.created");
    const message = obj("message.created");
    expect(message.conversationId).toBe(conversation.conversationId);
    const participants = conversation.participants.map((p: Json) => p.userId);
    expect(participants).toContain(message.sender.userId);
    expect(participants).toContain(obj("user.created").userId);
    expect(conversation.participants.filter((p: Json) => p.isStarter)).toHaveLength(1);
    expect(message.dateTimestamp).toBeGreaterThan(conversation.dateTimestamp);
  });

  it("pays, adds the Paid group and removes it again for the same member", () => {
    const payer = obj("user.payment.received").userId;
    const started = obj("user.paid_subscription.started");
    const ended = obj("user.paid_subscription.ended");
    expect(started.userId).toBe(payer);
    expect(ended.userId).toBe(payer);
    expect(obj("user.email.verified").userId).toBe(payer);
    const paid = started.userGroups.filter((group: number) => !ended.userGroups.includes(group));
    expect(paid).toHaveLength(1);
    expect(obj("user.email.verified").userGroups).not.toContain(paid[0]);
  });

  it("covers the edge cases consumers trip over", () => {
    const users = eventTypes()
      .map((type) => fx(type).data.object)
      .filter((o: Json) => o.object === "User");
    expect(users.some((u: Json) => u.lastPostTimestamp === 0)).toBe(true);
    expect(users.some((u: Json) => u.signature === "")).toBe(true);
    expect(users.some((u: Json) => u.reputation < 0)).toBe(true);
    expect(users.some((u: Json) => u.userGroups.length === 1)).toBe(true);
    expect(obj("post.created").postId).toBeGreaterThan(1_300_000_000);
    // Attachment ids are strings, not integers.
    expect(typeof obj("message.created").attachments[0].id).toBe("string");
  });
});

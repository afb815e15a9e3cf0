import { describe, expect, it } from "vitest";
import { announcement, awaitsAnswer, lastSeq, mergeEvents, parseChatEvent, pendingToShow, summarise } from "./events";
import type { ChatEvent } from "./types";

function ev(seq: number, over: Partial<ChatEvent> = {}): ChatEvent {
  return {
    conversationId: 7,
    seq,
    kind: "message",
    author: "customer",
    authorName: "Pat",
    body: `m${seq}`,
    data: {},
    createdAt: "2026-12-01T10:00:00.000Z",
    ...over,
  };
}

describe("mergeEvents", () => {
  it("chat: an event delivered twice (stream and poll) is shown once, in seq order", () => {
    const a = mergeEvents([], [ev(2), ev(1)]);
    const b = mergeEvents(a, [ev(2), ev(3), ev(3)]);
    expect(b.map((e) => e.seq)).toEqual([1, 2, 3]);
  });

  it("chat: the same seq in another conversation is another event", () => {
    const merged = mergeEvents([ev(1)], [ev(1, { conversationId: 8 })]);
    expect(merged).toHaveLength(2);
  });

  it("chat: nothing new keeps the same array (no re-render)", () => {
    const a = [ev(1)];
    expect(mergeEvents(a, [ev(1)])).toBe(a);
  });

  it("chat: lastSeq is the highest seq of that conversation", () => {
    expect(lastSeq([ev(1), ev(4), ev(9, { conversationId: 8 })], 7)).toBe(4);
    expect(lastSeq([], 7)).toBe(0);
  });
});

describe("summarise", () => {
  it("chat: a rep joining makes the chat active with their name; closing ends it", () => {
    const joined = ev(2, { kind: "joined", author: "system", authorName: "Riley", data: { repFirstName: "Riley" } });
    expect(summarise({ status: "waiting", repFirstName: null }, [ev(1), joined])).toMatchObject({
      status: "active",
      repFirstName: "Riley",
    });
    const closed = ev(3, { kind: "closed", author: "system", data: { by: "rep", reason: "resolved" } });
    expect(summarise({ status: "waiting", repFirstName: null }, [ev(1), joined, closed]).status).toBe("closed");
  });

  it("chat: a proposal's answer or withdrawal replaces its pending status", () => {
    const proposal = ev(2, {
      kind: "proposal",
      author: "rep",
      data: { proposalId: 5, field: "phone", summary: "Update your phone to (303) 555-0199?", status: "pending" },
    });
    const answer = ev(3, { kind: "proposal_answer", author: "customer", data: { proposalId: 5, status: "approved" } });
    expect(summarise({ status: "active", repFirstName: "Riley" }, [proposal]).proposals.get(5)).toBe("pending");
    expect(summarise({ status: "active", repFirstName: "Riley" }, [proposal, answer]).proposals.get(5)).toBe(
      "approved",
    );
    expect(awaitsAnswer("pending")).toBe(true);
    expect(awaitsAnswer("approved")).toBe(false);
    expect(awaitsAnswer("withdrawn")).toBe(false);
  });
});

describe("announcement", () => {
  it("chat: the rep's words are announced, the customer's own are not", () => {
    expect(announcement(ev(1, { author: "rep", authorName: "Riley", body: "Hi!" }))).toBe("Riley says: Hi!");
    expect(announcement(ev(1))).toBeNull();
    expect(announcement(ev(1, { kind: "closed", author: "system" }))).toBe("The chat has ended");
  });
});

describe("parseChatEvent", () => {
  it("chat: a malformed payload is dropped", () => {
    expect(parseChatEvent("not json")).toBeNull();
    expect(parseChatEvent('{"seq":1}')).toBeNull();
    expect(parseChatEvent(JSON.stringify(ev(1)))).toEqual(ev(1));
  });
});

describe("pendingToShow", () => {
  const pend = (localId: string, body: string, seq: number | null, afterSeq: number) => ({
    localId,
    conversationId: 7,
    body,
    seq,
    afterSeq,
  });

  it("chat: a message the stream delivered before its send answered shows once, not twice", () => {
    const events = [ev(1), ev(2, { body: "hello" })];
    expect(pendingToShow(events, [pend("a", "hello", null, 1)])).toEqual([]);
    // Before the stream delivers it, the bubble shows "Sending…".
    expect(pendingToShow([ev(1)], [pend("a", "hello", null, 1)])).toHaveLength(1);
  });

  it("chat: an older message with the same text, or one another send claimed, does not hide a new one", () => {
    const events = [ev(1, { body: "yes" }), ev(2, { body: "yes" })];
    // Sent after seq 2: the earlier "yes" messages are not this one.
    expect(pendingToShow(events, [pend("a", "yes", null, 2)])).toHaveLength(1);
    // Two "yes" sent quickly: the answered one claims seq 3, the other is still on its way.
    const more = [...events, ev(3, { body: "yes" })];
    expect(pendingToShow(more, [pend("a", "yes", 3, 2), pend("b", "yes", null, 2)]).map((p) => p.localId)).toEqual([
      "b",
    ]);
    // A rep's message with the same words is not the customer's.
    expect(pendingToShow([ev(3, { body: "ok", author: "rep" })], [pend("c", "ok", null, 2)])).toHaveLength(1);
  });
});

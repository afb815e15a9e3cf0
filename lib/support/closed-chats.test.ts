import { and, eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { db } from "@/db/client";
import { auditEvents, chatConversations, chatMessages } from "@/db/schema";
import { createUser, randomName } from "@/lib/test/factories";
import { readClosedChat, searchClosedChats } from "./closed-chats";

async function closedChat(opts: {
  customerId?: string;
  visitorName?: string;
  visitorEmail?: string;
  lines: string[];
  closedDaysAgo?: number;
  status?: "closed" | "active";
}) {
  const [c] = await db
    .insert(chatConversations)
    .values({
      customerId: opts.customerId ?? null,
      visitorName: opts.visitorName ?? null,
      visitorEmail: opts.visitorEmail ?? null,
      status: opts.status ?? "closed",
      topic: "Internet",
      closeReason: "Resolved",
      lastSeq: opts.lines.length,
      closedAt: opts.status === "active" ? null : sql`now() - make_interval(days => ${opts.closedDaysAgo ?? 0})`,
    })
    .returning({ id: chatConversations.id });
  for (const [i, body] of opts.lines.entries()) {
    await db.insert(chatMessages).values({ conversationId: c.id, seq: i + 1, author: "customer", body });
  }
  return c.id;
}

describe("closed-chat search", () => {
  it("closed chats: found by number, name, e-mail or words said, e-mail masked", async () => {
    const word = randomName("modem");
    const visitor = randomName("Quinn");
    const id = await closedChat({
      visitorName: visitor,
      visitorEmail: `${visitor}@example.test`,
      lines: [`My ${word} blinks orange`],
    });
    for (const q of [String(id), `#${id}`, visitor.toUpperCase(), `${visitor}@example`, word]) {
      const hits = await searchClosedChats(q);
      expect(
        hits.map((h) => h.id),
        q,
      ).toContain(id);
    }
    const [hit] = (await searchClosedChats(word)).filter((h) => h.id === id);
    expect(hit).toMatchObject({ name: visitor, signedIn: false, closeReason: "Resolved" });
    expect(hit.snippet).toBe(`My ${word} blinks orange`);
    expect(hit.maskedEmail).not.toContain(visitor);
  });

  it("closed chats: a signed-in customer's chat is found by their name", async () => {
    const customer = await createUser();
    const id = await closedChat({ customerId: customer.id, lines: ["Hello"] });
    const hits = await searchClosedChats(customer.email);
    expect(hits.find((h) => h.id === id)).toMatchObject({ name: "Test Person", signedIn: true });
  });

  it("closed chats: open chats and chats past the retention period are not found", async () => {
    const word = randomName("router");
    const open = await closedChat({ lines: [word], status: "active" });
    const old = await closedChat({ lines: [word], closedDaysAgo: 400 });
    const recent = await closedChat({ lines: [word], closedDaysAgo: 10 });
    const ids = (await searchClosedChats(word)).map((h) => h.id);
    expect(ids).toEqual([recent]);
    expect(ids).not.toContain(open);
    expect(await readClosedChat({ userId: (await createUser({ role: "rep" })).id, ip: "" }, old)).toMatchObject({
      ok: false,
      error: "closedChatNotFound",
    });
  });

  it("closed chats: % and _ in the search are literal", async () => {
    const word = randomName("pct");
    await closedChat({ lines: [`${word} 100% down`] });
    expect(await searchClosedChats(`${word}%zzz`)).toHaveLength(0);
    expect((await searchClosedChats(`${word} 100%`)).length).toBe(1);
  });

  it("closed chats: reading a customer's transcript shows in their activity", async () => {
    const rep = await createUser({ role: "rep" });
    const customer = await createUser();
    const id = await closedChat({ customerId: customer.id, lines: ["Line one", "Line two"] });
    const read = await readClosedChat({ userId: rep.id, ip: "" }, id);
    expect(read).toMatchObject({
      ok: true,
      data: { lines: [{ body: "Line one", authorName: "Test" }, { body: "Line two" }] },
    });
    const audit = await db
      .select({ detail: auditEvents.detail })
      .from(auditEvents)
      .where(and(eq(auditEvents.subjectUserId, customer.id), eq(auditEvents.action, "staff.chat_transcript_read")));
    expect(audit).toEqual([{ detail: { chatId: id } }]);
  });
});

import "server-only";
import { and, asc, eq, ne, sql } from "drizzle-orm";
import { db } from "@/db/client";
import { chatConversations, users } from "@/db/schema";
import { fail, ok, type Outcome } from "@/lib/actions/result";
import { recordAudit } from "@/lib/audit/record";
import { announce } from "./bus";
import {
  appendEvent,
  chatViews,
  closeConversation,
  conversationFor,
  type ChatView,
  type Participant,
} from "./conversations";

export type QueueItem = { id: number; name: string; topic: string; signedIn: boolean; waitingSince: string };

type Staff = Extract<Participant, { kind: "staff" }>;

/** The waiting chats, longest-waiting first. */
export async function listWaiting(): Promise<QueueItem[]> {
  const rows = await db
    .select({
      id: chatConversations.id,
      topic: chatConversations.topic,
      customerId: chatConversations.customerId,
      visitorName: chatConversations.visitorName,
      firstName: users.firstName,
      lastName: users.lastName,
      createdAt: chatConversations.createdAt,
    })
    .from(chatConversations)
    .leftJoin(users, eq(users.id, chatConversations.customerId))
    .where(eq(chatConversations.status, "waiting"))
    .orderBy(asc(chatConversations.createdAt))
    .limit(200);
  return rows.map((r) => ({
    id: r.id,
    name: r.customerId ? `${r.firstName ?? ""} ${r.lastName ?? ""}`.trim() : (r.visitorName ?? ""),
    topic: r.topic,
    signedIn: r.customerId !== null,
    waitingSince: new Date(r.createdAt).toISOString(),
  }));
}

/** The open chats this staff member has taken. */
export async function myChats(staff: Staff): Promise<ChatView[]> {
  const rows = await db
    .select({ id: chatConversations.id })
    .from(chatConversations)
    .where(and(eq(chatConversations.repId, staff.userId), ne(chatConversations.status, "closed")));
  return chatViews(rows.map((r) => r.id));
}

/**
 * Takes a waiting chat. The conditional UPDATE is the whole race: of any number of reps clicking
 * "Take" at once, on any instances, exactly one gets the row back.
 */
export async function takeChat(staff: Staff, conversationId: number, ip: string): Promise<Outcome<null>> {
  return db.transaction(async (tx) => {
    const [taken] = await tx
      .update(chatConversations)
      .set({ status: "active", repId: staff.userId, takenAt: sql`now()` })
      .where(and(eq(chatConversations.id, conversationId), eq(chatConversations.status, "waiting")))
      .returning({ customerId: chatConversations.customerId });
    if (!taken) {
      const [row] = await tx
        .select({ status: chatConversations.status })
        .from(chatConversations)
        .where(eq(chatConversations.id, conversationId));
      return fail(row?.status === "active" ? "chatAlreadyTaken" : row ? "chatNotWaiting" : "chatNotYours");
    }
    await appendEvent(tx, conversationId, {
      kind: "joined",
      author: "system",
      authorId: staff.userId,
      body: `${staff.firstName} joined the chat.`,
      data: { repFirstName: staff.firstName },
    });
    await announce(tx, { t: "q" });
    if (taken.customerId) {
      // The customer's own activity list says a representative was with them, and when.
      await recordAudit(tx, {
        actorId: staff.userId,
        subjectUserId: taken.customerId,
        action: "chat.taken",
        detail: { chatId: conversationId },
        ip,
      });
    }
    return ok(null);
  });
}

export async function closeChatByStaff(staff: Staff, conversationId: number, reason: string): Promise<Outcome<null>> {
  return db.transaction(async (tx) => {
    const c = await conversationFor(tx, staff, conversationId, true);
    if (!c) return fail("chatNotYours");
    if (c.status === "closed") return fail("chatClosed");
    await closeConversation(tx, c, "rep", staff.userId, reason);
    return ok(null, "The chat has ended.");
  });
}

import "server-only";
import { createHash, randomBytes } from "node:crypto";
import { and, asc, desc, eq, gt, inArray, isNull, ne, sql } from "drizzle-orm";
import { db, type DbOrTx, type Tx } from "@/db/client";
import { chatConversations, chatMessages, users, type Role } from "@/db/schema";
import { fail, ok, type Outcome } from "@/lib/actions/result";
import type { ActiveSession } from "@/lib/auth/sessions";
import { reserveMail } from "@/lib/mail/limits";
import { queueMail } from "@/lib/mail/outbox";
import { maskEmail } from "@/lib/profile/email-change";
import { env } from "@/lib/env";
import { hitRateLimits } from "@/lib/rate/limit";
import { getSupportStatus, type SupportStatus } from "@/lib/support/status";
import { announce } from "./bus";
import type { ChatStartInput } from "./schema";

/** The visitor's conversation token lives only in this HttpOnly cookie; the table keeps its hash. */
export const VISITOR_COOKIE = "__Host-myaccount-chat";
export const MAX_TRANSCRIPTS = 3;

export type ChatEvent = {
  conversationId: number;
  seq: number;
  kind: "message" | "joined" | "closed" | "proposal" | "proposal_answer" | "notice";
  author: "customer" | "rep" | "system";
  authorName: string;
  body: string;
  data: Record<string, unknown>;
  createdAt: string;
};

export type ChatView = {
  id: number;
  status: "waiting" | "active" | "closed";
  topic: string;
  repFirstName: string | null;
  customerName: string;
  signedIn: boolean;
  transcriptsSent: number;
  messages: ChatEvent[];
};

/**
 * Who is calling, decided on the server: a signed-in customer from the session, a visitor from
 * the cookie's token, staff from the session. Nothing the browser sends in a body names a person.
 */
export type Participant =
  | { kind: "customer"; userId: string; firstName: string }
  | { kind: "visitor"; tokenHash: string | null }
  | { kind: "staff"; userId: string; role: Role; firstName: string };

export function hashVisitorToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

export function participantFor(session: ActiveSession | null, visitorToken: string | undefined): Participant {
  if (session?.role === "customer") return { kind: "customer", userId: session.userId, firstName: session.firstName };
  if (session) return { kind: "staff", userId: session.userId, role: session.role, firstName: session.firstName };
  // A token is 32 random bytes in base64url; anything else cannot be ours.
  const valid = visitorToken && /^[A-Za-z0-9_-]{43}$/.test(visitorToken);
  return { kind: "visitor", tokenHash: valid ? hashVisitorToken(visitorToken) : null };
}

type ConversationRow = typeof chatConversations.$inferSelect;

/** Whether `p` may read and write conversation `c` (staff: the assigned rep, or any admin). */
export function mayUse(p: Participant, c: ConversationRow): boolean {
  switch (p.kind) {
    case "customer":
      return c.customerId === p.userId;
    case "visitor":
      return p.tokenHash !== null && c.customerId === null && c.visitorTokenHash === p.tokenHash;
    case "staff":
      return p.role === "admin" || (p.role === "rep" && c.repId === p.userId);
  }
}

/** The conversation when `p` may use it, else null; `lock` takes the row lock for the transaction. */
export async function conversationFor(
  tx: DbOrTx,
  p: Participant,
  id: number,
  lock = false,
): Promise<ConversationRow | null> {
  const q = tx.select().from(chatConversations).where(eq(chatConversations.id, id));
  const [row] = lock ? await q.for("update") : await q;
  return row && mayUse(p, row) ? row : null;
}

type NewEvent = {
  kind?: ChatEvent["kind"];
  author: ChatEvent["author"];
  authorId?: string | null;
  body?: string;
  data?: Record<string, unknown>;
};

/**
 * Appends an event to a conversation and announces it at commit. The UPDATE of `last_seq` takes
 * the conversation row's lock, so events of one conversation are numbered 1, 2, 3 … in commit
 * order with no gaps — what lets a stream resume from "the last seq I saw" and lose nothing.
 */
export async function appendEvent(tx: Tx, conversationId: number, event: NewEvent): Promise<number> {
  const [row] = await tx
    .update(chatConversations)
    .set({ lastSeq: sql`${chatConversations.lastSeq} + 1` })
    .where(eq(chatConversations.id, conversationId))
    .returning({ seq: chatConversations.lastSeq });
  await tx.insert(chatMessages).values({
    conversationId,
    seq: row.seq,
    kind: event.kind ?? "message",
    author: event.author,
    authorId: event.authorId ?? null,
    body: event.body ?? "",
    data: event.data ?? {},
  });
  await announce(tx, { t: "m", c: conversationId, s: row.seq });
  return row.seq;
}

function authorOf(p: Participant): ChatEvent["author"] {
  return p.kind === "staff" ? "rep" : "customer";
}

/** Per conversation and per client address, so one chatty tab or one script cannot flood a rep. */
async function messageLimits(conversationId: number, ip: string): Promise<number> {
  return hitRateLimits([
    { key: `chat:conv:${conversationId}`, max: 20, windowSeconds: 10 },
    { key: `chat:ip:${ip}`, max: 60, windowSeconds: 60 },
  ]);
}

export type StartResult = { conversationId: number; visitorToken?: string };

/**
 * Starts a chat with its first message, or adds the message to the caller's chat that is still
 * open (a second tab, a reload before the state came back): one open chat per person.
 */
export async function startChat(p: Participant, input: ChatStartInput, ip: string): Promise<Outcome<StartResult>> {
  if (p.kind === "staff") return fail("chatStaffUseConsole");
  if (p.kind === "visitor" && (!input.name || !input.email)) {
    return fail("invalidInput", {
      ...(!input.name && { name: ["chatNameRequired" as const] }),
      ...(!input.email && { email: ["chatEmailRequired" as const] }),
    });
  }
  const existing = await openConversationOf(p);
  if (existing) {
    const sent = await sendMessage(p, { conversationId: existing, body: input.message }, ip);
    return sent.ok ? ok({ conversationId: existing }) : sent;
  }
  const wait = await hitRateLimits([{ key: `chat:start:${ip}`, max: env().CHAT_STARTS_PER_IP, windowSeconds: 600 }]);
  if (wait) return fail({ code: "slowDown", retryAfterSeconds: wait });

  const visitorToken = p.kind === "visitor" ? randomBytes(32).toString("base64url") : undefined;
  const conversationId = await db.transaction(async (tx) => {
    const [row] = await tx
      .insert(chatConversations)
      .values({
        customerId: p.kind === "customer" ? p.userId : null,
        visitorTokenHash: visitorToken ? hashVisitorToken(visitorToken) : null,
        visitorName: p.kind === "visitor" ? input.name : null,
        visitorEmail: p.kind === "visitor" ? input.email : null,
        visitorAccountNumber: p.kind === "visitor" ? input.accountNumber || null : null,
        topic: input.topic,
        ip,
      })
      .returning({ id: chatConversations.id });
    await appendEvent(tx, row.id, {
      author: "customer",
      authorId: p.kind === "customer" ? p.userId : null,
      body: input.message,
    });
    await announce(tx, { t: "q" });
    return row.id;
  });
  return ok({ conversationId, ...(visitorToken && { visitorToken }) });
}

async function openConversationOf(p: Participant): Promise<number | null> {
  if (p.kind === "customer") {
    const [row] = await db
      .select({ id: chatConversations.id })
      .from(chatConversations)
      .where(and(eq(chatConversations.customerId, p.userId), ne(chatConversations.status, "closed")))
      .orderBy(desc(chatConversations.id))
      .limit(1);
    return row?.id ?? null;
  }
  if (p.kind === "visitor" && p.tokenHash) {
    const [row] = await db
      .select({ id: chatConversations.id })
      .from(chatConversations)
      .where(and(eq(chatConversations.visitorTokenHash, p.tokenHash), ne(chatConversations.status, "closed")));
    return row?.id ?? null;
  }
  return null;
}

export async function sendMessage(
  p: Participant,
  input: { conversationId: number; body: string },
  ip: string,
): Promise<Outcome<{ seq: number }>> {
  // Refuse someone else's conversation before counting anything against it.
  const visible = await conversationFor(db, p, input.conversationId);
  if (!visible) return fail("chatNotYours");
  const wait = await messageLimits(input.conversationId, ip);
  if (wait) return fail({ code: "slowDown", retryAfterSeconds: wait });
  return db.transaction(async (tx) => {
    const c = await conversationFor(tx, p, input.conversationId, true);
    if (!c) return fail("chatNotYours");
    if (c.status === "closed") return fail("chatClosed");
    // A rep writes only in a chat they have taken (an admin may step into any open one).
    if (p.kind === "staff" && c.status !== "active") return fail("chatNotWaiting");
    const seq = await appendEvent(tx, c.id, {
      author: authorOf(p),
      authorId: p.kind === "visitor" ? null : p.userId,
      body: input.body,
    });
    return ok({ seq });
  });
}

/** "… is typing": announced, never stored; losing one costs nothing. */
export async function signalTyping(p: Participant, conversationId: number): Promise<Outcome<null>> {
  const c = await conversationFor(db, p, conversationId);
  if (!c) return fail("chatNotYours");
  if (c.status === "closed") return fail("chatClosed");
  await announce(db, { t: "typing", c: conversationId, who: p.kind === "staff" ? "rep" : "customer" });
  return ok(null);
}

/** Closes a chat and tells both sides; `by` is who ended it. */
export async function closeConversation(
  tx: Tx,
  c: ConversationRow,
  by: "customer" | "rep",
  actorId: string | null,
  reason: string,
): Promise<void> {
  await tx
    .update(chatConversations)
    .set({ status: "closed", closedBy: by, closeReason: reason, closedAt: sql`now()` })
    .where(eq(chatConversations.id, c.id));
  await appendEvent(tx, c.id, {
    kind: "closed",
    author: "system",
    authorId: actorId,
    body: by === "customer" ? "You ended the chat." : "The representative ended the chat.",
    data: { by, reason },
  });
  if (c.status === "waiting") await announce(tx, { t: "q" });
}

export async function endChat(p: Participant, conversationId: number): Promise<Outcome<null>> {
  if (p.kind === "staff") return fail("chatStaffUseConsole");
  return db.transaction(async (tx) => {
    const c = await conversationFor(tx, p, conversationId, true);
    if (!c) return fail("chatNotYours");
    if (c.status === "closed") return fail("chatClosed");
    await closeConversation(tx, c, "customer", p.kind === "customer" ? p.userId : null, "");
    return ok(null, "The chat has ended.");
  });
}

/** Mails the transcript to the customer's (or visitor's) own address, at most 3 times per chat. */
export async function mailTranscript(
  p: Participant,
  conversationId: number,
  ip = "",
): Promise<Outcome<{ sentTo: string }>> {
  if (p.kind === "staff") return fail("chatStaffUseConsole");
  // Read once before counting, so a refused request (not yours, not ended) costs no mail quota;
  // the transaction checks it all again under the lock.
  const first = await transcriptRecipient(db, p, conversationId, false);
  if (!first.ok) return first;
  const wait = await reserveMail(p.kind === "customer" ? { userId: p.userId } : { ip }, first.data.to);
  if (wait > 0) return fail({ code: "mailLimit", retryAfterSeconds: wait });
  return db.transaction(async (tx) => {
    const found = await transcriptRecipient(tx, p, conversationId, true);
    if (!found.ok) return found;
    const { c, to } = found.data;
    await tx
      .update(chatConversations)
      .set({ transcriptsSent: sql`${chatConversations.transcriptsSent} + 1` })
      .where(eq(chatConversations.id, c.id));
    const events = await readEvents(tx, c.id, 0, 10_000);
    await queueMail(tx, { to, ...transcriptMail(c.id, events) });
    const sentTo = maskEmail(to);
    return ok({ sentTo }, `The transcript is on its way to ${sentTo}.`);
  });
}

async function transcriptRecipient(
  tx: DbOrTx,
  p: Participant,
  conversationId: number,
  lock: boolean,
): Promise<Outcome<{ c: ConversationRow; to: string }>> {
  const c = await conversationFor(tx, p, conversationId, lock);
  if (!c) return fail("chatNotYours");
  if (c.status !== "closed") return fail("chatNotEnded");
  if (c.transcriptsSent >= MAX_TRANSCRIPTS) return fail("transcriptLimit");
  let to = c.visitorEmail;
  if (c.customerId) {
    const [u] = await tx.select({ email: users.email }).from(users).where(eq(users.id, c.customerId));
    to = u?.email ?? null;
  }
  if (!to) return fail("chatNoEmail");
  return ok({ c, to });
}

function transcriptMail(id: number, events: ChatEvent[]) {
  const time = (iso: string) => new Date(iso).toISOString().slice(0, 16).replace("T", " ") + " UTC";
  const lines = events.map((e) =>
    e.kind === "message" ? `[${time(e.createdAt)}] ${e.authorName}: ${e.body}` : `[${time(e.createdAt)}] — ${e.body}`,
  );
  return {
    subject: `Your chat with customer service (#${id})`,
    text: `Here is the transcript of your chat with customer service, as you asked.\n\n${lines.join("\n")}\n\nIf you did not ask for this, you can ignore this e-mail.\n`,
  };
}

function describeEvent(kind: ChatEvent["kind"], body: string, data: Record<string, unknown>): string {
  if (kind === "joined") return body || `${String(data.repFirstName ?? "A representative")} joined the chat.`;
  return body;
}

/** Events of one conversation after `afterSeq`, oldest first, with the names people see. */
export async function readEvents(
  tx: DbOrTx,
  conversationId: number,
  afterSeq: number,
  limit = 500,
): Promise<ChatEvent[]> {
  const rows = await tx
    .select({
      seq: chatMessages.seq,
      kind: chatMessages.kind,
      author: chatMessages.author,
      body: chatMessages.body,
      data: chatMessages.data,
      createdAt: chatMessages.createdAt,
      authorFirstName: users.firstName,
      visitorName: chatConversations.visitorName,
    })
    .from(chatMessages)
    .innerJoin(chatConversations, eq(chatConversations.id, chatMessages.conversationId))
    .leftJoin(users, eq(users.id, chatMessages.authorId))
    .where(and(eq(chatMessages.conversationId, conversationId), gt(chatMessages.seq, afterSeq)))
    .orderBy(asc(chatMessages.seq))
    .limit(limit);
  return rows.map((r) => ({
    conversationId,
    seq: r.seq,
    kind: r.kind,
    author: r.author,
    authorName:
      r.author === "system" ? "" : (r.authorFirstName ?? (r.author === "customer" ? (r.visitorName ?? "") : "")),
    body: describeEvent(r.kind, r.body, r.data),
    data: r.data,
    createdAt: new Date(r.createdAt).toISOString(),
  }));
}

export async function chatViews(ids: number[]): Promise<ChatView[]> {
  if (!ids.length) return [];
  const rows = await db
    .select({
      c: chatConversations,
      customerFirst: users.firstName,
      customerLast: users.lastName,
    })
    .from(chatConversations)
    .leftJoin(users, eq(users.id, chatConversations.customerId))
    .where(inArray(chatConversations.id, ids))
    .orderBy(asc(chatConversations.id));
  const reps = new Map<string, string>();
  const repIds = [...new Set(rows.map((r) => r.c.repId).filter((x): x is string => !!x))];
  if (repIds.length) {
    for (const r of await db
      .select({ id: users.id, firstName: users.firstName })
      .from(users)
      .where(inArray(users.id, repIds))) {
      reps.set(r.id, r.firstName);
    }
  }
  return Promise.all(
    rows.map(async ({ c, customerFirst, customerLast }) => ({
      id: c.id,
      status: c.status,
      topic: c.topic,
      repFirstName: c.repId ? (reps.get(c.repId) ?? null) : null,
      customerName: c.customerId ? `${customerFirst ?? ""} ${customerLast ?? ""}`.trim() : (c.visitorName ?? ""),
      signedIn: c.customerId !== null,
      transcriptsSent: c.transcriptsSent,
      messages: await readEvents(db, c.id, 0, 10_000),
    })),
  );
}

export type ChatState = {
  support: SupportStatus;
  me: { signedIn: boolean; firstName: string | null };
  conversation: ChatView | null;
};

/**
 * What the panel shows on open or reload: the caller's open chat, else the one that ended in the
 * last hour (so a reload still shows "chat ended" and the transcript button).
 */
export async function getChatState(p: Participant): Promise<Outcome<ChatState>> {
  if (p.kind === "staff") return fail("chatStaffUseConsole");
  const owner =
    p.kind === "customer"
      ? eq(chatConversations.customerId, p.userId)
      : p.tokenHash
        ? and(eq(chatConversations.visitorTokenHash, p.tokenHash), isNull(chatConversations.customerId))
        : null;
  let conversation: ChatView | null = null;
  if (owner) {
    const [row] = await db
      .select({ id: chatConversations.id })
      .from(chatConversations)
      .where(
        and(
          owner,
          sql`(${chatConversations.status} <> 'closed' or ${chatConversations.closedAt} > now() - interval '1 hour')`,
        ),
      )
      .orderBy(desc(chatConversations.id))
      .limit(1);
    if (row) [conversation] = await chatViews([row.id]);
  }
  return ok({
    support: await getSupportStatus(),
    me: { signedIn: p.kind === "customer", firstName: p.kind === "customer" ? p.firstName : null },
    conversation,
  });
}

/** Conversations a stream may follow: all must be the caller's, or none is served. */
export async function mayFollowAll(p: Participant, ids: number[]): Promise<boolean> {
  if (!ids.length) return true;
  const rows = await db.select().from(chatConversations).where(inArray(chatConversations.id, ids));
  return rows.length === new Set(ids).size && rows.every((r) => mayUse(p, r));
}

/** The newest seq of each conversation (a stream opened without a cursor starts from here). */
export async function lastSeqs(ids: number[]): Promise<Map<number, number>> {
  const out = new Map<number, number>();
  if (!ids.length) return out;
  const rows = await db
    .select({ id: chatConversations.id, lastSeq: chatConversations.lastSeq })
    .from(chatConversations)
    .where(inArray(chatConversations.id, ids));
  for (const r of rows) out.set(r.id, r.lastSeq);
  return out;
}

/** Closed chats past the admin's retention period are deleted with their messages and proposals. */
export async function deleteExpiredChats(retentionDays: number): Promise<number> {
  // Idempotent: two instances running it at once delete each row once between them.
  const rows = await db
    .delete(chatConversations)
    .where(
      and(
        eq(chatConversations.status, "closed"),
        sql`${chatConversations.closedAt} < now() - make_interval(days => ${retentionDays})`,
      ),
    )
    .returning({ id: chatConversations.id });
  return rows.length;
}

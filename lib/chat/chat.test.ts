import http from "node:http";
import type { AddressInfo } from "node:net";
import { randomBytes, randomUUID } from "node:crypto";
import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/db/client";
import {
  auditEvents,
  chatConversations,
  chatMessages,
  chatPresence,
  mailOutbox,
  supportSettings,
  users,
} from "@/db/schema";
import { createUser } from "@/lib/test/factories";
import { getSupportStatus, withinHours } from "@/lib/support/status";
import { onBusEvent, startChatBus, stopChatBus, type BusEvent } from "./bus";
import {
  endChat,
  getChatState,
  mailTranscript,
  participantFor,
  readEvents,
  sendMessage,
  signalTyping,
  startChat,
  type ChatEvent,
  type Participant,
} from "./conversations";
import { leavePresence, setAway, touchPresence } from "./presence";
import { answerProposal, proposeChange, withdrawProposal } from "./proposals";
import { CHAT_MESSAGE_MAX, chatSendSchema } from "./schema";
import { closeChatByStaff, listWaiting, takeChat } from "./queue";
import { purgeExpiredChats } from "./retention";
import { handleChatStream } from "./stream";

/** A fresh client address per test: the rate limits are per address and shared by the database. */
const ip = () => `198.51.100.${Math.floor(Math.random() * 250)}-${randomUUID().slice(0, 8)}`;

function visitor() {
  const token = randomBytes(32).toString("base64url");
  return { token, p: participantFor(null, token) };
}

async function customer(): Promise<Extract<Participant, { kind: "customer" }> & { id: string }> {
  const u = await createUser();
  const [row] = await db.select({ firstName: users.firstName }).from(users).where(eq(users.id, u.id));
  return { kind: "customer", userId: u.id, firstName: row.firstName, id: u.id };
}

async function rep(role: "rep" | "admin" = "rep"): Promise<Extract<Participant, { kind: "staff" }>> {
  const u = await createUser({ role });
  const [row] = await db.select({ firstName: users.firstName }).from(users).where(eq(users.id, u.id));
  return { kind: "staff", userId: u.id, role, firstName: row.firstName };
}

const startInput = { name: "Vera Visitor", email: "vera@example.com", accountNumber: "", topic: "" as const };

async function visitorChat(message = "Hello?") {
  const v = visitor();
  const started = await startChat({ kind: "visitor", tokenHash: null }, { ...startInput, message }, ip());
  if (!started.ok || !started.data.visitorToken) throw new Error("start failed");
  const token = started.data.visitorToken;
  return { id: started.data.conversationId, p: participantFor(null, token), other: v.p, token };
}

/** A real HTTP server around the stream handler, as server.ts serves it. */
let server: http.Server;
let base: string;
beforeAll(async () => {
  await startChatBus();
  server = http.createServer((req, res) => void handleChatStream(req, res));
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
  await stopChatBus();
});

type Frame = { event: string; id?: string; data: unknown };

/** Opens the stream and collects frames until `until` says stop (or the time runs out). */
async function readStream(
  path: string,
  cookie: string,
  until: (frames: Frame[]) => boolean,
  opts: { lastEventId?: string; timeoutMs?: number; onOpen?: () => Promise<void> } = {},
): Promise<{ status: number; frames: Frame[] }> {
  const ac = new AbortController();
  const timer = setTimeout(() => ac.abort(), opts.timeoutMs ?? 8000);
  const frames: Frame[] = [];
  try {
    const res = await fetch(`${base}${path}`, {
      headers: { cookie, ...(opts.lastEventId && { "last-event-id": opts.lastEventId }) },
      signal: ac.signal,
    });
    if (res.status !== 200) return { status: res.status, frames };
    const opened = opts.onOpen?.();
    const decoder = new TextDecoder();
    let buffer = "";
    const reader = res.body!.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      buffer += decoder.decode(value, { stream: true });
      let end: number;
      while ((end = buffer.indexOf("\n\n")) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const f: Frame = { event: "message", data: null };
        let data = "";
        for (const line of block.split("\n")) {
          if (line.startsWith("event: ")) f.event = line.slice(7);
          else if (line.startsWith("id: ")) f.id = line.slice(4);
          else if (line.startsWith("data: ")) data += line.slice(6);
        }
        if (!data) continue;
        f.data = JSON.parse(data);
        frames.push(f);
      }
      if (until(frames)) break;
    }
    await opened;
    return { status: 200, frames };
  } catch (err) {
    if ((err as Error).name === "AbortError") return { status: 200, frames };
    throw err;
  } finally {
    clearTimeout(timer);
    ac.abort();
  }
}

const seqsOf = (frames: Frame[], c: number) =>
  frames
    .filter((f) => f.event === "message" && (f.data as ChatEvent).conversationId === c)
    .map((f) => (f.data as ChatEvent).seq);

describe("support chat", () => {
  it("chat: a visitor's chat is theirs alone; a rep writes only after taking it, and only one rep takes it", async () => {
    const chat = await visitorChat("My internet is down");
    expect(await sendMessage(chat.other, { conversationId: chat.id, body: "sneaky" }, ip())).toMatchObject({
      ok: false,
      error: "chatNotYours",
    });
    const reps = await Promise.all([rep(), rep(), rep(), rep(), rep()]);
    expect(await sendMessage(reps[0], { conversationId: chat.id, body: "hi" }, ip())).toMatchObject({
      ok: false,
      error: "chatNotYours",
    });
    expect((await listWaiting()).some((w) => w.id === chat.id && w.name === "Vera Visitor")).toBe(true);

    const takes = await Promise.all(reps.map((r) => takeChat(r, chat.id, "203.0.113.1")));
    expect(takes.filter((t) => t.ok)).toHaveLength(1);
    expect(takes.filter((t) => !t.ok && t.error === "chatAlreadyTaken")).toHaveLength(4);
    const winner = reps[takes.findIndex((t) => t.ok)];
    expect((await listWaiting()).some((w) => w.id === chat.id)).toBe(false);
    expect(await sendMessage(winner, { conversationId: chat.id, body: "I can help" }, ip())).toMatchObject({
      ok: true,
    });

    const events = await readEvents(db, chat.id, 0);
    expect(events.map((e) => [e.seq, e.kind, e.author])).toEqual([
      [1, "message", "customer"],
      [2, "joined", "system"],
      [3, "message", "rep"],
    ]);
    expect(events[0].authorName).toBe("Vera Visitor");
    expect(events[1].data).toEqual({ repFirstName: winner.firstName });
    expect(events[2].authorName).toBe(winner.firstName);
  });

  it("chat: concurrent messages from both sides get gapless numbers in commit order", async () => {
    const c = await customer();
    const started = await startChat(c, { ...startInput, message: "first" }, ip());
    if (!started.ok) throw new Error("start failed");
    const id = started.data.conversationId;
    const r = await rep();
    expect((await takeChat(r, id, "")).ok).toBe(true);
    const results = await Promise.all([
      ...Array.from({ length: 9 }, (_, i) => sendMessage(c, { conversationId: id, body: `c${i}` }, ip())),
      ...Array.from({ length: 9 }, (_, i) => sendMessage(r, { conversationId: id, body: `r${i}` }, ip())),
    ]);
    expect(results.every((x) => x.ok)).toBe(true);
    const events = await readEvents(db, id, 0);
    expect(events.map((e) => e.seq)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    const [row] = await db
      .select({ lastSeq: chatConversations.lastSeq })
      .from(chatConversations)
      .where(eq(chatConversations.id, id));
    expect(row.lastSeq).toBe(20);
    // A second start by the same customer adds to the open chat instead of opening another.
    const again = await startChat(c, { ...startInput, message: "still there?" }, ip());
    expect(again).toMatchObject({ ok: true, data: { conversationId: id } });
  });

  it("chat: a notification is announced at commit only, carrying ids and never the text", async () => {
    const seen: BusEvent[] = [];
    const off = onBusEvent((e) => seen.push(e));
    try {
      const chat = await visitorChat("secret words");
      await new Promise((r) => setTimeout(r, 200));
      const mine = seen.filter((e) => e.t === "m" && e.c === chat.id);
      expect(mine).toEqual([{ t: "m", c: chat.id, s: 1 }]);
      expect(JSON.stringify(seen)).not.toContain("secret words");
      expect(seen.some((e) => e.t === "q")).toBe(true);
      // A rolled-back append announces nothing.
      await db
        .transaction(async (tx) => {
          await tx.execute(sql`select pg_notify('myaccount_chat', ${JSON.stringify({ t: "m", c: chat.id, s: 99 })})`);
          throw new Error("rollback");
        })
        .catch(() => {});
      await new Promise((r) => setTimeout(r, 200));
      expect(seen.some((e) => e.t === "m" && e.s === 99)).toBe(false);
    } finally {
      off();
    }
  });

  it("stream: delivers every message once, in order, and resumes after a dropped connection from its cursor", async () => {
    const chat = await visitorChat("one");
    const r = await rep();
    await takeChat(r, chat.id, "");
    const cookie = `__Host-myaccount-chat=${chat.token}`;

    // Live: messages sent while the stream is open arrive, each once, in order.
    const live = await readStream(`/api/chat/stream?c=${chat.id}`, cookie, (f) => seqsOf(f, chat.id).includes(12), {
      onOpen: async () => {
        for (let i = 0; i < 10; i++) {
          const who = i % 2 ? r : chat.p;
          const sent = await sendMessage(who, { conversationId: chat.id, body: `m${i}` }, ip());
          if (!sent.ok) throw new Error(JSON.stringify(sent));
        }
      },
    });
    expect(seqsOf(live.frames, chat.id)).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
    const lastId = live.frames.at(-1)!.id!;
    expect(lastId).toBe(`${chat.id}:12`);

    // Dropped: what was sent while nobody listened comes on reconnect, after the cursor only.
    for (let i = 0; i < 5; i++) await sendMessage(r, { conversationId: chat.id, body: `away${i}` }, ip());
    const resumed = await readStream(`/api/chat/stream?c=${chat.id}`, cookie, (f) => seqsOf(f, chat.id).includes(17), {
      lastEventId: lastId,
    });
    expect(seqsOf(resumed.frames, chat.id)).toEqual([13, 14, 15, 16, 17]);
  });

  it("stream: 403 for a conversation that is not the caller's, and for the queue without a staff session", async () => {
    const chat = await visitorChat();
    const other = randomBytes(32).toString("base64url");
    expect(
      (await readStream(`/api/chat/stream?c=${chat.id}`, `__Host-myaccount-chat=${other}`, () => true)).status,
    ).toBe(403);
    expect((await readStream(`/api/chat/stream?queue=1`, `__Host-myaccount-chat=${other}`, () => true)).status).toBe(
      403,
    );
    expect((await readStream(`/api/chat/stream?c=abc`, "", () => true)).status).toBe(400);
  });

  it("chat: one client address starts at most 5 chats in 10 minutes; the sixth is refused and stores nothing", async () => {
    const from = ip();
    const before = await db.$count(chatConversations);
    const results = [];
    for (let i = 0; i < 6; i++)
      results.push(await startChat({ kind: "visitor", tokenHash: null }, { ...startInput, message: `n${i}` }, from));
    expect(results.slice(0, 5).every((r) => r.ok)).toBe(true);
    expect(results[5]).toMatchObject({ ok: false, error: { code: "slowDown" } });
    expect(await db.$count(chatConversations)).toBe(before + 5);
    // Another address is not held back by the first.
    expect((await startChat({ kind: "visitor", tokenHash: null }, { ...startInput, message: "m" }, ip())).ok).toBe(
      true,
    );
  });

  it("chat: messages are limited per conversation (20 per 10 s) with the wait in the answer", async () => {
    const chat = await visitorChat();
    const from = ip();
    const results = [];
    for (let i = 0; i < 21; i++)
      results.push(await sendMessage(chat.p, { conversationId: chat.id, body: `x${i}` }, from));
    const refused = results.find((x) => !x.ok);
    expect(refused).toMatchObject({ ok: false, error: { code: "slowDown" } });
    // The starting message opens the chat (limited per address); then 20 per 10 s.
    expect(results.filter((x) => x.ok)).toHaveLength(20);
    const [row] = await db
      .select({ lastSeq: chatConversations.lastSeq })
      .from(chatConversations)
      .where(eq(chatConversations.id, chat.id));
    expect(row.lastSeq).toBe(21);
  });

  it("chat: the customer ends the chat; the transcript is mailed at most 3 times, only after the end", async () => {
    const c = await customer();
    const started = await startChat(c, { ...startInput, message: "transcript please" }, ip());
    if (!started.ok) throw new Error("start failed");
    const id = started.data.conversationId;
    expect(await mailTranscript(c, id)).toMatchObject({ ok: false, error: "chatNotEnded" });
    expect((await endChat(c, id)).ok).toBe(true);
    expect(await sendMessage(c, { conversationId: id, body: "late" }, ip())).toMatchObject({
      ok: false,
      error: "chatClosed",
    });
    for (let i = 0; i < 3; i++) expect((await mailTranscript(c, id)).ok).toBe(true);
    expect(await mailTranscript(c, id)).toMatchObject({ ok: false, error: "transcriptLimit" });
    const [u] = await db.select({ email: users.email }).from(users).where(eq(users.id, c.userId));
    const mails = await db.select().from(mailOutbox).where(eq(mailOutbox.toAddress, u.email!));
    const transcripts = mails.filter((m) => m.subject.includes(`#${id}`));
    expect(transcripts).toHaveLength(3);
    expect(transcripts[0].textBody).toContain("transcript please");
    expect(transcripts[0].mailClass).toBe("transactional");
    // A reload in the next hour still shows the ended chat.
    const state = await getChatState(c);
    expect(state).toMatchObject({ ok: true, data: { conversation: { id, status: "closed", transcriptsSent: 3 } } });
  });

  it("chat: a visitor's transcripts count against the hourly mail limits of the address they gave", async () => {
    const email = `chat_${randomUUID().slice(0, 8)}@example.test`;
    const from = ip();
    const sent = [];
    for (let i = 0; i < 2; i++) {
      const started = await startChat(
        { kind: "visitor", tokenHash: null },
        { ...startInput, email, message: "hi" },
        ip(),
      );
      if (!started.ok || !started.data.visitorToken) throw new Error("start failed");
      const p = participantFor(null, started.data.visitorToken);
      expect((await endChat(p, started.data.conversationId)).ok).toBe(true);
      for (let j = 0; j < 3; j++) sent.push(await mailTranscript(p, started.data.conversationId, from));
    }
    expect(sent.filter((r) => r.ok)).toHaveLength(5);
    expect(sent[5]).toMatchObject({ ok: false, error: { code: "mailLimit" } });
    expect(await db.$count(mailOutbox, eq(mailOutbox.toAddress, email))).toBe(5);
  });

  it("proposals: a rep proposes, the customer approves in the chat, the change is theirs and names the rep", async () => {
    const c = await customer();
    const started = await startChat(c, { ...startInput, message: "new phone" }, ip());
    if (!started.ok) throw new Error("start failed");
    const id = started.data.conversationId;
    const r = await rep();
    await takeChat(r, id, "");
    const bad = await proposeChange(r, { conversationId: id, field: "phone", phone: "12" });
    expect(bad).toMatchObject({ ok: false, error: "invalidInput" });
    const proposed = await proposeChange(r, { conversationId: id, field: "phone", phone: "(303) 555-0199" });
    if (!proposed.ok) throw new Error(JSON.stringify(proposed));
    const [before] = await db.select({ phone: users.phone }).from(users).where(eq(users.id, c.userId));
    expect(before.phone).not.toBe("+13035550199");

    const ctx = { ip: "203.0.113.9", userAgent: "test" };
    const stranger = await customer();
    expect(
      await answerProposal(stranger, { proposalId: proposed.data.proposalId, answer: "approve" }, ctx),
    ).toMatchObject({
      ok: false,
      error: "proposalNotPending",
    });
    expect((await answerProposal(c, { proposalId: proposed.data.proposalId, answer: "approve" }, ctx)).ok).toBe(true);
    expect((await answerProposal(c, { proposalId: proposed.data.proposalId, answer: "approve" }, ctx)).ok).toBe(false);
    const [after] = await db.select({ phone: users.phone }).from(users).where(eq(users.id, c.userId));
    expect(after.phone).toBe("+13035550199");
    const [audit] = await db
      .select({ actorId: auditEvents.actorId, detail: auditEvents.detail })
      .from(auditEvents)
      .where(and(eq(auditEvents.subjectUserId, c.userId), eq(auditEvents.action, "profile.updated")));
    expect(audit.actorId).toBe(c.userId);
    expect(audit.detail).toMatchObject({ section: "phone", chatId: id, proposedBy: r.userId });
    const kinds = (await readEvents(db, id, 0)).map((e) => e.kind);
    expect(kinds).toEqual(["message", "joined", "proposal", "proposal_answer"]);

    // A visitor cannot be proposed to: there is no account to change.
    const v = await visitorChat();
    await takeChat(r, v.id, "");
    expect(await proposeChange(r, { conversationId: v.id, field: "offers", optIn: "yes" })).toMatchObject({
      ok: false,
      error: "proposalNotForVisitor",
    });
    expect((await closeChatByStaff(r, v.id, "resolved")).ok).toBe(true);
  });

  it("status: open at all hours until an admin sets hours; a rep counts while present and not away", async () => {
    await db.delete(chatPresence).where(sql`true`);
    await db.update(supportSettings).set({ hours: null }).where(eq(supportSettings.id, 1));
    expect(await getSupportStatus()).toMatchObject({ available: false, reason: "noRep", hours: null });
    const r = await rep();
    await touchPresence(r.userId);
    expect(await getSupportStatus()).toMatchObject({ available: true, reason: "open" });
    await setAway(r.userId, true);
    expect(await getSupportStatus()).toMatchObject({ available: false, reason: "noRep" });
    await setAway(r.userId, false);

    // Closing the console tab here takes the rep offline at once...
    await touchPresence(r.userId);
    await leavePresence(r.userId);
    expect(await getSupportStatus()).toMatchObject({ available: false, reason: "noRep" });
    // ...but not when another instance's console tab touched the row after this one did.
    await touchPresence(r.userId);
    await db
      .update(chatPresence)
      .set({ lastSeenAt: sql`${chatPresence.lastSeenAt} + interval '1 second'` })
      .where(eq(chatPresence.staffId, r.userId));
    await leavePresence(r.userId);
    expect(await getSupportStatus()).toMatchObject({ available: true, reason: "open" });

    // Mon–Fri 08:00–20:00 Denver: a Sunday noon is closed, a Monday 09:00 is open.
    const hours = Object.fromEntries(
      ["mon", "tue", "wed", "thu", "fri"].map((d) => [d, ["08:00", "20:00"] as [string, string]]),
    );
    expect(withinHours(hours, "America/Denver", new Date("2026-12-06T19:00:00Z"))).toBe(false);
    expect(withinHours(hours, "America/Denver", new Date("2026-12-07T16:00:00Z"))).toBe(true);
    expect(withinHours(hours, "America/Denver", new Date("2026-12-08T03:30:00Z"))).toBe(false);
    await db.update(supportSettings).set({ hours }).where(eq(supportSettings.id, 1));
    const sunday = await getSupportStatus(new Date("2026-12-06T19:00:00Z"));
    expect(sunday).toMatchObject({ available: false, reason: "closedHours" });
    expect(sunday.hours).toContain("Mon 08:00–20:00");
    await db.update(supportSettings).set({ hours: null }).where(eq(supportSettings.id, 1));
    await db.delete(chatPresence).where(sql`true`);
  });

  it("retention: closed chats past the retention period are deleted with their messages; others stay", async () => {
    const old = await visitorChat("old");
    const recent = await visitorChat("recent");
    const open = await visitorChat("open");
    await endChat(old.p, old.id);
    await endChat(recent.p, recent.id);
    await db
      .update(chatConversations)
      .set({ closedAt: sql`now() - interval '400 days'` })
      .where(eq(chatConversations.id, old.id));
    await db
      .update(chatConversations)
      .set({ createdAt: sql`now() - interval '800 days'` })
      .where(eq(chatConversations.id, open.id));
    // Every instance runs the job: two at once delete each row once between them, and fail nothing.
    const [a, b] = await Promise.all([purgeExpiredChats(), purgeExpiredChats()]);
    expect(a + b).toBeGreaterThanOrEqual(1);
    const left = await db.select({ id: chatConversations.id }).from(chatConversations);
    const ids = left.map((r) => r.id);
    expect(ids).not.toContain(old.id);
    expect(ids).toContain(recent.id);
    expect(ids).toContain(open.id);
    expect(await db.select().from(chatMessages).where(eq(chatMessages.conversationId, old.id))).toHaveLength(0);
  });

  it("stream: a lost notification loses nothing; the next one (or, on Postgres, the listener's reconnect) delivers it in order, once", async () => {
    const chat = await visitorChat("start");
    const r = await rep();
    await takeChat(r, chat.id, "");
    const cookie = `__Host-myaccount-chat=${chat.token}`;
    // A message committed without its NOTIFY, as when the listener's connection drops at that moment.
    const silentAppend = (body: string) =>
      db.transaction(async (tx) => {
        const [row] = await tx
          .update(chatConversations)
          .set({ lastSeq: sql`${chatConversations.lastSeq} + 1` })
          .where(eq(chatConversations.id, chat.id))
          .returning({ seq: chatConversations.lastSeq });
        await tx
          .insert(chatMessages)
          .values({ conversationId: chat.id, seq: row.seq, kind: "message", author: "rep", authorId: r.userId, body });
        return row.seq;
      });

    const repaired = await readStream(`/api/chat/stream?c=${chat.id}`, cookie, (f) => seqsOf(f, chat.id).includes(4), {
      lastEventId: `${chat.id}:2`,
      onOpen: async () => {
        await new Promise((res) => setTimeout(res, 150));
        expect(await silentAppend("unannounced")).toBe(3);
        await new Promise((res) => setTimeout(res, 150));
        await sendMessage(chat.p, { conversationId: chat.id, body: "announced" }, ip());
      },
    });
    expect(seqsOf(repaired.frames, chat.id)).toEqual([3, 4]);

    if (process.env.TEST_DB !== "postgres") return;
    // Postgres: the bus listens on a connection of its own. Cut it after a silent append: the bus
    // reconnects, re-reads ("resync"), and the stream delivers what no notification announced.
    const resyncs: BusEvent[] = [];
    const off = onBusEvent((e) => e.t === "resync" && resyncs.push(e));
    try {
      const healed = await readStream(`/api/chat/stream?c=${chat.id}`, cookie, (f) => seqsOf(f, chat.id).includes(5), {
        lastEventId: `${chat.id}:4`,
        timeoutMs: 10_000,
        onOpen: async () => {
          await new Promise((res) => setTimeout(res, 150));
          expect(await silentAppend("while the listener was away")).toBe(5);
          await db.execute(
            sql`select pg_terminate_backend(pid) from pg_stat_activity where datname = current_database() and query ilike 'listen %'`,
          );
        },
      });
      expect(seqsOf(healed.frames, chat.id)).toEqual([5]);
      expect(resyncs.length).toBeGreaterThanOrEqual(1);
    } finally {
      off();
    }
  });

  it("abuse: another's chat, a closed chat, a reused token, an over-long message and a withdrawn proposal change nothing", async () => {
    const chat = await visitorChat("mine");
    const stranger = visitor().p;
    for (const attempt of [
      () => signalTyping(stranger, chat.id),
      () => endChat(stranger, chat.id),
      () => mailTranscript(stranger, chat.id),
      () => sendMessage(stranger, { conversationId: chat.id, body: "x" }, ip()),
    ])
      expect(await attempt()).toMatchObject({ ok: false, error: "chatNotYours" });
    const strangerState = await getChatState(stranger);
    expect(JSON.stringify(strangerState)).not.toContain("mine");

    // Over the limit: refused by the schema before any function runs.
    expect(chatSendSchema.safeParse({ conversationId: chat.id, body: "x".repeat(CHAT_MESSAGE_MAX + 1) }).success).toBe(
      false,
    );
    expect(chatSendSchema.safeParse({ conversationId: chat.id, body: "x".repeat(CHAT_MESSAGE_MAX) }).success).toBe(
      true,
    );

    // Closed: the same token (this browser or a copy of its cookie) can no longer write to it.
    expect((await endChat(chat.p, chat.id)).ok).toBe(true);
    const before = (await readEvents(db, chat.id, 0)).length;
    expect(await sendMessage(chat.p, { conversationId: chat.id, body: "again" }, ip())).toMatchObject({
      ok: false,
      error: "chatClosed",
    });
    expect(await signalTyping(chat.p, chat.id)).toMatchObject({ ok: false, error: "chatClosed" });
    expect(await endChat(chat.p, chat.id)).toMatchObject({ ok: false, error: "chatClosed" });
    expect(await readEvents(db, chat.id, 0)).toHaveLength(before);

    // A proposal withdrawn by the rep cannot be approved afterwards; the phone stays as it was.
    const c = await customer();
    const started = await startChat(c, { ...startInput, message: "phone" }, ip());
    if (!started.ok) throw new Error("start failed");
    const r = await rep();
    await takeChat(r, started.data.conversationId, "");
    const proposed = await proposeChange(r, {
      conversationId: started.data.conversationId,
      field: "phone",
      phone: "(720) 555-0142",
    });
    if (!proposed.ok) throw new Error(JSON.stringify(proposed));
    const [{ phone: phoneBefore }] = await db.select({ phone: users.phone }).from(users).where(eq(users.id, c.userId));
    expect((await withdrawProposal(r, proposed.data.proposalId)).ok).toBe(true);
    expect(await withdrawProposal(r, proposed.data.proposalId)).toMatchObject({
      ok: false,
      error: "proposalNotPending",
    });
    expect(
      await answerProposal(c, { proposalId: proposed.data.proposalId, answer: "approve" }, { ip: "", userAgent: "" }),
    ).toMatchObject({ ok: false, error: "proposalNotPending" });
    const [{ phone: phoneAfter }] = await db.select({ phone: users.phone }).from(users).where(eq(users.id, c.userId));
    expect(phoneAfter).toBe(phoneBefore);
    // Staff cannot use the customer's side of the chat.
    expect(await startChat(r, { ...startInput, message: "hi" }, ip())).toMatchObject({
      ok: false,
      error: "chatStaffUseConsole",
    });
    expect(await endChat(r, started.data.conversationId)).toMatchObject({ ok: false, error: "chatStaffUseConsole" });
  });
});

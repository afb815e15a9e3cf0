import http from "node:http";
import type { AddressInfo } from "node:net";
import { randomUUID } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import { encode } from "next-auth/jwt";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { db } from "@/db/client";
import { sessions } from "@/db/schema";
import { SESSION_COOKIE } from "@/lib/auth/session-cookie";
import { createSession, forgetSessions, idleLimitMs, revokeSession } from "@/lib/auth/sessions";
import { authSecret } from "@/lib/env";
import { createUser } from "@/lib/test/factories";
import { startChatBus, stopChatBus } from "./bus";
import { startChat } from "./conversations";
import { SESSION_CHECK_MS, handleChatStream } from "./stream";

const MINUTE = 60_000;

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
afterEach(() => {
  vi.useRealTimers();
});

/** A signed-in customer with a chat of their own, and the cookie their browser holds. */
async function customerInChat() {
  const user = await createUser();
  const sid = await createSession(db, { userId: user.id, userAgent: "", ip: "" });
  const token = await encode({ token: { sid, sub: user.id }, secret: authSecret()!, salt: SESSION_COOKIE });
  const started = await startChat(
    { kind: "customer", userId: user.id, firstName: "Test" },
    { name: "", email: "", accountNumber: "", topic: "" as const, message: "Hello" },
    `198.51.100.7-${randomUUID().slice(0, 8)}`,
  );
  if (!started.ok) throw new Error("start failed");
  return { user, sid, cookie: `${SESSION_COOKIE}=${token}`, chatId: started.data.conversationId };
}

async function age(sid: string, ms: number) {
  await db
    .update(sessions)
    .set({ lastSeenAt: sql`now() - make_interval(secs => ${ms / 1000})` })
    .where(eq(sessions.id, sid));
  forgetSessions();
}

const lastSeenAgoMs = async (sid: string) =>
  Date.now() - (await db.select().from(sessions).where(eq(sessions.id, sid)))[0].lastSeenAt.getTime();

describe("chat stream and the idle timeout", () => {
  it("stream: opening and reopening a chat stream is not activity (last seen stays where it was)", async () => {
    const { sid, cookie, chatId } = await customerInChat();
    const quiet = idleLimitMs("customer") / 2;
    await age(sid, quiet);
    for (let i = 0; i < 2; i++) {
      const ac = new AbortController();
      const res = await fetch(`${base}/api/chat/stream?c=${chatId}`, { headers: { cookie }, signal: ac.signal });
      expect(res.status).toBe(200);
      ac.abort();
      forgetSessions();
    }
    expect(await lastSeenAgoMs(sid)).toBeGreaterThan(quiet - MINUTE);
  });

  it("stream: a session past its idle limit cannot open (or reconnect) its chat stream, and is ended", async () => {
    const { sid, cookie, chatId } = await customerInChat();
    await age(sid, idleLimitMs("customer") + MINUTE);
    const res = await fetch(`${base}/api/chat/stream?c=${chatId}`, { headers: { cookie } });
    expect(res.status).toBe(403);
    await res.body?.cancel();
    const [row] = await db.select().from(sessions).where(eq(sessions.id, sid));
    expect(row.revokedAt).not.toBeNull();
  });

  it("stream: an open stream ends once its session has ended", async () => {
    const { user, sid, cookie, chatId } = await customerInChat();
    vi.useFakeTimers({ toFake: ["setInterval", "clearInterval"] });
    const res = await fetch(`${base}/api/chat/stream?c=${chatId}`, { headers: { cookie } });
    expect(res.status).toBe(200);
    const reader = res.body!.getReader();
    await reader.read();
    await revokeSession(db, user.id, sid, "signed out");
    // Time for the next session check, as the real heartbeat would reach it.
    const realNow = Date.now;
    Date.now = () => realNow() + SESSION_CHECK_MS;
    try {
      vi.advanceTimersByTime(SESSION_CHECK_MS);
    } finally {
      Date.now = realNow;
    }
    const ended = await Promise.race([
      (async () => {
        for (;;) if ((await reader.read()).done) return true;
      })(),
      new Promise<boolean>((r) => setTimeout(() => r(false), 5000)),
    ]);
    expect(ended).toBe(true);
  });
});

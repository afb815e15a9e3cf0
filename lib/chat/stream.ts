import "server-only";
import type { IncomingMessage, ServerResponse } from "node:http";
import { SESSION_COOKIE, sessionIdFromToken } from "@/lib/auth/session-cookie";
import { findActiveSession } from "@/lib/auth/sessions";
import { db } from "@/db/client";
import { authSecret } from "@/lib/env";
import { onBusEvent, type BusEvent } from "./bus";
import { VISITOR_COOKIE, lastSeqs, mayFollowAll, participantFor, readEvents, type Participant } from "./conversations";
import { leavePresence, touchPresence } from "./presence";
import { listWaiting } from "./queue";

/**
 * GET /api/chat/stream: Server-Sent Events, served by server.ts itself (a long-lived response
 * does not belong in a request/response framework's lifecycle). The format and the guarantees
 * are in docs/support-chat.md; in short: a notification only says "read again", the stream reads
 * `seq > cursor` from the table, and the cursor (the SSE id) travels back on reconnect, so nothing
 * is lost and nothing is sent twice.
 */
export const STREAM_PATH = "/api/chat/stream";
export const HEARTBEAT_MS = 15_000;
const MAX_CONVERSATIONS = 20;

const g = globalThis as unknown as {
  __myaccountChatStreams?: Set<ServerResponse>;
  __myaccountQueueTabs?: Map<string, number>;
};
const streams = (g.__myaccountChatStreams ??= new Set());
/** Console tabs with the queue open, per staff member, on this instance (for presence). */
const queueTabs = (g.__myaccountQueueTabs ??= new Map());

export function openChatStreams(): number {
  return streams.size;
}

/** SIGTERM: end every stream so the browsers reconnect (to another instance) with their cursor. */
export function closeAllChatStreams(): void {
  for (const res of streams) res.end();
  streams.clear();
}

function parseCookies(header: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (header ?? "").split(";")) {
    const i = part.indexOf("=");
    if (i < 0) continue;
    const k = part.slice(0, i).trim();
    try {
      out[k] = decodeURIComponent(part.slice(i + 1).trim());
    } catch {
      out[k] = part.slice(i + 1).trim();
    }
  }
  return out;
}

/** "12:5,13:9" → {12 → 5, 13 → 9}; anything malformed is ignored (the stream then starts at 0). */
export function parseCursor(text: string | null | undefined): Map<number, number> {
  const out = new Map<number, number>();
  for (const part of (text ?? "").split(",")) {
    const m = /^(\d{1,15}):(\d{1,9})$/.exec(part.trim());
    if (m) out.set(Number(m[1]), Number(m[2]));
  }
  return out;
}

export function formatCursor(cursor: Map<number, number>): string {
  return [...cursor].map(([c, s]) => `${c}:${s}`).join(",");
}

/**
 * Who is asking, and the session id behind it. A stream, its heartbeats and its reconnects are what
 * an open tab does on its own, not something the person did: they never count as activity, so an
 * open chat does not keep an idle session alive (lib/auth/sessions.ts idleLimitMs).
 */
async function callerOf(req: IncomingMessage): Promise<{ caller: Participant; sid: string | null }> {
  const cookies = parseCookies(req.headers.cookie);
  const token = cookies[SESSION_COOKIE];
  const secret = authSecret();
  const sid = token && secret ? await sessionIdFromToken(token, secret) : null;
  const session = sid ? await findActiveSession(sid, { activity: false }) : null;
  return { caller: participantFor(session, cookies[VISITOR_COOKIE]), sid: session ? sid : null };
}

/** How often an open stream checks that its session still lives (idle, revoked, expired). */
export const SESSION_CHECK_MS = 4 * HEARTBEAT_MS;

function deny(res: ServerResponse, status: number, message: string) {
  res.statusCode = status;
  res.setHeader("Content-Type", "text/plain; charset=utf-8");
  res.setHeader("Cache-Control", "no-store");
  res.end(message);
}

export async function handleChatStream(req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (req.method !== "GET") return deny(res, 405, "Method not allowed");
  const url = new URL(req.url ?? "/", "https://localhost");
  const ids = [...new Set(url.searchParams.getAll("c").map(Number))];
  if (ids.length > MAX_CONVERSATIONS || ids.some((id) => !Number.isSafeInteger(id) || id <= 0)) {
    return deny(res, 400, "Bad conversation list");
  }
  const wantsQueue = url.searchParams.get("queue") === "1";
  let caller: Participant;
  let sid: string | null;
  try {
    ({ caller, sid } = await callerOf(req));
    const staffOk = caller.kind === "staff" && (caller.role === "rep" || caller.role === "admin");
    if (wantsQueue && !staffOk) return deny(res, 403, "Forbidden");
    if (caller.kind === "staff" && !staffOk) return deny(res, 403, "Forbidden");
    if (!(await mayFollowAll(caller, ids))) return deny(res, 403, "Forbidden");
  } catch (err) {
    console.error("[chat] stream refused:", (err as Error).message);
    return deny(res, 503, "Temporarily unavailable");
  }

  // A reconnect sends the last id it saw; a tab that reopens with another set of chats sends `last`.
  const given = parseCursor((req.headers["last-event-id"] as string | undefined) ?? url.searchParams.get("last"));
  const cursor = new Map<number, number>(ids.map((id) => [id, given.get(id) ?? 0]));
  const reading = new Map<number, boolean>();
  const dirty = new Set<number>();
  const me = caller.kind === "staff" ? "rep" : "customer";
  let closed = false;

  res.writeHead(200, {
    "Content-Type": "text/event-stream; charset=utf-8",
    "Cache-Control": "no-store",
    Connection: "keep-alive",
    "X-Accel-Buffering": "no",
  });
  res.write("retry: 3000\n\n");
  streams.add(res);

  const send = (event: string, data: unknown, id?: string) => {
    if (closed) return;
    res.write(`${id !== undefined ? `id: ${id}\n` : ""}event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  };

  // One read at a time per conversation; a notification during a read marks it to read again.
  const catchUp = async (c: number) => {
    if (reading.get(c)) {
      dirty.add(c);
      return;
    }
    reading.set(c, true);
    try {
      do {
        dirty.delete(c);
        const events = await readEvents(db, c, cursor.get(c) ?? 0);
        for (const e of events) {
          if (closed) return;
          cursor.set(c, e.seq);
          send("message", e, formatCursor(cursor));
        }
      } while (dirty.has(c) && !closed);
    } catch (err) {
      // The heartbeat tries again; the cursor has not moved past anything unsent.
      console.error(`[chat] reading conversation ${c} failed:`, (err as Error).message);
    } finally {
      reading.set(c, false);
    }
  };

  let queueBusy = false;
  let queueAgain = false;
  const sendQueue = async () => {
    if (!wantsQueue) return;
    if (queueBusy) {
      queueAgain = true;
      return;
    }
    queueBusy = true;
    try {
      do {
        queueAgain = false;
        send("queue", { waiting: await listWaiting() });
      } while (queueAgain && !closed);
    } catch (err) {
      console.error("[chat] reading the queue failed:", (err as Error).message);
    } finally {
      queueBusy = false;
    }
  };

  const staffId = caller.kind === "staff" ? caller.userId : null;
  if (wantsQueue && staffId) {
    queueTabs.set(staffId, (queueTabs.get(staffId) ?? 0) + 1);
    void touchPresence(staffId).catch(() => {});
  }

  const unsubscribe = onBusEvent((e: BusEvent) => {
    if (e.t === "m") {
      if (cursor.has(e.c) && e.s > (cursor.get(e.c) ?? 0)) void catchUp(e.c);
    } else if (e.t === "typing") {
      if (cursor.has(e.c) && e.who !== me) send("typing", { conversationId: e.c, who: e.who });
    } else if (e.t === "q") {
      void sendQueue();
    } else {
      for (const c of ids) void catchUp(c);
      void sendQueue();
    }
  });

  // The heartbeat keeps proxies from closing an idle stream and repairs what a lost notification
  // would have delayed: one cheap query for the newest seq of each followed chat.
  let sessionCheckedAt = Date.now();
  const heartbeat = setInterval(() => {
    if (closed) return;
    res.write(": heartbeat\n\n");
    void (async () => {
      try {
        // A session that ended (idle, revoked, expired) ends its streams; the browser's reconnect
        // is then refused like any request without a session.
        if (sid && Date.now() - sessionCheckedAt >= SESSION_CHECK_MS) {
          sessionCheckedAt = Date.now();
          if (!(await findActiveSession(sid, { activity: false }))) {
            res.end();
            return;
          }
        }
        const latest = await lastSeqs(ids);
        for (const [c, s] of latest) if (s > (cursor.get(c) ?? 0)) void catchUp(c);
        if (wantsQueue && staffId) {
          await touchPresence(staffId);
          await sendQueue();
        }
      } catch (err) {
        console.error("[chat] heartbeat check failed:", (err as Error).message);
      }
    })();
  }, HEARTBEAT_MS);
  heartbeat.unref();

  res.on("close", () => {
    closed = true;
    streams.delete(res);
    clearInterval(heartbeat);
    unsubscribe();
    if (wantsQueue && staffId) {
      const left = (queueTabs.get(staffId) ?? 1) - 1;
      if (left > 0) queueTabs.set(staffId, left);
      else {
        queueTabs.delete(staffId);
        void leavePresence(staffId).catch(() => {});
      }
    }
  });

  for (const c of ids) void catchUp(c);
  void sendQueue();
}

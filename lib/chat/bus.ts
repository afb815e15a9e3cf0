import "server-only";
import { EventEmitter } from "node:events";
import { sql } from "drizzle-orm";
import pg from "pg";
import { dbHandle, type DbOrTx } from "@/db/client";
import { env } from "@/lib/env";

/**
 * The chat's announcements between app instances: Postgres LISTEN/NOTIFY on one channel, carrying
 * only ids. A notification says "look again", never "here is the content" — streams read the
 * rows themselves — so a lost notification delays a message until the next catch-up and a
 * duplicate sends nothing twice (docs/support-chat.md).
 */
export const CHAT_CHANNEL = "myaccount_chat";

export type BusEvent =
  /** Conversation `c` has rows up to `s`. */
  | { t: "m"; c: number; s: number }
  /** Someone is typing in conversation `c` (not stored). */
  | { t: "typing"; c: number; who: "customer" | "rep" }
  /** The waiting queue or presence changed. */
  | { t: "q" }
  /** This instance may have missed notifications (listener reconnected): every stream re-reads. */
  | { t: "resync" };

type Bus = {
  emitter: EventEmitter;
  started: boolean;
  stop?: () => Promise<void>;
};

// server.ts (the stream) and Next's bundle (the routes that notify) load this module separately
// in one process; the listener must be one per process.
const g = globalThis as unknown as { __myaccountChatBus?: Bus };

function bus(): Bus {
  if (!g.__myaccountChatBus) {
    const emitter = new EventEmitter();
    // Every open stream subscribes; hundreds are normal.
    emitter.setMaxListeners(0);
    g.__myaccountChatBus = { emitter, started: false };
  }
  return g.__myaccountChatBus;
}

function parse(payload: string | undefined): BusEvent | null {
  if (!payload) return null;
  try {
    const e = JSON.parse(payload) as BusEvent;
    if (e.t === "m" && Number.isSafeInteger(e.c) && Number.isSafeInteger(e.s)) return e;
    if (e.t === "typing" && Number.isSafeInteger(e.c) && (e.who === "customer" || e.who === "rep")) return e;
    if (e.t === "q") return e;
  } catch {
    // Not ours: ignore.
  }
  return null;
}

/** Announces an event; inside a transaction it is delivered at commit (and not at all on rollback). */
export async function announce(tx: DbOrTx, event: Exclude<BusEvent, { t: "resync" }>): Promise<void> {
  await tx.execute(sql`select pg_notify(${CHAT_CHANNEL}, ${JSON.stringify(event)})`);
}

/** Subscribes to this process's copy of the bus; returns the unsubscribe. */
export function onBusEvent(listener: (event: BusEvent) => void): () => void {
  const { emitter } = bus();
  emitter.on("event", listener);
  return () => emitter.off("event", listener);
}

function deliver(event: BusEvent) {
  bus().emitter.emit("event", event);
}

/**
 * Starts listening (once per process). Postgres: a dedicated connection outside the pool, which
 * reconnects with backoff after any error and then tells every stream to re-read (what was
 * announced while it was away is in the tables). PGlite: the embedded instance's own listener.
 */
export async function startChatBus(): Promise<void> {
  const b = bus();
  if (b.started) return;
  b.started = true;
  const handle = dbHandle();
  if (handle.pglite) {
    const unlisten = await handle.pglite.listen(CHAT_CHANNEL, (payload) => {
      const e = parse(payload);
      if (e) deliver(e);
    });
    b.stop = async () => {
      await unlisten();
    };
    return;
  }

  const url = env().DATABASE_URL!;
  let client: pg.Client | null = null;
  let stopped = false;
  let retry: NodeJS.Timeout | undefined;
  let delay = 250;

  const connect = async () => {
    if (stopped) return;
    const c = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 });
    const lost = () => {
      if (client !== c) return;
      client = null;
      c.removeAllListeners("notification");
      void c.end().catch(() => {});
      if (stopped) return;
      retry = setTimeout(() => void connect(), delay);
      delay = Math.min(delay * 2, 5000);
    };
    c.on("error", lost);
    c.on("end", lost);
    c.on("notification", (msg) => {
      if (msg.channel !== CHAT_CHANNEL) return;
      const e = parse(msg.payload);
      if (e) deliver(e);
    });
    client = c;
    try {
      await c.connect();
      await c.query(`listen ${CHAT_CHANNEL}`);
      delay = 250;
      // Anything announced while this connection was not listening is in the tables: re-read.
      deliver({ t: "resync" });
    } catch {
      lost();
    }
  };
  await connect();
  b.stop = async () => {
    stopped = true;
    clearTimeout(retry);
    const c = client;
    client = null;
    if (c) await c.end().catch(() => {});
  };
}

export async function stopChatBus(): Promise<void> {
  const b = bus();
  if (!b.started) return;
  b.started = false;
  await b.stop?.();
  b.stop = undefined;
}

import "server-only";
import { mkdirSync } from "node:fs";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { drizzle as drizzlePg, type NodePgDatabase } from "drizzle-orm/node-postgres";
import pg from "pg";
import { env } from "@/lib/env";
import * as schema from "./schema";
import { noteDatabaseError, noteDatabaseUp } from "./availability";

/** Both drivers expose the same Drizzle query API; the pg type is used as the common name. */
export type Db = NodePgDatabase<typeof schema>;
export type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];
/** A function that can run inside or outside a transaction takes either. */
export type DbOrTx = Db | Tx;

export type DbHandle = {
  db: Db;
  driver: "pglite" | "postgres";
  /** A cheap round trip; throws when the database cannot be reached. */
  ping(): Promise<void>;
  close(): Promise<void>;
  /** Only for the PGlite driver: the embedded instance (used by migrate and COPY-less paths). */
  pglite?: PGlite;
  pool?: pg.Pool;
};

/**
 * A query that got no reply within query_timeout leaves its connection mid-protocol: pg queues
 * every later query on it (a transaction's ROLLBACK, the next request's whole transaction once
 * the pool hands it out again) behind a reply that may never come, each waiting out its own
 * timeout. When the network drops packets silently that is every pooled connection, so a request
 * would wait several timeouts, and keep doing so after the database is back. Such a connection is
 * closed at once instead: what is queued on it fails now, and the pool opens a fresh one.
 */
export function abandonOnReadTimeout(client: pg.PoolClient): void {
  // Errors of a connection in use reach its queries; this keeps the socket's own 'error' event,
  // emitted while no pool listener is attached (checked out), from crashing the process.
  client.on("error", () => {});
  const query = client.query.bind(client) as (...args: unknown[]) => unknown;
  client.query = ((...args: unknown[]) => {
    const result = query(...args);
    if (result instanceof Promise) {
      result.catch((err: unknown) => {
        if (err instanceof Error && err.message === "Query read timeout") {
          (client as unknown as { connection?: { stream?: { destroy(): void } } }).connection?.stream?.destroy();
        }
      });
    }
    return result;
  }) as typeof client.query;
}

function openPostgres(url: string): DbHandle {
  const e = env();
  const pool = new pg.Pool({
    connectionString: url,
    max: e.PG_POOL_MAX,
    connectionTimeoutMillis: e.PG_CONNECT_TIMEOUT_MS,
    statement_timeout: e.PG_STATEMENT_TIMEOUT_MS,
    query_timeout: e.PG_STATEMENT_TIMEOUT_MS + 1000,
    idleTimeoutMillis: 30_000,
  });
  // An idle client whose server went away emits 'error' on the pool; without a handler
  // Node would crash the whole process. Log it and let the pool replace the client.
  pool.on("error", (err) => {
    noteDatabaseError(err);
    console.error(`[db] idle client error: ${err.message}`);
  });
  pool.on("connect", abandonOnReadTimeout);
  return {
    db: drizzlePg(pool, { schema }),
    driver: "postgres",
    pool,
    async ping() {
      await pool.query("select 1");
    },
    async close() {
      await pool.end();
    },
  };
}

function openPglite(dir: string): DbHandle {
  let dataDir: string | undefined;
  if (dir !== "memory://") {
    dataDir = path.resolve(dir);
    // PGlite does not create parent folders itself.
    mkdirSync(path.dirname(dataDir), { recursive: true });
  }
  const client = new PGlite(dataDir);
  return {
    db: drizzlePglite(client, { schema }) as unknown as Db,
    driver: "pglite",
    pglite: client,
    async ping() {
      await client.query("select 1");
    },
    async close() {
      if (!client.closed) await client.close();
    },
  };
}

// server.ts (loaded by tsx) and the Next server bundle import this module as two separate module
// instances in one process. PGlite must never be opened twice on one folder, and the pool should
// be shared, so the handle lives on globalThis (the create-t3-app pattern, needed in production too).
const g = globalThis as unknown as { __myaccountDb?: DbHandle };

export function dbHandle(): DbHandle {
  if (!g.__myaccountDb) {
    const e = env();
    g.__myaccountDb = e.DATABASE_URL
      ? openPostgres(e.DATABASE_URL)
      : openPglite(e.PGLITE_DIR ?? path.join(e.DATA_DIR, "pglite"));
  }
  return g.__myaccountDb;
}

/** Closes the shared handle (SIGTERM, end of a test run). */
export async function closeDb(): Promise<void> {
  const h = g.__myaccountDb;
  g.__myaccountDb = undefined;
  if (h) await h.close();
}

/**
 * The app's one `db`. Opened lazily on first use so `next build` never touches a database.
 */
export const db: Db = new Proxy({} as Db, {
  get(_target, prop) {
    const real = dbHandle().db as unknown as Record<string | symbol, unknown>;
    const value = real[prop];
    return typeof value === "function" ? (value as (...a: unknown[]) => unknown).bind(real) : value;
  },
});

/**
 * One round trip that gives up after `timeoutMs`, recorded in the outage tracking: true when the
 * database answered. For the health check and server.ts's probe during an outage.
 */
export async function pingDatabase(timeoutMs: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    // Worded so that isDatabaseUnavailable counts a timeout as an outage.
    timer = setTimeout(() => reject(new Error("Connection timeout")), timeoutMs);
  });
  try {
    await Promise.race([dbHandle().ping(), timeout]);
    noteDatabaseUp();
    return true;
  } catch (err) {
    noteDatabaseError(err);
    return false;
  } finally {
    clearTimeout(timer);
  }
}

import "server-only";
/**
 * Tracks whether the database is reachable, so a page that failed because of an outage can be
 * answered with a 503 and the outage message (`messages.outage` in lib/messages.ts, put there by
 * the edge), instead of a generic crash.
 * The flag lives on globalThis because server.ts and the Next bundle are separate module instances.
 */

const g = globalThis as unknown as { __myaccountDbDownSince?: number | null };

const unavailableCodes = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EPIPE",
  "ENOTFOUND",
  "EHOSTUNREACH",
  "57P01", // admin_shutdown
  "57P02", // crash_shutdown
  "57P03", // cannot_connect_now
  "08000",
  "08001",
  "08003",
  "08006",
  "53300", // too_many_connections
]);

// "Query read timeout" is pg's query_timeout: no reply at all within PG_STATEMENT_TIMEOUT_MS + 1 s,
// which is how a silent network (packets dropped, no reset) shows; the server's own
// statement_timeout answers 57014 instead, which stays an ordinary error.
const unavailableText =
  /connection terminated|timeout exceeded when trying to connect|connection timeout|Connection refused|server closed the connection|Client has encountered a connection error|PGlite is closed|Query read timeout/i;

/** True when `err` (or anything in its cause chain) means "the database cannot be reached". */
export function isDatabaseUnavailable(err: unknown): boolean {
  let cur: unknown = err;
  for (let depth = 0; cur && depth < 6; depth++) {
    const e = cur as { code?: unknown; message?: unknown; cause?: unknown; errors?: unknown[] };
    if (typeof e.code === "string" && unavailableCodes.has(e.code)) return true;
    if (typeof e.message === "string" && unavailableText.test(e.message)) return true;
    if (Array.isArray(e.errors) && e.errors.some(isDatabaseUnavailable)) return true;
    cur = e.cause;
  }
  return false;
}

/** Records an error; returns whether it was an outage. */
export function noteDatabaseError(err: unknown): boolean {
  const down = isDatabaseUnavailable(err);
  if (down && !g.__myaccountDbDownSince) g.__myaccountDbDownSince = Date.now();
  return down;
}

export function noteDatabaseUp(): void {
  g.__myaccountDbDownSince = null;
}

export function databaseDownSince(): number | null {
  return g.__myaccountDbDownSince ?? null;
}

/**
 * Thrown by data access that found the database unreachable; rendered as the 503 page. The message
 * is for logs only: error pages show `messages.outage`, never an error's own message.
 */
export class DatabaseUnavailableError extends Error {
  readonly status = 503;
  constructor(cause?: unknown) {
    super("The database cannot be reached", { cause });
    this.name = "DatabaseUnavailableError";
  }
}

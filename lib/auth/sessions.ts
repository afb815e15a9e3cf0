import "server-only";
import { and, desc, eq, gt, inArray, isNull, ne, or, sql } from "drizzle-orm";
import { UAParser } from "ua-parser-js";
import { db, dbHandle, type Db, type DbOrTx } from "@/db/client";
import { addresses, sessions, users, type Role, type SessionStage } from "@/db/schema";
import { env } from "@/lib/env";
import { resolveTimeZone } from "@/lib/time-zone";

/** How long a session lives without activity being checked; matches the Auth.js maxAge. */
export const SESSION_MAX_AGE_SECONDS = 30 * 24 * 60 * 60;
/**
 * last_seen_at is written at most this often per session, so page views stay read-only; a tenth
 * of the idle limit at most, so the written time lags real activity by little (a session then ends
 * between 90 % and 100 % of the limit after its last use, never later).
 */
const MAX_TOUCH_INTERVAL_MS = 5 * 60_000;

/** How long a session of this role may go without a page view or action before it ends. */
export function idleLimitMs(role: Role): number {
  const e = env();
  return (role === "customer" ? e.IDLE_TIMEOUT_CUSTOMER_MINUTES : e.IDLE_TIMEOUT_STAFF_MINUTES) * 60_000;
}

function touchIntervalMs(role: Role): number {
  return Math.min(MAX_TOUCH_INTERVAL_MS, Math.floor(idleLimitMs(role) / 10));
}

/** The revoked_reason of a session that ended for lack of activity. */
export function idleReason(role: Role): string {
  return `no activity for ${Math.round(idleLimitMs(role) / 60_000)} minutes`;
}

function describeUserAgent(ua: string): { browser: string; os: string } {
  const r = UAParser(ua);
  const browser = [r.browser.name, r.browser.major].filter(Boolean).join(" ") || "Unknown browser";
  const os = [r.os.name, r.os.version].filter(Boolean).join(" ") || "Unknown system";
  return { browser, os };
}

/** How long a partly signed-in session lives: password done, second factor (or staff enrolment) not yet. */
export const PARTIAL_SESSION_SECONDS: Record<Exclude<SessionStage, "full">, number> = {
  second_step: 5 * 60,
  // Enrolment means installing an app and scanning a code: a little longer, still minutes.
  enrol: 15 * 60,
};

export async function createSession(
  tx: DbOrTx,
  input: { userId: string; userAgent: string; ip: string; stage?: SessionStage; verifiedBy?: string },
): Promise<string> {
  const { browser, os } = describeUserAgent(input.userAgent);
  const stage = input.stage ?? "full";
  const lifetime = stage === "full" ? SESSION_MAX_AGE_SECONDS : PARTIAL_SESSION_SECONDS[stage];
  const verifiedBy = input.verifiedBy ?? "password";
  const [row] = await tx
    .insert(sessions)
    .values({
      userId: input.userId,
      userAgent: input.userAgent.slice(0, 512),
      browser,
      os,
      ip: input.ip,
      stage,
      verifiedBy,
      reauthenticatedBy: verifiedBy === "passkey" ? "passkey" : "password",
      expiresAt: new Date(Date.now() + lifetime * 1000),
    })
    .returning({ id: sessions.id });
  return row.id;
}

export type ActiveSession = {
  sessionId: string;
  userId: string;
  role: Role;
  firstName: string;
  lastName: string;
  username: string | null;
  /** The zone every time on this person's pages is shown in (their choice, else their service address's state's). */
  timeZone: string;
  /** When and how this session last proved its owner (lib/two-step/fresh.ts reads these). */
  reauthenticatedAt: Date;
  reauthenticatedBy: string;
};

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Whether the session's user has a second factor: a passkey or a confirmed authenticator app. */
const STAFF_FACTOR_SQL = sql`select 1 from passkeys p where p.user_id = ${users.id}
  union all select 1 from authenticator_apps a where a.user_id = ${users.id} and a.confirmed_at is not null`;

// The viewer's time zone (their choice, else their service address's state's) comes with the
// session, so no page spends a second query on it.
function buildActiveSessionQuery(database: Db) {
  return database
    .select({
      sessionId: sessions.id,
      userId: users.id,
      role: users.role,
      firstName: users.firstName,
      lastName: users.lastName,
      username: users.username,
      chosenTimeZone: users.timeZone,
      serviceState: addresses.state,
      // Measured by the database's clock, which every instance shares, not this process's.
      idleMs: sql<number>`(extract(epoch from (now() - ${sessions.lastSeenAt})) * 1000)::float8`,
      reauthenticatedAt: sessions.reauthenticatedAt,
      reauthenticatedBy: sessions.reauthenticatedBy,
    })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .leftJoin(addresses, and(eq(addresses.userId, users.id), eq(addresses.kind, "service")))
    .where(
      and(
        eq(sessions.id, sql.placeholder("sessionId")),
        isNull(sessions.revokedAt),
        gt(sessions.expiresAt, sql`now()`),
        // Disabling a staff account also revokes its sessions; this keeps it out even if one was missed.
        isNull(users.disabledAt),
        // A partly signed-in session (second step owed, or staff enrolment) is no session at all to
        // every page and action; only the second-step pages read it (findPartialSession).
        eq(sessions.stage, "full"),
        // Staff need a second factor: a staff session is refused while the account has none (an
        // admin reset, or a session older than two-step), whatever else went wrong.
        or(eq(users.role, "customer"), sql`exists (${STAFF_FACTOR_SQL})`),
      ),
    )
    .limit(1)
    .prepare("find_active_session");
}

// Every signed-in request runs this lookup: a prepared statement (per database handle) skips
// building the SQL in JS and planning it in Postgres each time — measured 0.23 → 0.09 ms CPU.
const preparedFor = new WeakMap<object, ReturnType<typeof buildActiveSessionQuery>>();
function activeSessionQuery() {
  const handle = dbHandle();
  let query = preparedFor.get(handle);
  if (!query) {
    query = buildActiveSessionQuery(handle.db);
    preparedFor.set(handle, query);
  }
  return query;
}

/**
 * On the embedded database only, active sessions are remembered in memory for a few seconds:
 * there a lookup runs inside this process (about 1 ms of CPU per signed-in page). It is safe there
 * because PGlite is one process by construction, so every revocation passes through this module
 * and clears the memory (forgetSessions). Clearing happens inside the revoking transaction, before
 * its commit; that is enough because PGlite runs a plain query only when no transaction is open (one
 * mutex for both), so a lookup either finished before the revocation began (and the generation
 * check below keeps it out of memory) or waits and sees it committed. On Postgres, with
 * any number of instances, every request asks the database. Kept on globalThis: server.ts and the
 * Next bundle load this module separately and must share one memory.
 */
const SESSION_MEMORY_MS = 15_000;
type Remembered = { active: ActiveSession; lastSeenAt: number; until: number };
const memory = ((
  globalThis as unknown as { __myaccountSessions?: { entries: Map<string, Remembered>; generation: number } }
).__myaccountSessions ??= { entries: new Map(), generation: 0 });

/** Drops remembered sessions of a person (all of them without an id); call on every revocation. */
export function forgetSessions(userId?: string): void {
  memory.generation++;
  for (const [id, entry] of memory.entries) if (!userId || entry.active.userId === userId) memory.entries.delete(id);
}

/**
 * The session behind a token's session id, if it is neither revoked, expired nor idle. Called on
 * every request that needs a user, so a revocation takes effect on the very next request.
 *
 * Each call counts as activity (it keeps the session alive) unless `activity: false` — for what a
 * browser does on its own, like an open chat stream and its reconnects. A session idle for longer
 * than its role's limit (idleLimitMs) is ended here, marked like any other end (revoked_reason).
 */
export async function findActiveSession(
  sessionId: string,
  opts: { activity?: boolean } = {},
): Promise<ActiveSession | null> {
  if (!uuidPattern.test(sessionId)) return null;
  const activity = opts.activity ?? true;
  const remember = dbHandle().driver === "pglite";
  const now = Date.now();
  const hit = remember ? memory.entries.get(sessionId) : undefined;
  // Remembered only while last_seen_at is within the touch interval, which is below the idle
  // limit: a remembered session is never an idle one, and a touch is never skipped.
  if (hit && hit.until > now && now - hit.lastSeenAt <= touchIntervalMs(hit.active.role)) return hit.active;
  // A revocation that lands while this query runs bumps the generation: then nothing is remembered.
  const generation = memory.generation;
  const [row] = await activeSessionQuery().execute({ sessionId });
  if (!row) {
    memory.entries.delete(sessionId);
    return null;
  }
  const idleMs = Number(row.idleMs);
  if (idleMs > idleLimitMs(row.role)) {
    await endIdleSession(sessionId, row.role);
    return null;
  }
  let lastSeenAt = now - Math.max(0, idleMs);
  if (activity && idleMs > touchIntervalMs(row.role)) {
    await db
      .update(sessions)
      .set({ lastSeenAt: sql`now()` })
      .where(eq(sessions.id, sessionId));
    lastSeenAt = now;
  }
  const { idleMs: _idle, chosenTimeZone, serviceState, ...rest } = row;
  const active: ActiveSession = { ...rest, timeZone: resolveTimeZone(chosenTimeZone, serviceState) };
  if (remember && generation === memory.generation) {
    memory.entries.set(sessionId, { active, lastSeenAt, until: now + SESSION_MEMORY_MS });
  }
  return active;
}

/** Ends a session that went unused past its idle limit; the next page is the sign-in page. */
async function endIdleSession(sessionId: string, role: Role): Promise<void> {
  await db
    .update(sessions)
    .set({ revokedAt: sql`now()`, revokedReason: idleReason(role) })
    .where(and(eq(sessions.id, sessionId), isNull(sessions.revokedAt)));
  memory.generation++;
  memory.entries.delete(sessionId);
}

export type PartialSession = {
  sessionId: string;
  userId: string;
  role: Role;
  stage: Exclude<SessionStage, "full">;
  expiresAt: Date;
};

/**
 * A partly signed-in session (stage "second_step" or "enrol"), unrevoked and unexpired: only the
 * second-step and enrolment pages and their actions read this. Never remembered in memory.
 */
export async function findPartialSession(sessionId: string): Promise<PartialSession | null> {
  if (!uuidPattern.test(sessionId)) return null;
  const [row] = await db
    .select({
      sessionId: sessions.id,
      userId: sessions.userId,
      role: users.role,
      stage: sessions.stage,
      expiresAt: sessions.expiresAt,
    })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(
      and(
        eq(sessions.id, sessionId),
        isNull(sessions.revokedAt),
        gt(sessions.expiresAt, sql`now()`),
        isNull(users.disabledAt),
        inArray(sessions.stage, ["second_step", "enrol"]),
      ),
    );
  if (!row || row.stage === "full") return null;
  return { ...row, stage: row.stage };
}

/**
 * Turns a partly signed-in session into a full one, once: returns false when it was not partial
 * (already completed, revoked or expired). `verifiedBy` is how the person proved it, e.g.
 * "password+authenticator"; the session then lives the normal length.
 */
export async function completeSession(tx: DbOrTx, sessionId: string, verifiedBy: string): Promise<boolean> {
  const rows = await tx
    .update(sessions)
    .set({
      stage: "full",
      verifiedBy,
      reauthenticatedAt: sql`now()`,
      reauthenticatedBy: verifiedBy.includes("passkey") ? "passkey" : "password",
      expiresAt: new Date(Date.now() + SESSION_MAX_AGE_SECONDS * 1000),
    })
    .where(
      and(
        eq(sessions.id, sessionId),
        isNull(sessions.revokedAt),
        gt(sessions.expiresAt, sql`now()`),
        inArray(sessions.stage, ["second_step", "enrol"]),
      ),
    )
    .returning({ id: sessions.id });
  return rows.length > 0;
}

/** "Confirm it's you" succeeded in this session: factor changes may go ahead for 5 minutes. */
export async function markReauthenticated(tx: DbOrTx, sessionId: string, by: "password" | "passkey"): Promise<void> {
  const [row] = await tx
    .update(sessions)
    .set({ reauthenticatedAt: sql`now()`, reauthenticatedBy: by })
    .where(eq(sessions.id, sessionId))
    .returning({ userId: sessions.userId });
  if (row) forgetSessions(row.userId);
}

export async function listDevices(userId: string) {
  const { IDLE_TIMEOUT_CUSTOMER_MINUTES: customer, IDLE_TIMEOUT_STAFF_MINUTES: staff } = env();
  return db
    .select({
      id: sessions.id,
      browser: sessions.browser,
      os: sessions.os,
      ip: sessions.ip,
      createdAt: sessions.createdAt,
      lastSeenAt: sessions.lastSeenAt,
      verifiedBy: sessions.verifiedBy,
    })
    .from(sessions)
    .where(
      and(
        eq(sessions.userId, userId),
        isNull(sessions.revokedAt),
        gt(sessions.expiresAt, sql`now()`),
        eq(sessions.stage, "full"),
        // A session past its idle limit has ended, even before a request of its own marks it so.
        sql`${sessions.lastSeenAt} > now() - make_interval(mins => case when (select u.role from users u where u.id = ${userId}) = 'customer' then ${customer}::int else ${staff}::int end)`,
      ),
    )
    .orderBy(desc(sessions.lastSeenAt));
}

/** Revokes one of the user's sessions; returns false when it is not theirs or already ended. */
export async function revokeSession(tx: DbOrTx, userId: string, sessionId: string, reason: string): Promise<boolean> {
  const rows = await tx
    .update(sessions)
    .set({ revokedAt: sql`now()`, revokedReason: reason })
    .where(and(eq(sessions.id, sessionId), eq(sessions.userId, userId), isNull(sessions.revokedAt)))
    .returning({ id: sessions.id });
  forgetSessions(userId);
  return rows.length > 0;
}

/** Revokes every session of the user except `keepSessionId` (all of them when null). */
export async function revokeOtherSessions(
  tx: DbOrTx,
  userId: string,
  keepSessionId: string | null,
  reason: string,
): Promise<number> {
  const rows = await tx
    .update(sessions)
    .set({ revokedAt: sql`now()`, revokedReason: reason })
    .where(
      and(
        eq(sessions.userId, userId),
        isNull(sessions.revokedAt),
        keepSessionId ? ne(sessions.id, keepSessionId) : undefined,
      ),
    )
    .returning({ id: sessions.id });
  forgetSessions(userId);
  return rows.length;
}

import "server-only";
import { inArray, like, or, sql } from "drizzle-orm";
import { db, type DbOrTx } from "@/db/client";
import { loginThrottle } from "@/db/schema";
import { env } from "@/lib/env";

/**
 * Attempt counters kept in the database, so every instance enforces the same limits. Two kinds:
 *
 * - A hard limit (`max`): at most `max` counted attempts in a window that starts at the first one
 *   and lasts LOGIN_WINDOW_MINUTES. Used where a lock hurts nobody else (an address's own budget,
 *   registration guesses, reset mails).
 * - A growing delay (`free`): the first `free` attempts go at once; after that each attempt must
 *   wait a delay doubling from `baseSeconds` up to `capSeconds` after the one before. Used on keys
 *   an attacker could otherwise turn into a lock-out button (an account). The count is forgotten
 *   once the key has been quiet for LOGIN_WINDOW_MINUTES after its last wait ended.
 *
 * The pattern is reserve-first: an attempt is counted *before* the slow work (a password hash),
 * under row locks in one transaction, so N parallel attempts cannot all slip through; a refused
 * attempt counts nowhere (one key refusing does not spend the others), and a successful attempt
 * hands its reservation back.
 */
type HardLimit = { key: string; max: number };
type DelayLimit = { key: string; free: number; baseSeconds: number; capSeconds: number };
export type Limit = HardLimit | DelayLimit;

function windowMs(): number {
  return env().LOGIN_WINDOW_MINUTES * 60_000;
}

/** The wait after the n-th counted attempt of a growing-delay key, in ms. */
export function delayAfter(limit: DelayLimit, n: number): number {
  if (n < limit.free) return 0;
  return Math.min(limit.capSeconds, limit.baseSeconds * 2 ** Math.min(n - limit.free, 30)) * 1000;
}

type Row = { key: string; failures: number; windowStartedAt: number; nextAllowedAt: number | null };
type State = { failures: number; waitMs: number };

/** A key's live count and wait at `now` (a stale count starts again from nothing). */
function stateOf(limit: Limit, row: Row | undefined, now: number): State {
  if (!row) return { failures: 0, waitMs: 0 };
  if ("max" in limit) {
    const endsAt = row.windowStartedAt + windowMs();
    if (endsAt <= now) return { failures: 0, waitMs: 0 };
    return { failures: row.failures, waitMs: row.failures >= limit.max ? endsAt - now : 0 };
  }
  const lastWaitEnded = row.nextAllowedAt ?? row.windowStartedAt;
  if (lastWaitEnded + windowMs() < now) return { failures: 0, waitMs: 0 };
  return { failures: row.failures, waitMs: Math.max(0, lastWaitEnded - now) };
}

async function readRows(tx: DbOrTx, keys: string[], lock: boolean): Promise<{ rows: Row[]; now: number }> {
  const { rows } = await tx.execute<{ key: string; failures: number; ws: string; na: string | null }>(sql`
    select key, failures, extract(epoch from window_started_at) * 1000 as ws,
           extract(epoch from next_allowed_at) * 1000 as na
    from login_throttle where key in (${sql.join(
      keys.map((k) => sql`${k}`),
      sql`, `,
    )}) order by key ${lock ? sql`for update` : sql``}`);
  // The clock once the locks are held, not the transaction's start (now()): an attempt that
  // waited for another's lock must not find that one's "next allowed" still in its future.
  const [clock] = (await tx.execute<{ now: string }>(sql`select extract(epoch from clock_timestamp()) * 1000 as now`))
    .rows;
  return {
    now: Number(clock.now),
    rows: rows.map((r) => ({
      key: r.key,
      failures: Number(r.failures),
      windowStartedAt: Number(r.ws),
      nextAllowedAt: r.na == null ? null : Number(r.na),
    })),
  };
}

const toSeconds = (ms: number) => (ms > 0 ? Math.max(1, Math.ceil(ms / 1000)) : 0);

/** Seconds until every limit lets an attempt through, or 0 (read-only: for telling people when to retry). */
export async function retryAfter(limits: Limit[]): Promise<number> {
  if (!limits.length) return 0;
  const { rows, now } = await readRows(
    db,
    limits.map((l) => l.key),
    false,
  );
  const waits = limits.map((l) =>
    stateOf(
      l,
      rows.find((r) => r.key === l.key),
      now,
    ),
  );
  return toSeconds(Math.max(0, ...waits.map((w) => w.waitMs)));
}

export type Reservation = {
  /** 0 when the attempt may go ahead (it is counted), else the seconds to wait (it is not). */
  wait: number;
  /** Each key's count including this attempt (when it went ahead). */
  counts: Record<string, number>;
};

/** Counts one attempt against every limit, or against none when any of them says wait. */
export async function reserve(limits: Limit[]): Promise<Reservation> {
  if (!limits.length) return { wait: 0, counts: {} };
  const keys = [...new Set(limits.map((l) => l.key))].sort();
  return db.transaction(async (tx) => {
    await tx.execute(
      sql`insert into login_throttle (key, failures, window_started_at) values ${sql.join(
        keys.map((k) => sql`(${k}, 0, clock_timestamp())`),
        sql`, `,
      )} on conflict (key) do nothing`,
    );
    // Locked in key order, so two attempts sharing keys queue instead of deadlocking.
    const { rows, now } = await readRows(tx, keys, true);
    const states = limits.map((l) => ({
      limit: l,
      state: stateOf(
        l,
        rows.find((r) => r.key === l.key),
        now,
      ),
    }));
    const waitMs = Math.max(0, ...states.map((s) => s.state.waitMs));
    if (waitMs > 0) return { wait: toSeconds(waitMs), counts: {} };
    const counts: Record<string, number> = {};
    for (const { limit, state } of states) {
      const n = state.failures + 1;
      counts[limit.key] = n;
      if ("max" in limit) {
        // A stale or new count starts its window with this attempt.
        await tx.execute(sql`update login_throttle set failures = ${n},
          window_started_at = ${state.failures === 0 ? sql`clock_timestamp()` : sql`window_started_at`}
          where key = ${limit.key}`);
      } else {
        const delay = delayAfter(limit, n);
        await tx.execute(sql`update login_throttle set failures = ${n}, window_started_at = clock_timestamp(),
          next_allowed_at = clock_timestamp() + make_interval(secs => ${delay / 1000}) where key = ${limit.key}`);
      }
    }
    return { wait: 0, counts };
  });
}

/** Counts one attempt against every limit. Returns 0 when the attempt may go ahead, else the seconds to wait. */
export async function reserveAttempt(limits: Limit[]): Promise<number> {
  return (await reserve(limits)).wait;
}

/**
 * Hands back a successful attempt's reservation; `reset` keys are cleared altogether. A delay key
 * handed back lets the next attempt through at once (a success is not a guess).
 */
export async function releaseAttempt(limits: Limit[], reset: string[] = []): Promise<void> {
  const keys = limits.map((l) => l.key).filter((k) => !reset.includes(k));
  if (keys.length) {
    await db.execute(
      sql`update login_throttle set failures = greatest(failures - 1, 0),
        next_allowed_at = case when next_allowed_at is null then null else least(next_allowed_at, now()) end
        where key in (${sql.join(
          keys.map((k) => sql`${k}`),
          sql`, `,
        )})`,
    );
  }
  if (reset.length) await db.delete(loginThrottle).where(inArray(loginThrottle.key, reset));
}

/**
 * Sign-in limits. A known device (lib/auth/known-device.ts) is checked only against its own
 * (account, device) count: failures from anywhere else never slow it. Any other browser counts
 * against three keys: its address across all accounts (a hard budget), the account from that
 * address (strict: few free failures, delays up to an hour) and the account from anywhere (looser
 * and capped short, so a spray from many addresses slows guessing but holds the owner out
 * minutes at most). `account` is the user id, or the name typed for one that matches nobody.
 */
export function signInLimits(k: { account: string; ip: string; device?: string | null }): Limit[] {
  const e = env();
  const account = k.account.toLowerCase();
  const strict = {
    free: e.LOGIN_FREE_FAILURES_PER_ACCOUNT_ADDRESS,
    baseSeconds: e.LOGIN_DELAY_BASE_SECONDS,
    capSeconds: e.LOGIN_MAX_DELAY_PER_ACCOUNT_ADDRESS_MINUTES * 60,
  };
  if (k.device) return [{ key: `device:${account}:${k.device}`, ...strict }];
  return [
    { key: `ip:${k.ip}`, max: e.LOGIN_MAX_FAILURES_PER_IP },
    { key: `account-ip:${account}:${k.ip}`, ...strict },
    {
      key: `account:${account}`,
      free: e.LOGIN_FREE_FAILURES_PER_ACCOUNT,
      baseSeconds: e.LOGIN_DELAY_BASE_SECONDS,
      capSeconds: e.LOGIN_MAX_DELAY_PER_ACCOUNT_MINUTES * 60,
    },
  ];
}

/**
 * A successful password reset proves the owner holds the mailbox: every count of the account
 * goes (from anywhere, per address, per device; and its password checks). The per-address count
 * across all accounts stays: it guards every other account too.
 */
export async function liftAccountLimits(tx: DbOrTx, userId: string): Promise<void> {
  const id = userId.toLowerCase();
  await tx
    .delete(loginThrottle)
    .where(
      or(
        inArray(loginThrottle.key, [`account:${id}`, passwordCheckLimits(userId)[0].key]),
        like(loginThrottle.key, `account-ip:${id}:%`),
        like(loginThrottle.key, `device:${id}:%`),
      ),
    );
}

/** Wrong current-password answers (change password, change e-mail) per signed-in user. */
export function passwordCheckLimits(userId: string): Limit[] {
  return [{ key: `password-check:${userId}`, max: env().LOGIN_FREE_FAILURES_PER_ACCOUNT_ADDRESS }];
}

/**
 * Registration attempts that match no account (account number + ZIP guessing), per address and per
 * account number: rotating addresses must not give unlimited guesses at one account's ZIP.
 */
export function registerLimits(ip: string, accountNumber: string): Limit[] {
  return [
    { key: `register:${ip}`, max: 10 },
    { key: `register-account:${accountNumber}`, max: 10 },
  ];
}

/** Reset mails per address and per account, so nobody can flood someone's inbox. */
export function resetRequestLimits(ip: string, userId: string | null): Limit[] {
  return [{ key: `reset-ip:${ip}`, max: 10 }, ...(userId ? [{ key: `reset-account:${userId}`, max: 3 }] : [])];
}

/**
 * Wrong second-step answers (authenticator code, recovery code, passkey) per account. The password
 * is already right by then, so a guesser needs this account's password first; 5 free wrong answers,
 * then delays doubling up to 15 minutes (a hard lock would let whoever knows the password hold the
 * owner's second step shut), leave a million-code space practically out of reach. No device
 * exemption here: the password, which a device cookie vouches for, is already given.
 */
export function secondStepLimits(userId: string): Limit[] {
  return [{ key: `second-step:${userId}`, free: 5, baseSeconds: env().LOGIN_DELAY_BASE_SECONDS, capSeconds: 15 * 60 }];
}

/**
 * Failed "Sign in with a passkey" attempts per client address: an assertion names no account
 * before it is verified, so the address is the only thing to count. A growing delay rather than a
 * lock: neighbours behind the same address are slowed, not shut out.
 */
export function passkeySignInLimits(ip: string): Limit[] {
  const e = env();
  return [
    {
      key: `passkey-ip:${ip}`,
      free: e.LOGIN_MAX_FAILURES_PER_IP,
      baseSeconds: e.LOGIN_DELAY_BASE_SECONDS,
      capSeconds: e.LOGIN_MAX_DELAY_PER_ACCOUNT_MINUTES * 60,
    },
  ];
}

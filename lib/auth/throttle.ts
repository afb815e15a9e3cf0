import "server-only";
import { inArray, sql } from "drizzle-orm";
import { db, type DbOrTx } from "@/db/client";
import { loginThrottle } from "@/db/schema";
import { env } from "@/lib/env";

/**
 * Attempt counters kept in the database, so every instance enforces the same limits. A window
 * starts at the first counted attempt and lasts LOGIN_WINDOW_MINUTES.
 *
 * The pattern is reserve-first: an attempt is counted *before* the slow work (a password hash),
 * atomically, so N parallel attempts cannot all slip under the limit; a successful attempt hands
 * its reservation back.
 */
type Limit = { key: string; max: number };

function windowMinutes(): number {
  return env().LOGIN_WINDOW_MINUTES;
}

/** Seconds until every limit has room again, or 0 (read-only: for telling people when to retry). */
export async function retryAfter(limits: Limit[]): Promise<number> {
  const windowMs = windowMinutes() * 60_000;
  const rows = await db
    .select()
    .from(loginThrottle)
    .where(
      inArray(
        loginThrottle.key,
        limits.map((l) => l.key),
      ),
    );
  let wait = 0;
  for (const row of rows) {
    const max = limits.find((l) => l.key === row.key)!.max;
    const endsAt = row.windowStartedAt.getTime() + windowMs;
    if (row.failures >= max && endsAt > Date.now()) wait = Math.max(wait, Math.ceil((endsAt - Date.now()) / 1000));
  }
  return wait;
}

/**
 * Counts one attempt against every limit (an atomic upsert each; an expired window restarts).
 * Returns 0 when the attempt may go ahead, else the seconds to wait.
 */
export async function reserveAttempt(limits: Limit[]): Promise<number> {
  const minutes = windowMinutes();
  let wait = 0;
  for (const { key, max } of limits) {
    const { rows } = await db.execute<{ failures: number; window_started_at: string | Date }>(sql`
      insert into login_throttle (key, failures, window_started_at) values (${key}, 1, now())
      on conflict (key) do update set
        failures = case when login_throttle.window_started_at < now() - make_interval(mins => ${minutes})
                        then 1 else login_throttle.failures + 1 end,
        window_started_at = case when login_throttle.window_started_at < now() - make_interval(mins => ${minutes})
                        then now() else login_throttle.window_started_at end
      returning failures, window_started_at`);
    const row = rows[0];
    if (Number(row.failures) > max) {
      const endsAt = new Date(row.window_started_at).getTime() + minutes * 60_000;
      wait = Math.max(wait, Math.max(1, Math.ceil((endsAt - Date.now()) / 1000)));
    }
  }
  return wait;
}

/** Hands back a successful attempt's reservation; `reset` keys are cleared altogether. */
export async function releaseAttempt(limits: Limit[], reset: string[] = []): Promise<void> {
  const keys = limits.map((l) => l.key).filter((k) => !reset.includes(k));
  if (keys.length) {
    await db.execute(
      sql`update login_throttle set failures = greatest(failures - 1, 0) where key in (${sql.join(
        keys.map((k) => sql`${k}`),
        sql`, `,
      )})`,
    );
  }
  if (reset.length) await db.delete(loginThrottle).where(inArray(loginThrottle.key, reset));
}

/** Sign-in limits: failures per account (or per name typed, for unknown ones) and per address. */
export function signInLimits(k: { account: string; ip: string }): Limit[] {
  const e = env();
  return [
    { key: `ip:${k.ip}`, max: e.LOGIN_MAX_FAILURES_PER_IP },
    { key: `account:${k.account.toLowerCase()}`, max: e.LOGIN_MAX_FAILURES_PER_ACCOUNT },
  ];
}

/**
 * A successful password reset proves the owner holds the mailbox: the account's own sign-in and
 * password-check counts go (the per-address count stays: it guards every other account too).
 */
export async function liftAccountLimits(tx: DbOrTx, userId: string): Promise<void> {
  await tx
    .delete(loginThrottle)
    .where(inArray(loginThrottle.key, [`account:${userId.toLowerCase()}`, passwordCheckLimits(userId)[0].key]));
}

/** Wrong current-password answers (change password, change e-mail) per signed-in user. */
export function passwordCheckLimits(userId: string): Limit[] {
  return [{ key: `password-check:${userId}`, max: env().LOGIN_MAX_FAILURES_PER_ACCOUNT }];
}

/** Registration attempts that match no account, per address (account number + ZIP guessing). */
export function registerLimits(ip: string): Limit[] {
  return [{ key: `register:${ip}`, max: 10 }];
}

/** Reset mails per address and per account, so nobody can flood someone's inbox. */
export function resetRequestLimits(ip: string, userId: string | null): Limit[] {
  return [{ key: `reset-ip:${ip}`, max: 10 }, ...(userId ? [{ key: `reset-account:${userId}`, max: 3 }] : [])];
}

/**
 * Wrong second-step answers (authenticator code, recovery code, passkey) per account. The password
 * is already right by then, so a guesser needs this account's password first; 5 wrong answers in a
 * window leave a million-code space practically out of reach.
 */
export function secondStepLimits(userId: string): Limit[] {
  return [{ key: `second-step:${userId}`, max: 5 }];
}

/**
 * Failed "Sign in with a passkey" attempts per client address: an assertion names no account
 * before it is verified, so the address is the only thing to count.
 */
export function passkeySignInLimits(ip: string): Limit[] {
  return [{ key: `passkey-ip:${ip}`, max: env().LOGIN_MAX_FAILURES_PER_IP }];
}

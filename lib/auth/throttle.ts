import { inArray, sql } from "drizzle-orm";
import { db } from "@/db/client";
import { loginThrottle } from "@/db/schema";
import { env } from "@/lib/env";

/**
 * Failed sign-in counters per account and per client address, kept in the database so every
 * instance enforces the same limit. A window starts at the first failure and lasts
 * LOGIN_WINDOW_MINUTES; once a key reaches its limit, attempts are refused (before any password
 * hashing) until the window ends.
 */
export type ThrottleKeys = { account?: string | null; ip: string };

function keysFor(k: ThrottleKeys): { key: string; limit: number }[] {
  const e = env();
  const keys = [{ key: `ip:${k.ip}`, limit: e.LOGIN_MAX_FAILURES_PER_IP }];
  if (k.account) keys.push({ key: `account:${k.account.toLowerCase()}`, limit: e.LOGIN_MAX_FAILURES_PER_ACCOUNT });
  return keys;
}

/** Seconds until the caller may try again, or 0 when not limited. */
export async function throttleRetryAfter(k: ThrottleKeys): Promise<number> {
  const keys = keysFor(k);
  const windowMs = env().LOGIN_WINDOW_MINUTES * 60_000;
  const rows = await db
    .select()
    .from(loginThrottle)
    .where(inArray(loginThrottle.key, keys.map((x) => x.key)));
  let wait = 0;
  for (const row of rows) {
    const limit = keys.find((x) => x.key === row.key)!.limit;
    const endsAt = row.windowStartedAt.getTime() + windowMs;
    if (row.failures >= limit && endsAt > Date.now()) {
      wait = Math.max(wait, Math.ceil((endsAt - Date.now()) / 1000));
    }
  }
  return wait;
}

/** Counts one failed attempt against every key (atomic upsert; restarts an expired window). */
export async function recordFailedLogin(k: ThrottleKeys): Promise<void> {
  const minutes = env().LOGIN_WINDOW_MINUTES;
  for (const { key } of keysFor(k)) {
    await db.execute(sql`
      insert into login_throttle (key, failures, window_started_at) values (${key}, 1, now())
      on conflict (key) do update set
        failures = case when login_throttle.window_started_at < now() - make_interval(mins => ${minutes})
                        then 1 else login_throttle.failures + 1 end,
        window_started_at = case when login_throttle.window_started_at < now() - make_interval(mins => ${minutes})
                        then now() else login_throttle.window_started_at end`);
  }
}

/** A successful sign-in clears the account's counter (not the address's: one good password
 * from an address must not reset an attacker's budget for every other account). */
export async function clearAccountFailures(account: string): Promise<void> {
  await db.delete(loginThrottle).where(sql`${loginThrottle.key} = ${`account:${account.toLowerCase()}`}`);
}

export function formatRetryAfter(seconds: number): string {
  if (seconds < 60) return `${seconds} second${seconds === 1 ? "" : "s"}`;
  const minutes = Math.ceil(seconds / 60);
  return `${minutes} minute${minutes === 1 ? "" : "s"}`;
}

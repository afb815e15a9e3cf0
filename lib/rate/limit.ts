import "server-only";
import { sql } from "drizzle-orm";
import { db } from "@/db/client";

/** A limit of `max` hits per `windowSeconds` under one key (e.g. `chat:ip:203.0.113.9`). */
export type RateLimit = { key: string; max: number; windowSeconds: number };

/**
 * Counts one hit against every limit, in the database so that every instance shares the count
 * (a fixed window per key, restarted by the first hit after it ends). Returns 0 when the hit is
 * allowed, else the seconds until the fullest limit has room again. A refused hit is still
 * counted: a client that keeps hammering stays refused until it stops for a window.
 */
export async function hitRateLimits(limits: RateLimit[]): Promise<number> {
  let wait = 0;
  for (const { key, max, windowSeconds } of limits) {
    const { rows } = await db.execute<{ hits: number; window_started_at: string | Date }>(sql`
      insert into rate_counters (key, hits, window_started_at) values (${key}, 1, now())
      on conflict (key) do update set
        hits = case when rate_counters.window_started_at < now() - make_interval(secs => ${windowSeconds})
                    then 1 else rate_counters.hits + 1 end,
        window_started_at = case when rate_counters.window_started_at < now() - make_interval(secs => ${windowSeconds})
                    then now() else rate_counters.window_started_at end
      returning hits, window_started_at`);
    const row = rows[0];
    if (Number(row.hits) > max) {
      const endsAt = new Date(row.window_started_at).getTime() + windowSeconds * 1000;
      wait = Math.max(wait, Math.max(1, Math.ceil((endsAt - Date.now()) / 1000)));
    }
  }
  return wait;
}

import "server-only";
import { sql } from "drizzle-orm";
import { db } from "@/db/client";

/** Current opt-ins per marketing topic. */
export async function optInCounts(): Promise<Record<string, number>> {
  const { rows } = await db.execute<{ topic_id: string; n: number }>(sql`
    select topic_id, count(*)::int as n from subscriptions where status = 'granted' group by topic_id`);
  return Object.fromEntries(rows.map((r) => [r.topic_id, r.n]));
}

export type DailyConsent = { day: string; optIns: number; optOuts: number };

/** Opt-ins and opt-outs per day (UTC) for the last `days` days, zeros included. */
export async function dailyConsent(topicId: string, days = 90): Promise<DailyConsent[]> {
  const { rows } = await db.execute<{ day: string; opt_ins: number; opt_outs: number }>(sql`
    with days as (
      select generate_series((now() at time zone 'utc')::date - ${days - 1}::int, (now() at time zone 'utc')::date, interval '1 day')::date as day
    ), counts as (
      select (created_at at time zone 'utc')::date as day,
             count(*) filter (where action = 'granted')::int as opt_ins,
             count(*) filter (where action = 'withdrawn')::int as opt_outs
      from consent_events
      where topic_id = ${topicId} and created_at >= now() - make_interval(days => ${days})
      group by 1
    )
    select to_char(d.day, 'YYYY-MM-DD') as day, coalesce(c.opt_ins, 0) as opt_ins, coalesce(c.opt_outs, 0) as opt_outs
    from days d left join counts c on c.day = d.day order by d.day`);
  return rows.map((r) => ({ day: r.day, optIns: Number(r.opt_ins), optOuts: Number(r.opt_outs) }));
}

export const LIST_PAGE_SIZE = 50;

type OptInRow = {
  userId: string;
  email: string;
  firstName: string;
  topicId: string;
  optedInAt: Date;
  source: string;
};

/**
 * One page of a topic's opt-in list: only people whose current state is granted, and only the
 * fields marketing needs. Keyset-paged by user id (`after`), searchable by e-mail or first name.
 */
export async function optInPage(topicId: string, opts: { search?: string; after?: string } = {}): Promise<OptInRow[]> {
  const search = opts.search?.trim() ? `%${opts.search.trim().replace(/[\\%_]/g, (c) => `\\${c}`)}%` : null;
  const { rows } = await db.execute<{
    user_id: string;
    email: string;
    first_name: string;
    topic_id: string;
    opted_in_at: string | Date;
    source: string;
  }>(sql`
    select s.user_id, u.email, u.first_name, s.topic_id, s.opted_in_at, s.source
    from subscriptions s join users u on u.id = s.user_id
    where s.topic_id = ${topicId} and s.status = 'granted' and u.email is not null
      ${opts.after ? sql`and s.user_id > ${opts.after}` : sql``}
      ${search ? sql`and (u.email ilike ${search} or u.first_name ilike ${search})` : sql``}
    order by s.user_id
    limit ${LIST_PAGE_SIZE}`);
  return rows.map((r) => ({
    userId: r.user_id,
    email: r.email,
    firstName: r.first_name,
    topicId: r.topic_id,
    optedInAt: new Date(r.opted_in_at),
    source: r.source,
  }));
}

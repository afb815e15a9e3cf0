import "server-only";
import { sql } from "drizzle-orm";
import { db } from "@/db/client";
import { DEFAULT_CHART_PERIOD, type ChartPeriod } from "./chart-period";

/** Current opt-ins per marketing topic. */
export async function optInCounts(): Promise<Record<string, number>> {
  const { rows } = await db.execute<{ topic_id: string; n: number }>(sql`
    select topic_id, count(*)::int as n from subscriptions where status = 'granted' group by topic_id`);
  return Object.fromEntries(rows.map((r) => [r.topic_id, r.n]));
}

export type DailyConsent = { day: string; optIns: number; optOuts: number };

/**
 * Opt-ins and opt-outs per calendar day in UTC for the last `days` days including today, oldest
 * first, days without events included as zeros. The window starts at 00:00 UTC of its first day
 * (not `days` × 24 h before now), so the first day's bar counts that whole day and nothing before.
 */
export async function dailyConsent(topicId: string, days: ChartPeriod = DEFAULT_CHART_PERIOD): Promise<DailyConsent[]> {
  const { rows } = await db.execute<{ day: string; opt_ins: number; opt_outs: number }>(sql`
    with bounds as (
      select (now() at time zone 'utc')::date as last_day,
             (now() at time zone 'utc')::date - ${days - 1}::int as first_day
    ), days as (
      select generate_series(b.first_day, b.last_day, interval '1 day')::date as day from bounds b
    ), counts as (
      select (e.created_at at time zone 'utc')::date as day,
             count(*) filter (where e.action = 'granted')::int as opt_ins,
             count(*) filter (where e.action = 'withdrawn')::int as opt_outs
      from consent_events e, bounds b
      where e.topic_id = ${topicId} and e.created_at >= b.first_day::timestamp at time zone 'utc'
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

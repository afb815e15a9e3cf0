import "server-only";
import { and, gte, lte, sql } from "drizzle-orm";
import { db } from "@/db/client";
import { usageCampaigns, usagePageViews } from "@/db/schema";
import { usageDay } from "./count";

export const REPORT_DAYS = 30;

export type DailyTotal = { day: string; total: number };
export type UsageReport = {
  from: string;
  to: string;
  /** Every day of the period, oldest first, zero where nothing was counted. */
  pageViewsByDay: DailyTotal[];
  campaignVisitsByDay: DailyTotal[];
  /** Totals over the period, largest first. */
  topPaths: { path: string; views: number }[];
  topCampaigns: { source: string; medium: string; campaign: string; visits: number }[];
};

function daysBetween(from: string, count: number): string[] {
  const start = Date.parse(`${from}T00:00:00Z`);
  return Array.from({ length: count }, (_, i) => new Date(start + i * 86_400_000).toISOString().slice(0, 10));
}

function fill(days: string[], rows: { day: string; total: number }[]): DailyTotal[] {
  const byDay = new Map(rows.map((r) => [r.day, Number(r.total)]));
  return days.map((day) => ({ day, total: byDay.get(day) ?? 0 }));
}

/** The last REPORT_DAYS days (UTC) up to and including `now`'s day. */
export async function usageReport(now = new Date()): Promise<UsageReport> {
  const to = usageDay(now);
  const from = usageDay(new Date(now.getTime() - (REPORT_DAYS - 1) * 86_400_000));
  const days = daysBetween(from, REPORT_DAYS);
  const inPeriod = (col: typeof usagePageViews.day | typeof usageCampaigns.day) => and(gte(col, from), lte(col, to));
  const [views, visits, paths, campaigns] = await Promise.all([
    db
      .select({ day: usagePageViews.day, total: sql<number>`sum(${usagePageViews.views})::int` })
      .from(usagePageViews)
      .where(inPeriod(usagePageViews.day))
      .groupBy(usagePageViews.day),
    db
      .select({ day: usageCampaigns.day, total: sql<number>`sum(${usageCampaigns.visits})::int` })
      .from(usageCampaigns)
      .where(inPeriod(usageCampaigns.day))
      .groupBy(usageCampaigns.day),
    db
      .select({ path: usagePageViews.path, views: sql<number>`sum(${usagePageViews.views})::int` })
      .from(usagePageViews)
      .where(inPeriod(usagePageViews.day))
      .groupBy(usagePageViews.path)
      .orderBy(sql`2 desc`, usagePageViews.path)
      .limit(50),
    db
      .select({
        source: usageCampaigns.source,
        medium: usageCampaigns.medium,
        campaign: usageCampaigns.campaign,
        visits: sql<number>`sum(${usageCampaigns.visits})::int`,
      })
      .from(usageCampaigns)
      .where(inPeriod(usageCampaigns.day))
      .groupBy(usageCampaigns.source, usageCampaigns.medium, usageCampaigns.campaign)
      .orderBy(sql`4 desc`, usageCampaigns.source)
      .limit(50),
  ]);
  return {
    from,
    to,
    pageViewsByDay: fill(days, views),
    campaignVisitsByDay: fill(days, visits),
    topPaths: paths.map((p) => ({ path: p.path, views: Number(p.views) })),
    topCampaigns: campaigns.map((c) => ({ ...c, visits: Number(c.visits) })),
  };
}

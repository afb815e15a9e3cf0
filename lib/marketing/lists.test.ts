import { randomInt } from "node:crypto";
import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/db/client";
import { consentEvents, emailTopics } from "@/db/schema";
import { createUser } from "@/lib/test/factories";
import { CHART_PERIODS, parseChartPeriod } from "./chart-period";
import { dailyConsent } from "./lists";

// A topic of this test's own, so other test files opting people in cannot change the counts.
const topicId = `chart-test-${randomInt(1e9)}`;
const otherTopicId = `chart-other-${randomInt(1e9)}`;

const DAY = 86_400_000;
/** 00:00 UTC of the day `daysAgo` before `today` ("YYYY-MM-DD"). */
const midnight = (today: string, daysAgo: number) => new Date(Date.parse(`${today}T00:00:00Z`) - daysAgo * DAY);
const isoDay = (d: Date) => d.toISOString().slice(0, 10);

let userId: string;
let today: string;

async function event(topic: string, action: "granted" | "withdrawn", at: Date) {
  await db.insert(consentEvents).values({
    userId,
    topicId: topic,
    action,
    source: "account",
    actorId: userId,
    wording: "Send me chart tests",
    wordingVersion: 1,
    policyVersion: "2005-11-14",
    createdAt: at,
  });
}

beforeAll(async () => {
  for (const [id, code] of [
    [topicId, randomInt(1000, 16000)],
    [otherTopicId, randomInt(16000, 32000)],
  ] as const)
    await db.insert(emailTopics).values({
      id,
      code,
      mailClass: "marketing",
      name: "Chart test",
      description: "test",
      wording: "Send me chart tests",
      listId: `${id}.example`,
    });
  userId = (await createUser()).id;
  const { rows } = await db.execute<{ today: string }>(
    sql`select to_char((now() at time zone 'utc')::date, 'YYYY-MM-DD') as today`,
  );
  today = rows[0].today;

  // Today: 2 in, 1 out (one of them just after midnight UTC).
  await event(topicId, "granted", midnight(today, 0));
  await event(topicId, "granted", new Date());
  await event(topicId, "withdrawn", new Date());
  // The first day of the 30-day window, at its very first instant, and the second before it.
  await event(topicId, "granted", midnight(today, 29));
  await event(topicId, "withdrawn", new Date(midnight(today, 29).getTime() - 1000));
  // Day 10 ago: 3 out. Day 89 ago (first of 90), day 90 ago (just outside), day 364 (first of 365), day 365.
  for (let i = 0; i < 3; i++) await event(topicId, "withdrawn", new Date(midnight(today, 10).getTime() + 3_600_000));
  await event(topicId, "granted", new Date(midnight(today, 89).getTime() + 60_000));
  await event(topicId, "granted", new Date(midnight(today, 90).getTime() + 60_000));
  await event(topicId, "withdrawn", new Date(midnight(today, 364).getTime() + 60_000));
  await event(topicId, "withdrawn", new Date(midnight(today, 365).getTime() + 60_000));
  // Another topic's events never show in this one's chart.
  await event(otherTopicId, "granted", new Date());
  await event(otherTopicId, "withdrawn", midnight(today, 10));
});

describe("dailyConsent", () => {
  for (const period of CHART_PERIODS) {
    it(`${period} days: one row per UTC day ending today, oldest first, zeros filled in`, async () => {
      const days = await dailyConsent(topicId, period);
      expect(days).toHaveLength(period);
      expect(days.at(-1)?.day).toBe(today);
      expect(days[0].day).toBe(isoDay(midnight(today, period - 1)));
      // Consecutive calendar days, no gaps or repeats.
      for (let i = 1; i < days.length; i++)
        expect(Date.parse(days[i].day) - Date.parse(days[i - 1].day), days[i].day).toBe(DAY);
    });
  }

  it("30 days: counts per day; the window starts at 00:00 UTC of its first day, not a second earlier", async () => {
    const days = await dailyConsent(topicId, 30);
    const byDay = Object.fromEntries(days.map((d) => [d.day, d]));
    expect(byDay[today]).toEqual({ day: today, optIns: 2, optOuts: 1 });
    expect(byDay[isoDay(midnight(today, 10))]).toEqual({ day: isoDay(midnight(today, 10)), optIns: 0, optOuts: 3 });
    // The opt-in at 00:00:00 counts; the opt-out one second before belongs to a day outside the window.
    expect(days[0]).toEqual({ day: isoDay(midnight(today, 29)), optIns: 1, optOuts: 0 });
    const nonZero = days.filter((d) => d.optIns || d.optOuts).map((d) => d.day);
    expect(nonZero).toEqual([isoDay(midnight(today, 29)), isoDay(midnight(today, 10)), today]);
    expect(days.reduce((n, d) => n + d.optIns, 0)).toBe(3);
    expect(days.reduce((n, d) => n + d.optOuts, 0)).toBe(4);
  });

  it("90 days: includes the day-30 boundary events and day 89, but not day 90", async () => {
    const days = await dailyConsent(topicId, 90);
    const byDay = Object.fromEntries(days.map((d) => [d.day, d]));
    expect(byDay[isoDay(midnight(today, 30))]).toMatchObject({ optIns: 0, optOuts: 1 });
    expect(days[0]).toEqual({ day: isoDay(midnight(today, 89)), optIns: 1, optOuts: 0 });
    expect(byDay[isoDay(midnight(today, 90))]).toBeUndefined();
    expect(days.reduce((n, d) => n + d.optIns, 0)).toBe(4);
    expect(days.reduce((n, d) => n + d.optOuts, 0)).toBe(5);
  });

  it("365 days: everything but the event 365 days ago", async () => {
    const days = await dailyConsent(topicId, 365);
    expect(days[0]).toEqual({ day: isoDay(midnight(today, 364)), optIns: 0, optOuts: 1 });
    expect(days.reduce((n, d) => n + d.optIns, 0)).toBe(5);
    expect(days.reduce((n, d) => n + d.optOuts, 0)).toBe(6);
  });

  it("a topic without events is all zeros", async () => {
    const days = await dailyConsent(`no-such-topic-${randomInt(1e9)}`, 30);
    expect(days).toHaveLength(30);
    expect(days.every((d) => d.optIns === 0 && d.optOuts === 0)).toBe(true);
  });
});

describe("parseChartPeriod", () => {
  it("accepts 30, 90 and 365 and falls back to 90 for anything else", () => {
    expect(parseChartPeriod("30")).toBe(30);
    expect(parseChartPeriod("365")).toBe(365);
    expect(parseChartPeriod(["30", "365"])).toBe(30);
    for (const bad of [undefined, "", "7", "90.0", "-30", "3e1", "abc", " 365", "0365"])
      expect(parseChartPeriod(bad), String(bad)).toBe(90);
  });
});

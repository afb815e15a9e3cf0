import path from "node:path";
import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { db } from "@/db/client";
import { usageCampaigns, usagePageViews } from "@/db/schema";
import { signConsent } from "@/lib/cookies/consent-token";
import { CONSENT_COOKIE } from "@/lib/cookies/registry";
import {
  MAX_CAMPAIGNS_PER_DAY,
  OTHER_CAMPAIGN,
  addCampaignVisit,
  campaignOf,
  countConsentedLanding,
  countRequest,
  isPageLoad,
} from "./count";
import { normalisePath, routePatterns, type RoutePattern } from "./paths";
import { REPORT_DAYS, usageReport } from "./report";

const secret = process.env.AUTH_SECRET!;
const patterns = routePatterns(path.resolve("app"));
// On Postgres every test file shares the tables: each test counts on a day of its own.
let dayOffset = Math.floor(Math.random() * 20_000);
const aDay = () => new Date(Date.UTC(1990, 0, 1) + dayOffset++ * 86_400_000);
const isoDay = (d: Date) => d.toISOString().slice(0, 10);

const consentCookie = (analytics: boolean) =>
  `${CONSENT_COOKIE}=${signConsent({ functional: false, analytics }, secret)}`;

function pageLoad(url: string, headers: Record<string, string> = {}) {
  return {
    method: "GET",
    url,
    status: 200,
    headers: {
      accept: "text/html,application/xhtml+xml",
      "sec-fetch-dest": "document",
      cookie: `__Secure-authjs.session-token=abc; ${consentCookie(true)}`,
      "x-forwarded-for": "203.0.113.77",
      "user-agent": "Mozilla/5.0 Test",
      ...headers,
    },
  };
}

describe("usage figures", () => {
  it("paths: ids collapse to their route, queries are dropped, unknown paths are not counted", () => {
    expect(normalisePath("/console/chats/closed/123", patterns)).toBe("/console/chats/closed/[id]");
    expect(normalisePath("/console/chats/closed", patterns)).toBe("/console/chats/closed");
    expect(normalisePath("/account/profile?tab=1#x", patterns)).toBe("/account/profile");
    expect(normalisePath("/", patterns)).toBe("/");
    expect(normalisePath("/login/", patterns)).toBe("/login");
    for (const junk of [
      "/wp-admin",
      "/account/../../etc",
      "/a".repeat(300),
      "/%E0%A4%A",
      "/account/profile/x",
      "//x",
    ]) {
      expect(normalisePath(junk, patterns), junk).toBeNull();
    }
    // A million random URLs add no path: every counted path is one of the app's pages.
    const pages = new Set(patterns.map((p) => p.pattern));
    for (let i = 0; i < 200; i++) {
      const p = normalisePath(`/console/chats/closed/${Math.random().toString(36).slice(2)}`, patterns);
      expect(pages.has(p!)).toBe(true);
    }
  });

  it("paths: static segments win over parameters, catch-all routes match the rest", () => {
    const synthetic: RoutePattern[] = ["/a/[id]", "/a/new", "/docs/[...slug]", "/shop/[[...all]]"].map((pattern) => ({
      pattern,
      segments: pattern.split("/").filter(Boolean),
    }));
    expect(normalisePath("/a/new", synthetic)).toBe("/a/new");
    expect(normalisePath("/a/42", synthetic)).toBe("/a/[id]");
    expect(normalisePath("/docs/x/y", synthetic)).toBe("/docs/[...slug]");
    expect(normalisePath("/docs", synthetic)).toBeNull();
    expect(normalisePath("/shop", synthetic)).toBe("/shop/[[...all]]");
  });

  it("page loads only: prefetches, RSC payloads, API calls, assets, POSTs and errors are not page views", () => {
    expect(isPageLoad(pageLoad("/account"))).toBe(true);
    expect(isPageLoad({ ...pageLoad("/account"), method: "POST" })).toBe(false);
    expect(isPageLoad({ ...pageLoad("/account"), status: 307 })).toBe(false);
    expect(isPageLoad(pageLoad("/account", { rsc: "1", "sec-fetch-dest": "empty" }))).toBe(false);
    expect(isPageLoad(pageLoad("/account", { "next-router-prefetch": "1" }))).toBe(false);
    expect(isPageLoad(pageLoad("/api/chat/state"))).toBe(false);
    expect(isPageLoad(pageLoad("/_next/static/chunks/app.js", { "sec-fetch-dest": "script" }))).toBe(false);
  });

  it("campaigns: utm_source is required; values are trimmed, lower-cased and bounded", () => {
    expect(campaignOf("/?utm_source=News Letter&utm_medium=EMAIL&utm_campaign=spring")).toEqual({
      source: "news letter",
      medium: "email",
      campaign: "spring",
    });
    expect(campaignOf("/?utm_medium=email")).toBeNull();
    expect(campaignOf("/")).toBeNull();
    expect(campaignOf(`/?utm_source=${"x".repeat(500)}<script>`)!.source).toBe("x".repeat(64));
  });

  it("counting: only with analytics consent in a genuine cookie, never with GPC, a forged cookie or none", async () => {
    const now = aDay();
    const ctx = { patterns, secret, now };
    const refused = [
      pageLoad("/account", { cookie: consentCookie(false) }),
      pageLoad("/account", { cookie: "" }),
      pageLoad("/account", { cookie: `${CONSENT_COOKIE}=1.yy.AAAAAAAAAAAAAAAAAAAAAA` }),
      pageLoad("/account", {
        cookie: `${CONSENT_COOKIE}=${signConsent({ functional: true, analytics: true }, "other-secret-other-secret-other-secret-0")}`,
      }),
      pageLoad("/account", { "sec-gpc": "1" }),
    ];
    for (const r of refused) expect(await countRequest(r, ctx)).toEqual({ path: null, campaign: false });
    expect(await countRequest(pageLoad("/account?utm_source=mail&utm_campaign=may"), ctx)).toEqual({
      path: "/account",
      campaign: true,
    });
    await countRequest(pageLoad("/account"), ctx);
    await countRequest(pageLoad("/console/chats/closed/77"), ctx);
    await countRequest(pageLoad("/console/chats/closed/78"), ctx);
    const views = await db
      .select()
      .from(usagePageViews)
      .where(eq(usagePageViews.day, isoDay(now)));
    expect(views.map((v) => [v.path, v.views]).sort()).toEqual([
      ["/account", 2],
      ["/console/chats/closed/[id]", 2],
    ]);
    const campaigns = await db
      .select()
      .from(usageCampaigns)
      .where(eq(usageCampaigns.day, isoDay(now)));
    expect(campaigns).toEqual([{ day: isoDay(now), source: "mail", medium: "", campaign: "may", visits: 1 }]);
  });

  it("counting: the rows hold a day, a route or campaign and a number — no address, user, cookie or browser", async () => {
    const now = aDay();
    await countRequest(pageLoad("/account?utm_source=s&utm_medium=m&utm_campaign=c&user=42"), {
      patterns,
      secret,
      now,
    });
    for (const table of ["usage_page_views", "usage_campaigns"]) {
      const columns = await db.execute(
        sql`select column_name from information_schema.columns where table_name = ${table} order by column_name`,
      );
      const names = columns.rows.map((r) => (r as { column_name: string }).column_name);
      expect(names.sort()).toEqual(
        table === "usage_page_views" ? ["day", "path", "views"] : ["campaign", "day", "medium", "source", "visits"],
      );
    }
    const rows = [
      ...(await db
        .select()
        .from(usagePageViews)
        .where(eq(usagePageViews.day, isoDay(now)))),
      ...(await db
        .select()
        .from(usageCampaigns)
        .where(eq(usageCampaigns.day, isoDay(now)))),
    ];
    expect(rows).toHaveLength(2);
    const text = JSON.stringify(rows);
    for (const identifying of ["203.0.113.77", "Mozilla", "abc", "authjs", "user=42", CONSENT_COOKIE]) {
      expect(text).not.toContain(identifying);
    }
  });

  it("campaigns: past the day's cap, new campaigns count as one (other) row", async () => {
    const day = isoDay(aDay());
    for (let i = 0; i < MAX_CAMPAIGNS_PER_DAY; i++)
      await addCampaignVisit(db, day, { source: `s${i}`, medium: "", campaign: "" });
    await addCampaignVisit(db, day, { source: "s0", medium: "", campaign: "" });
    await addCampaignVisit(db, day, { source: "late-1", medium: "", campaign: "" });
    await addCampaignVisit(db, day, { source: "late-2", medium: "", campaign: "" });
    const rows = await db.select().from(usageCampaigns).where(eq(usageCampaigns.day, day));
    expect(rows).toHaveLength(MAX_CAMPAIGNS_PER_DAY + 1);
    expect(rows.find((r) => r.source === "s0")!.visits).toBe(2);
    expect(rows.find((r) => r.source === OTHER_CAMPAIGN)!.visits).toBe(2);
  });

  it("report: every day of the last 30 with zeros filled in, totals by page and campaign", async () => {
    const now = aDay();
    const yesterday = new Date(now.getTime() - 86_400_000);
    for (const [when, url] of [
      [now, "/account?utm_source=mail"],
      [now, "/login"],
      [yesterday, "/account"],
    ] as const) {
      await countRequest(pageLoad(url), { patterns, secret, now: when });
    }
    const report = await usageReport(now);
    expect(report.pageViewsByDay).toHaveLength(REPORT_DAYS);
    expect(report.to).toBe(isoDay(now));
    expect(report.pageViewsByDay.at(-1)).toEqual({ day: isoDay(now), total: 2 });
    expect(report.pageViewsByDay.at(-2)).toEqual({ day: isoDay(yesterday), total: 1 });
    expect(report.campaignVisitsByDay.at(-1)!.total).toBe(1);
    expect(report.topPaths.find((p) => p.path === "/account")!.views).toBeGreaterThanOrEqual(2);
  });

  it("landing: the page a visitor says yes on counts with its campaign; a path that is no page counts nothing", async () => {
    const now = aDay();
    expect(await countConsentedLanding("/contact?utm_source=flyer&utm_campaign=fall", { patterns, now })).toEqual({
      path: "/contact",
      campaign: true,
    });
    expect(await countConsentedLanding("/nope/nothing?utm_source=flyer", { patterns, now })).toEqual({
      path: null,
      campaign: false,
    });
    expect(
      await db
        .select()
        .from(usagePageViews)
        .where(eq(usagePageViews.day, isoDay(now))),
    ).toEqual([{ day: isoDay(now), path: "/contact", views: 1 }]);
    const campaigns = await db
      .select()
      .from(usageCampaigns)
      .where(eq(usageCampaigns.day, isoDay(now)));
    expect(campaigns.map((c) => [c.source, c.campaign, c.visits])).toEqual([["flyer", "fall", 1]]);
  });
});

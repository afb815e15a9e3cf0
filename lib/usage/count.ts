import "server-only";
import { sql } from "drizzle-orm";
import type { IncomingHttpHeaders } from "node:http";
import { db, type DbOrTx } from "@/db/client";
import { usageCampaigns, usagePageViews } from "@/db/schema";
import { cookieFromHeader, sendsGpc, verifyConsent } from "@/lib/cookies/consent-token";
import { CONSENT_COOKIE } from "@/lib/cookies/registry";
import { normalisePath, type RoutePattern } from "./paths";

/**
 * Usage figures that identify no one. server.ts calls countRequest() for every request it hands
 * to Next, after the response is finished; it counts only
 *   - a real page load: GET, a document (not a prefetch, an RSC payload, /_next or /api), answered 200;
 *   - with analytics consent in the signed consent cookie, and no `Sec-GPC: 1`;
 *   - of a path that is a page of this app (paths.ts), as its route pattern.
 * What is stored is a day, a route pattern or a campaign's three utm_* values, and a count: no
 * address, user id, cookie, browser or time of day.
 */

/** More distinct campaigns than this in a day go into one "(other)" row, so the table stays small. */
export const MAX_CAMPAIGNS_PER_DAY = 200;
const MAX_UTM_LENGTH = 64;
export const OTHER_CAMPAIGN = "(other)";

export type CountableRequest = {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  status: number;
};

/** A page the browser is loading as a document (a typed URL, a link followed, a form's redirect). */
export function isPageLoad(req: CountableRequest): boolean {
  if (req.method !== "GET" || req.status !== 200) return false;
  if (/^\/(_next|api)(\/|$)/.test(req.url)) return false;
  const h = req.headers;
  if (h["rsc"] || h["next-router-prefetch"] || h["next-router-state-tree"] || h["purpose"] === "prefetch") return false;
  const dest = h["sec-fetch-dest"];
  if (dest) return dest === "document";
  return (h["accept"] ?? "").includes("text/html");
}

/** Analytics consent as the request carries it: the signed cookie says yes and there is no GPC. */
export function allowsAnalytics(headers: IncomingHttpHeaders, secret: string | undefined): boolean {
  if (sendsGpc(headers["sec-gpc"])) return false;
  const choices = verifyConsent(cookieFromHeader(headers.cookie, CONSENT_COOKIE), secret);
  return choices?.analytics === true;
}

function utm(value: string | null): string {
  if (!value) return "";
  // Lower case, trimmed, short, printable: "Spring_Sale" and "spring_sale " are one campaign.
  return value
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N} ._+-]/gu, "")
    .slice(0, MAX_UTM_LENGTH);
}

/** The campaign a URL came from: utm_source (required), utm_medium and utm_campaign. */
export function campaignOf(url: string): { source: string; medium: string; campaign: string } | null {
  const q = url.indexOf("?");
  if (q < 0) return null;
  const params = new URLSearchParams(url.slice(q + 1));
  const source = utm(params.get("utm_source"));
  if (!source) return null;
  return { source, medium: utm(params.get("utm_medium")), campaign: utm(params.get("utm_campaign")) };
}

/** The day a count belongs to: the UTC date. */
export function usageDay(now = new Date()): string {
  return now.toISOString().slice(0, 10);
}

export async function addPageView(tx: DbOrTx, day: string, path: string): Promise<void> {
  await tx
    .insert(usagePageViews)
    .values({ day, path, views: 1 })
    .onConflictDoUpdate({
      target: [usagePageViews.day, usagePageViews.path],
      set: { views: sql`${usagePageViews.views} + 1` },
    });
}

export async function addCampaignVisit(
  tx: DbOrTx,
  day: string,
  c: { source: string; medium: string; campaign: string },
): Promise<void> {
  // A campaign already counted today, or a new one while there is room; otherwise "(other)".
  const counted = await tx.execute(sql`
    insert into usage_campaigns (day, source, medium, campaign, visits)
    select ${day}, ${c.source}, ${c.medium}, ${c.campaign}, 1
    where exists (
        select 1 from usage_campaigns
        where day = ${day} and source = ${c.source} and medium = ${c.medium} and campaign = ${c.campaign})
      or (select count(*) from usage_campaigns where day = ${day}) < ${MAX_CAMPAIGNS_PER_DAY}
    on conflict (day, source, medium, campaign) do update set visits = usage_campaigns.visits + 1
    returning 1 as counted`);
  if (counted.rows.length > 0) return;
  await tx
    .insert(usageCampaigns)
    .values({ day, source: OTHER_CAMPAIGN, medium: "", campaign: "", visits: 1 })
    .onConflictDoUpdate({
      target: [usageCampaigns.day, usageCampaigns.source, usageCampaigns.medium, usageCampaigns.campaign],
      set: { visits: sql`${usageCampaigns.visits} + 1` },
    });
}

/**
 * Counts one finished request if it may be counted. Returns what was counted (for tests); the
 * server does not wait for it.
 */
export async function countRequest(
  req: CountableRequest,
  ctx: { patterns: readonly RoutePattern[]; secret: string | undefined; now?: Date },
): Promise<{ path: string | null; campaign: boolean }> {
  const none = { path: null, campaign: false };
  if (!isPageLoad(req) || !allowsAnalytics(req.headers, ctx.secret)) return none;
  const path = normalisePath(req.url, ctx.patterns);
  if (!path) return none;
  const day = usageDay(ctx.now);
  await addPageView(db, day, path);
  const campaign = campaignOf(req.url);
  if (campaign) await addCampaignVisit(db, day, campaign);
  return { path, campaign: Boolean(campaign) };
}

/**
 * The page a visitor said yes to analytics on, counted once as they say it. With JavaScript the
 * banner's answer comes back as a client-side navigation, which is not a page load and would not
 * be counted — and the first page of a visit is the one that carries the campaign's utm_
 * parameters. Without JavaScript the browser loads the page again after the answer, and that
 * load is counted instead: the caller counts here only for a JavaScript answer.
 */
export async function countConsentedLanding(
  url: string,
  ctx: { patterns: readonly RoutePattern[]; now?: Date },
): Promise<{ path: string | null; campaign: boolean }> {
  const path = normalisePath(url, ctx.patterns);
  if (!path) return { path: null, campaign: false };
  const day = usageDay(ctx.now);
  await addPageView(db, day, path);
  const campaign = campaignOf(url);
  if (campaign) await addCampaignVisit(db, day, campaign);
  return { path, campaign: Boolean(campaign) };
}

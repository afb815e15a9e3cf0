import "server-only";
import { and, asc, eq, sql } from "drizzle-orm";
import { db, type DbOrTx } from "@/db/client";
import { policyVersions } from "@/db/schema";
import { FIRST_POLICY_VERSION } from "./first";

/** A published version without its text: what choosing by date and the notice need. */
export type PolicyVersionInfo = {
  id: number;
  version: string;
  title: string;
  summary: string;
  material: boolean;
  effectiveAt: Date;
  publishedAt: Date;
};

/**
 * Every published version, oldest first, kept in memory for a short while: the layout asks on
 * every page whether a change is coming, and every consent write asks which version is in force.
 * Because future versions are in the list too, a version takes effect on its date even between
 * refreshes; the TTL only bounds how long another instance's publish or withdrawal takes to show.
 */
const TTL_MS = 30_000;
let cache: { at: number; versions: PolicyVersionInfo[] } | null = null;

export function invalidatePolicyCache(): void {
  cache = null;
}

async function readPublished(tx: DbOrTx): Promise<PolicyVersionInfo[]> {
  const rows = await tx
    .select({
      id: policyVersions.id,
      version: policyVersions.version,
      title: policyVersions.title,
      summary: policyVersions.summary,
      material: policyVersions.material,
      effectiveAt: policyVersions.effectiveAt,
      publishedAt: policyVersions.publishedAt,
    })
    .from(policyVersions)
    .where(and(eq(policyVersions.status, "published"), sql`${policyVersions.effectiveAt} is not null`))
    .orderBy(asc(policyVersions.effectiveAt));
  return rows.map((r) => ({ ...r, effectiveAt: r.effectiveAt!, publishedAt: r.publishedAt ?? r.effectiveAt! }));
}

/** The published versions, oldest first (from the short-lived cache; `tx` reads inside a transaction). */
export async function publishedVersions(tx: DbOrTx = db): Promise<PolicyVersionInfo[]> {
  if (cache && Date.now() - cache.at < TTL_MS) return cache.versions;
  const versions = await readPublished(tx);
  cache = { at: Date.now(), versions };
  return versions;
}

/** The published version with the latest effective date not after `now`: the one in force. */
export function pickCurrent(versions: PolicyVersionInfo[], now: Date): PolicyVersionInfo | null {
  let found: PolicyVersionInfo | null = null;
  for (const v of versions) if (v.effectiveAt.getTime() <= now.getTime()) found = v;
  return found;
}

/** The next published version not yet in force (the one the notice announces), if any. */
export function pickUpcoming(versions: PolicyVersionInfo[], now: Date): PolicyVersionInfo | null {
  return versions.find((v) => v.effectiveAt.getTime() > now.getTime()) ?? null;
}

export async function currentPolicy(now: Date = new Date(), tx: DbOrTx = db): Promise<PolicyVersionInfo | null> {
  return pickCurrent(await publishedVersions(tx), now);
}

export async function upcomingPolicy(now: Date = new Date(), tx: DbOrTx = db): Promise<PolicyVersionInfo | null> {
  return pickUpcoming(await publishedVersions(tx), now);
}

/** The label of the version in force now, as every consent and privacy-choice row records it. */
export async function policyVersionInForce(tx: DbOrTx = db, now: Date = new Date()): Promise<string> {
  return (await currentPolicy(now, tx))?.version ?? FIRST_POLICY_VERSION;
}

/** The version published before this one (what its diff compares against). */
export function previousOf(versions: PolicyVersionInfo[], version: string): PolicyVersionInfo | null {
  const i = versions.findIndex((v) => v.version === version);
  return i > 0 ? versions[i - 1] : null;
}

/** One published version with its text, by label (null for drafts and unknown labels). */
export async function publishedText(version: string) {
  const [row] = await db
    .select({
      id: policyVersions.id,
      version: policyVersions.version,
      title: policyVersions.title,
      markdown: policyVersions.markdown,
      summary: policyVersions.summary,
      material: policyVersions.material,
      effectiveAt: policyVersions.effectiveAt,
      publishedAt: policyVersions.publishedAt,
    })
    .from(policyVersions)
    .where(and(eq(policyVersions.version, version), eq(policyVersions.status, "published")));
  return row ?? null;
}

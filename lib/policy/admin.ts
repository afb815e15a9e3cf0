import "server-only";
import { randomUUID } from "node:crypto";
import { and, desc, eq, sql } from "drizzle-orm";
import { db, type DbOrTx } from "@/db/client";
import { policyNotices, policyVersions } from "@/db/schema";
import { fail, ok, type Outcome } from "@/lib/actions/result";
import { recordAudit } from "@/lib/audit/record";
import { formatDate } from "@/lib/format";
import { countNoticeAudience, noticeSubject } from "./notices";
import { MATERIAL_NOTICE_DAYS, type PublishInput, type SaveDraftInput } from "./schema";
import { currentPolicy, invalidatePolicyCache, upcomingPolicy } from "./versions";

type Actor = { userId: string; ip: string };

const DAY_MS = 24 * 60 * 60 * 1000;
/** Serialises publishing and withdrawing, so two admins cannot both publish "the" next version. */
const PUBLISH_LOCK = 7_300_821;

/** Midnight UTC of the day `d` falls on. */
function startOfDay(d: Date): Date {
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()));
}

/**
 * The earliest day a material change published at `now` may take effect: 30 full days of notice,
 * and a version takes effect at midnight UTC, so the day is rounded up.
 */
export function earliestMaterialDate(now: Date): Date {
  const earliest = new Date(now.getTime() + MATERIAL_NOTICE_DAYS * DAY_MS);
  const day = startOfDay(earliest);
  return day.getTime() < earliest.getTime() ? new Date(day.getTime() + DAY_MS) : day;
}

const isoDay = (d: Date) => d.toISOString().slice(0, 10);

async function currentMarkdown(): Promise<string> {
  const current = await currentPolicy();
  if (!current) return "";
  const [row] = await db
    .select({ markdown: policyVersions.markdown })
    .from(policyVersions)
    .where(eq(policyVersions.id, current.id));
  return row?.markdown ?? "";
}

export type PolicyDraft = {
  id: number;
  rowVersion: number;
  markdown: string;
  summary: string;
  material: boolean;
  updatedAt: Date;
};

/** The draft being worked on (the most recently changed one), if any. */
export async function latestDraft(): Promise<PolicyDraft | null> {
  const [row] = await db
    .select({
      id: policyVersions.id,
      rowVersion: policyVersions.rowVersion,
      markdown: policyVersions.markdown,
      summary: policyVersions.summary,
      material: policyVersions.material,
      updatedAt: policyVersions.updatedAt,
    })
    .from(policyVersions)
    .where(eq(policyVersions.status, "draft"))
    .orderBy(desc(policyVersions.updatedAt), desc(policyVersions.id))
    .limit(1);
  return row ?? null;
}

/** Starts a draft from the text in force; an existing draft is returned instead of a second one. */
export async function startDraft(actor: Actor): Promise<Outcome<{ id: number }>> {
  const existing = await latestDraft();
  if (existing) return ok({ id: existing.id }, "A draft was already open; it is shown below.");
  const markdown = await currentMarkdown();
  const id = await db.transaction(async (tx) => {
    const [row] = await tx
      .insert(policyVersions)
      .values({ version: `draft-${randomUUID()}`, markdown, createdBy: actor.userId })
      .returning({ id: policyVersions.id });
    await recordAudit(tx, {
      actorId: actor.userId,
      subjectUserId: null,
      action: "policy.draft_started",
      detail: { policyVersionId: row.id },
      ip: actor.ip,
    });
    return row.id;
  });
  return ok({ id }, "New draft started from the policy in force.");
}

function typedValues(input: SaveDraftInput, rowVersion: number): Record<string, string> {
  return {
    id: String(input.id),
    rowVersion: String(rowVersion),
    markdown: input.markdown,
    summary: input.summary,
    material: input.material ? "on" : "",
  };
}

/**
 * Saves the draft if nobody saved it since the form was loaded. A stale save is refused with what
 * was typed kept (and the stored version number, so a deliberate second save replaces theirs).
 */
export async function saveDraft(actor: Actor, input: SaveDraftInput): Promise<Outcome<{ rowVersion: number }>> {
  const saved = await db.transaction(async (tx) => {
    const [row] = await tx
      .update(policyVersions)
      .set({
        markdown: input.markdown,
        summary: input.summary,
        material: input.material,
        rowVersion: sql`${policyVersions.rowVersion} + 1`,
        updatedAt: sql`now()`,
      })
      .where(
        and(
          eq(policyVersions.id, input.id),
          eq(policyVersions.status, "draft"),
          eq(policyVersions.rowVersion, input.rowVersion),
        ),
      )
      .returning({ rowVersion: policyVersions.rowVersion });
    if (!row) return null;
    await recordAudit(tx, {
      actorId: actor.userId,
      subjectUserId: null,
      action: "policy.draft_saved",
      detail: { policyVersionId: input.id, chars: input.markdown.length, material: input.material },
      ip: actor.ip,
    });
    return row;
  });
  if (saved) return ok({ rowVersion: saved.rowVersion }, "Draft saved.");
  const [stored] = await db
    .select({ rowVersion: policyVersions.rowVersion })
    .from(policyVersions)
    .where(and(eq(policyVersions.id, input.id), eq(policyVersions.status, "draft")));
  if (!stored) return fail("policyNoDraft");
  return { ...fail("policyDraftStale"), values: typedValues(input, stored.rowVersion) };
}

/**
 * Publishes the draft as it was previewed (its row version) with an effective date. Refused: a
 * past date; for a material change a date less than 30 days away (naming the earliest); text the
 * same as the policy in force; while another version is still waiting to take effect. The label
 * is the effective date. A material change then needs its notice mailing started (the caller does
 * it after this commits: see runNoticeMailing).
 */
export async function publishDraft(
  actor: Actor,
  input: PublishInput,
  now: Date = new Date(),
): Promise<Outcome<{ id: number; version: string; material: boolean; noticeTotal: number }>> {
  const effectiveAt = new Date(`${input.effectiveDate}T00:00:00Z`);
  if (effectiveAt.getTime() < startOfDay(now).getTime()) {
    return fail("invalidInput", { effectiveDate: ["policyPastDate"] });
  }
  const result = await db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${PUBLISH_LOCK})`);
    const [draft] = await tx
      .select()
      .from(policyVersions)
      .where(and(eq(policyVersions.id, input.id), eq(policyVersions.status, "draft")))
      .for("update");
    if (!draft) return fail("policyNoDraft");
    if (draft.rowVersion !== input.rowVersion) return fail("policyDraftStale");
    if (draft.material) {
      const earliest = earliestMaterialDate(now);
      if (effectiveAt.getTime() < earliest.getTime()) {
        const refusal = { code: "policyTooEarly" as const, earliest: `${formatDate(earliest)} (${isoDay(earliest)})` };
        return fail(refusal, { effectiveDate: [refusal] });
      }
    }
    // Read inside the lock, not from the cache: another instance may have just published.
    const upcoming = await upcomingPolicyRow(tx, now);
    const current = await currentPolicyRow(tx, now);
    if (upcoming) return fail("policyUpcomingExists");
    if (current && current.markdown.trim() === draft.markdown.trim()) return fail("policyUnchanged");
    const version = input.effectiveDate;
    const [taken] = await tx
      .select({ id: policyVersions.id })
      .from(policyVersions)
      .where(eq(policyVersions.version, version));
    if (taken) return fail("invalidInput", { effectiveDate: ["policyDateTaken"] });
    const noticeTotal = draft.material ? await countNoticeAudience(tx) : 0;
    await tx
      .update(policyVersions)
      .set({
        version,
        status: "published",
        effectiveAt,
        publishedAt: now,
        publishedBy: actor.userId,
        rowVersion: sql`${policyVersions.rowVersion} + 1`,
        noticeTotal,
        noticeQueued: 0,
        noticeCursor: null,
        noticeDoneAt: draft.material ? null : now,
        updatedAt: sql`now()`,
      })
      .where(eq(policyVersions.id, draft.id));
    await recordAudit(tx, {
      actorId: actor.userId,
      subjectUserId: null,
      action: "policy.published",
      detail: { policyVersionId: draft.id, version, material: draft.material, effectiveAt: effectiveAt.toISOString() },
      ip: actor.ip,
    });
    return ok({ id: draft.id, version, material: draft.material, noticeTotal });
  });
  invalidatePolicyCache();
  if (!result.ok) return result;
  const when = formatDate(effectiveAt);
  const message = result.data.material
    ? `Version ${result.data.version} published: it takes effect on ${when}. A notice is being queued for ${result.data.noticeTotal} customer(s).`
    : `Version ${result.data.version} published: it takes effect on ${when}.`;
  return ok(result.data, message);
}

async function currentPolicyRow(tx: DbOrTx, now: Date) {
  const [row] = await tx
    .select({ id: policyVersions.id, markdown: policyVersions.markdown })
    .from(policyVersions)
    .where(
      and(
        eq(policyVersions.status, "published"),
        sql`${policyVersions.effectiveAt} <= ${now.toISOString()}::timestamptz`,
      ),
    )
    .orderBy(desc(policyVersions.effectiveAt))
    .limit(1);
  return row ?? null;
}

async function upcomingPolicyRow(tx: DbOrTx, now: Date) {
  const [row] = await tx
    .select({ id: policyVersions.id })
    .from(policyVersions)
    .where(
      and(
        eq(policyVersions.status, "published"),
        sql`${policyVersions.effectiveAt} > ${now.toISOString()}::timestamptz`,
      ),
    )
    .limit(1);
  return row ?? null;
}

/**
 * Takes back a published version before it takes effect: it becomes a draft again (its text
 * kept), the notice disappears, notice mails not yet sent are cancelled, and its notice records
 * go, so publishing it again later notifies everyone anew.
 */
export async function withdrawUpcoming(
  actor: Actor,
  input: { id: number },
  now: Date = new Date(),
): Promise<Outcome<{ id: number }>> {
  const result = await db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${PUBLISH_LOCK})`);
    const [row] = await tx
      .select({ id: policyVersions.id, version: policyVersions.version, effectiveAt: policyVersions.effectiveAt })
      .from(policyVersions)
      .where(
        and(
          eq(policyVersions.id, input.id),
          eq(policyVersions.status, "published"),
          sql`${policyVersions.effectiveAt} > ${now.toISOString()}::timestamptz`,
        ),
      )
      .for("update");
    if (!row?.effectiveAt) return null;
    await tx.execute(sql`
      delete from mail_outbox
      where status = 'pending' and mail_class = 'transactional' and subject = ${noticeSubject(row.effectiveAt)}
        and user_id in (select user_id from policy_notices where policy_version_id = ${row.id})`);
    await tx.delete(policyNotices).where(eq(policyNotices.policyVersionId, row.id));
    await tx
      .update(policyVersions)
      .set({
        version: `draft-${randomUUID()}`,
        status: "draft",
        effectiveAt: null,
        publishedAt: null,
        publishedBy: null,
        rowVersion: sql`${policyVersions.rowVersion} + 1`,
        noticeTotal: 0,
        noticeQueued: 0,
        noticeCursor: null,
        noticeDoneAt: null,
        updatedAt: sql`now()`,
      })
      .where(eq(policyVersions.id, row.id));
    await recordAudit(tx, {
      actorId: actor.userId,
      subjectUserId: null,
      action: "policy.withdrawn",
      detail: { policyVersionId: row.id, version: row.version },
      ip: actor.ip,
    });
    return row;
  });
  invalidatePolicyCache();
  if (!result) return fail("policyNotUpcoming");
  return ok(
    { id: result.id },
    `Version ${result.version} was withdrawn before taking effect; its text is a draft again.`,
  );
}

export type PolicyAdminView = {
  current: Awaited<ReturnType<typeof currentPolicy>>;
  upcoming: (NonNullable<Awaited<ReturnType<typeof upcomingPolicy>>> & NoticeProgress) | null;
  currentMarkdown: string;
  draft: PolicyDraft | null;
  earliestMaterial: string;
  today: string;
};

type NoticeProgress = { noticeTotal: number; noticeQueued: number; noticeDone: boolean };

/** Everything the admin's policy page shows, read fresh (not from the cache). */
export async function policyAdminView(now: Date = new Date()): Promise<PolicyAdminView> {
  invalidatePolicyCache();
  const [current, upcoming, markdown, draft] = await Promise.all([
    currentPolicy(now),
    upcomingPolicy(now),
    currentMarkdown(),
    latestDraft(),
  ]);
  let upcomingView: PolicyAdminView["upcoming"] = null;
  if (upcoming) {
    const [p] = await db
      .select({
        noticeTotal: policyVersions.noticeTotal,
        noticeQueued: policyVersions.noticeQueued,
        noticeDoneAt: policyVersions.noticeDoneAt,
      })
      .from(policyVersions)
      .where(eq(policyVersions.id, upcoming.id));
    upcomingView = {
      ...upcoming,
      noticeTotal: p.noticeTotal,
      noticeQueued: p.noticeQueued,
      noticeDone: !!p.noticeDoneAt,
    };
  }
  return {
    current,
    upcoming: upcomingView,
    currentMarkdown: markdown,
    draft,
    earliestMaterial: isoDay(earliestMaterialDate(now)),
    today: isoDay(now),
  };
}

import "server-only";
import { and, eq, gt, isNull, sql } from "drizzle-orm";
import { db, type DbOrTx } from "@/db/client";
import { policyVersions } from "@/db/schema";
import { BRAND_NAME } from "@/lib/brand";
import { appUrl } from "@/lib/env";
import { formatDate } from "@/lib/format";

/** People per transaction: small enough that no batch holds locks for long, large enough to be quick. */
export const NOTICE_BATCH = 500;

/** Who is told about a material change: every customer with an address and an open account. */
export const NOTICE_AUDIENCE = sql`role = 'customer' and email is not null and closed_at is null`;

export function noticeSubject(effectiveAt: Date): string {
  return `Our privacy policy changes on ${formatDate(effectiveAt)}`;
}

export function noticeBody(v: { effectiveAt: Date; summary: string }): string {
  return `We are changing our online privacy policy. The new version takes effect on ${formatDate(v.effectiveAt)}.

What is changing:
${v.summary || "See the comparison at the link below."}

Read the changes, line by line:
${appUrl()}/privacy/changes

The policy in force today:
${appUrl()}/privacy

This is a service notice about your ${BRAND_NAME} account, sent once to every customer; it is not a newsletter.`;
}

export async function countNoticeAudience(tx: DbOrTx = db): Promise<number> {
  const { rows } = await tx.execute<{ n: number }>(sql`select count(*)::int as n from users where ${NOTICE_AUDIENCE}`);
  return Number(rows[0].n);
}

/**
 * Queues the next batch of notice mails for a material change, in one transaction: the version's
 * row is locked with SKIP LOCKED (another instance working on it means this one steps aside), the
 * next customers after the saved cursor get a policy_notices row — on conflict nothing, so nobody
 * is mailed twice even if the cursor were lost — and only those new rows get an outbox mail; the
 * cursor and count move with them. `claimed` is false when there was nothing this instance may do.
 */
export async function queueNoticeBatch(
  versionId: number,
  batchSize = NOTICE_BATCH,
): Promise<{ claimed: boolean; queued: number; done: boolean }> {
  return db.transaction(async (tx) => {
    const { rows: locked } = await tx.execute<{
      version: string;
      effective_at: string;
      summary: string;
      notice_cursor: string | null;
    }>(sql`
      select version, effective_at, summary, notice_cursor from policy_versions
      where id = ${versionId} and status = 'published' and material and notice_done_at is null and effective_at > now()
      for update skip locked`);
    const v = locked[0];
    if (!v) return { claimed: false, queued: 0, done: true };
    const effectiveAt = new Date(v.effective_at);
    const after = v.notice_cursor ?? "00000000-0000-0000-0000-000000000000";
    const { rows } = await tx.execute<{ seen: number; queued: number; last: string | null }>(sql`
      with batch as (
        select id, email, first_name from users
        where ${NOTICE_AUDIENCE} and id > ${after}
        order by id limit ${batchSize}
      ), noted as (
        insert into policy_notices (policy_version_id, user_id)
        select ${versionId}, id from batch
        on conflict do nothing
        returning user_id
      ), mailed as (
        insert into mail_outbox (mail_class, user_id, topic_id, to_address, subject, text_body)
        select 'transactional', b.id, 'security-policy', b.email, ${noticeSubject(effectiveAt)},
               case when b.first_name = '' then 'Hello,' else 'Hello ' || b.first_name || ',' end
               || E'\\n\\n' || ${noticeBody({ effectiveAt, summary: v.summary })}
        from batch b join noted n on n.user_id = b.id
        returning 1
      )
      select (select count(*)::int from batch) as seen,
             (select count(*)::int from mailed) as queued,
             (select id::text from batch order by id desc limit 1) as last`);
    const { seen, queued, last } = rows[0];
    const done = Number(seen) < batchSize;
    await tx.execute(sql`
      update policy_versions set
        notice_cursor = coalesce(${last}::uuid, notice_cursor),
        notice_queued = notice_queued + ${Number(queued)},
        notice_done_at = ${done ? sql`now()` : sql`null`},
        updated_at = now()
      where id = ${versionId}`);
    return { claimed: true, queued: Number(queued), done };
  });
}

/**
 * Queues every remaining notice of a version, batch by batch. `maxBatches` stops early (how the
 * tests interrupt it); a later call continues from the saved cursor.
 */
export async function runNoticeMailing(
  versionId: number,
  opts: { batchSize?: number; maxBatches?: number } = {},
): Promise<number> {
  let total = 0;
  for (let i = 0; i < (opts.maxBatches ?? Infinity); i++) {
    const r = await queueNoticeBatch(versionId, opts.batchSize);
    total += r.queued;
    if (!r.claimed || r.done) break;
  }
  return total;
}

/** Continues notice mailings a stop interrupted (called when the server starts). */
export async function resumeNoticeMailings(): Promise<void> {
  const unfinished = await db
    .select({ id: policyVersions.id })
    .from(policyVersions)
    .where(
      and(
        eq(policyVersions.status, "published"),
        eq(policyVersions.material, true),
        isNull(policyVersions.noticeDoneAt),
        gt(policyVersions.effectiveAt, sql`now()`),
      ),
    );
  for (const v of unfinished) await runNoticeMailing(v.id);
}

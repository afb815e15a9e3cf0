import "server-only";
import { eq, sql } from "drizzle-orm";
import { db } from "@/db/client";
import { newsletters } from "@/db/schema";

/**
 * Turning a started newsletter into outbox rows: one per current opt-in. Kept apart from the
 * composer's rules (newsletter.ts) because this is the part that must keep up with 100,000
 * recipients and with several instances.
 */

export const QUEUE_BATCH = 1000;

/**
 * Adds one outbox row per current opt-in, in keyset-ordered batches. Safe to run again after a
 * crash: it continues after the last person already queued, and the unique (newsletter, person)
 * index drops any double.
 */
export async function queueNewsletter(newsletterId: string): Promise<number> {
  const [n] = await db.select().from(newsletters).where(eq(newsletters.id, newsletterId));
  if (!n) return 0;
  const { rows: last } = await db.execute<{ user_id: string }>(
    sql`select user_id from mail_outbox where newsletter_id = ${n.id} order by user_id desc limit 1`,
  );
  let after = last[0]?.user_id ?? "00000000-0000-0000-0000-000000000000";
  for (;;) {
    const { rows } = await db.execute<{ user_id: string }>(sql`
      with batch as (
        select s.user_id, s.topic_id, u.email
        from subscriptions s join users u on u.id = s.user_id
        where s.topic_id = ${n.topicId} and s.status = 'granted' and u.email is not null and s.user_id > ${after}
        order by s.user_id
        limit ${QUEUE_BATCH}
      ), queued as (
        insert into mail_outbox (mail_class, user_id, topic_id, newsletter_id, to_address, subject, text_body)
        select 'marketing', user_id, topic_id, ${n.id}, email, ${n.subject}, ${n.bodyMarkdown} from batch
        on conflict (newsletter_id, user_id) where newsletter_id is not null do nothing
      )
      select user_id from batch order by user_id`);
    if (rows.length === 0) break;
    after = rows[rows.length - 1].user_id;
    await db.execute(
      sql`update newsletters set recipients = (select count(*) from mail_outbox where newsletter_id = ${n.id}) where id = ${n.id}`,
    );
    if (rows.length < QUEUE_BATCH) break;
  }
  const { rows: done } = await db.execute<{ recipients: number }>(sql`
    update newsletters set status = 'queued', recipients = (select count(*) from mail_outbox where newsletter_id = ${n.id})
    where id = ${n.id} returning recipients`);
  return Number(done[0]?.recipients ?? 0);
}

/** Finishes queueing newsletters that a stop interrupted (called when the server starts). */
export async function resumeNewsletters(): Promise<void> {
  const unfinished = await db
    .select({ id: newsletters.id })
    .from(newsletters)
    .where(eq(newsletters.status, "queueing"));
  for (const n of unfinished) await queueNewsletter(n.id);
}

import "server-only";
import { sql } from "drizzle-orm";
import { db } from "@/db/client";

/**
 * Turning a started newsletter into outbox rows: one per current opt-in. Kept apart from the
 * composer's rules (newsletter.ts) because this is the part that must keep up with 100,000
 * recipients and with several instances.
 */

/**
 * Rows added per statement. Each batch is one short statement (on Postgres a few tens of ms for
 * 5,000 rows), so the marketing page and the mail worker get the database between batches, and
 * 100,000 recipients take 20 statements instead of 100.
 */
export const QUEUE_BATCH = 5000;

/**
 * How long a queueing runner's claim lasts without renewal. Renewed by every batch (each far
 * shorter than the statement timeout, itself shorter than this), so it lapses only when the runner
 * stopped; then another may resume.
 */
export const QUEUE_LEASE_SECONDS = 30;

const NO_ONE = "00000000-0000-0000-0000-000000000000";

export type QueueRun = {
  /** false: another runner held the lease, or the newsletter is not (or no longer) 'queueing'. */
  ran: boolean;
  /** Rows this call added. */
  added: number;
  /** The newsletter's recipients as recorded afterwards. */
  recipients: number;
  status: string | null;
  /** When the lease held by someone else lapses (set when ran is false because of it). */
  leaseUntil: Date | null;
};

/**
 * Adds one outbox row per current opt-in, in keyset-ordered batches, under a lease so that two
 * instances never queue the same newsletter at once (the unique (newsletter, person) index would
 * drop their doubles anyway, but both would do all the work and race on the count).
 *
 * - The claim is one conditional UPDATE: it succeeds only while the newsletter is 'queueing' and
 *   nobody's lease is live. Our lease value is our token: every later statement names it.
 * - Each batch is one statement that locks the newsletter row, checks the lease is still ours,
 *   inserts the next batch, adds the number of rows really inserted to `recipients` and renews the
 *   lease. So the count is exact whatever happened before (a resumed run counts only what it adds)
 *   and a runner whose lease was taken over stops at its next batch without adding anything.
 * - Safe to run again after a crash: it continues after the last person already queued.
 * - Rows carry an empty text body: the worker takes the subject and Markdown from the newsletters
 *   row at send time (lib/marketing/mail.ts's marketingEnvelopes), so 100,000 copies of the body
 *   are never written.
 * `batchSize` is for tests (many batches over a few people).
 */
export async function runQueueing(newsletterId: string, batchSize = QUEUE_BATCH): Promise<QueueRun> {
  const { rows: claimed } = await db.execute<{ lease: string }>(sql`
    update newsletters set queue_lease_until = clock_timestamp() + make_interval(secs => ${QUEUE_LEASE_SECONDS})
    where id = ${newsletterId} and status = 'queueing'
      and (queue_lease_until is null or queue_lease_until < clock_timestamp())
    returning queue_lease_until::text as lease`);
  if (claimed.length === 0) {
    const { rows } = await db.execute<{ status: string; recipients: number; lease: string | null }>(sql`
      select status, recipients, case when queue_lease_until >= clock_timestamp() then queue_lease_until::text end as lease
      from newsletters where id = ${newsletterId}`);
    const n = rows[0];
    return {
      ran: false,
      added: 0,
      recipients: Number(n?.recipients ?? 0),
      status: n?.status ?? null,
      leaseUntil: n?.lease ? new Date(n.lease) : null,
    };
  }
  // Kept as text: a JS Date would drop the microseconds and never match again.
  let lease = claimed[0].lease;
  const { rows: last } = await db.execute<{ user_id: string }>(
    sql`select user_id from mail_outbox where newsletter_id = ${newsletterId} order by user_id desc limit 1`,
  );
  let after = last[0]?.user_id ?? NO_ONE;
  let added = 0;
  for (;;) {
    // One statement per batch. `mine` locks the newsletter row while the lease is ours, so nobody
    // can take the lease over between our insert and our count; when it is not ours, `batch` is
    // empty and the final UPDATE matches nothing.
    const { rows } = await db.execute<{ lease: string; seen: number; inserted: number; last: string | null }>(sql`
      with mine as (
        select id, topic_id, subject from newsletters
        where id = ${newsletterId} and status = 'queueing' and queue_lease_until = ${lease}::timestamptz
        for update
      ), batch as (
        select s.user_id, s.topic_id, u.email
        from mine
        join subscriptions s on s.topic_id = mine.topic_id and s.status = 'granted' and s.user_id > ${after}::uuid
        join users u on u.id = s.user_id and u.email is not null
        order by s.user_id
        limit ${batchSize}
      ), queued as (
        insert into mail_outbox (mail_class, user_id, topic_id, newsletter_id, to_address, subject, text_body)
        select 'marketing', b.user_id, b.topic_id, mine.id, b.email, mine.subject, '' from batch b cross join mine
        on conflict (newsletter_id, user_id) where newsletter_id is not null do nothing
        returning 1
      )
      update newsletters set
        recipients = recipients + (select count(*) from queued),
        queue_lease_until = clock_timestamp() + make_interval(secs => ${QUEUE_LEASE_SECONDS})
      where id = (select id from mine)
      returning queue_lease_until::text as lease,
        (select count(*) from batch)::int as seen,
        (select count(*) from queued)::int as inserted,
        (select max(user_id::text) from batch) as last`);
    if (rows.length === 0) {
      // The lease was taken over (we stalled past it) or the newsletter left 'queueing'.
      return { ...(await current(newsletterId)), ran: true, added, leaseUntil: null };
    }
    const r = rows[0];
    lease = r.lease;
    added += Number(r.inserted);
    if (Number(r.seen) < batchSize || !r.last) break;
    after = r.last;
  }
  await db.execute(sql`
    update newsletters set status = 'queued', queue_lease_until = null
    where id = ${newsletterId} and status = 'queueing' and queue_lease_until = ${lease}::timestamptz`);
  return { ...(await current(newsletterId)), ran: true, added, leaseUntil: null };
}

async function current(newsletterId: string): Promise<{ recipients: number; status: string | null }> {
  const { rows } = await db.execute<{ status: string; recipients: number }>(
    sql`select status, recipients from newsletters where id = ${newsletterId}`,
  );
  return { recipients: Number(rows[0]?.recipients ?? 0), status: rows[0]?.status ?? null };
}

/**
 * Queues a started newsletter (see runQueueing); returns its recipients as recorded. A call made
 * while another runner holds the lease returns at once without queueing anything.
 */
export async function queueNewsletter(newsletterId: string): Promise<number> {
  return (await runQueueing(newsletterId)).recipients;
}

/**
 * Finishes queueing newsletters that a stop interrupted (called when the server starts). Only
 * 'queueing' rows: a 'scheduled' one is started by the schedule (which moves it to 'queueing'
 * first) and a 'cancelled' one never. A newsletter whose lease is still live (this instance was
 * restarted right after a crash, or another instance is queueing it) is tried again once that
 * lease lapses: if its runner is alive it will have renewed it and this try returns at once.
 */
export async function resumeNewsletters(): Promise<void> {
  const { rows } = await db.execute<{ id: string }>(sql`select id from newsletters where status = 'queueing'`);
  for (const { id } of rows) await resumeOne(id);
}

async function resumeOne(id: string): Promise<void> {
  const run = await runQueueing(id);
  if (run.ran || run.status !== "queueing" || !run.leaseUntil) return;
  const wait = Math.max(0, run.leaseUntil.getTime() - Date.now()) + 1000;
  setTimeout(() => {
    void resumeOne(id).catch((err) => console.error(`[newsletter ${id}] resuming failed:`, err));
  }, wait).unref();
}

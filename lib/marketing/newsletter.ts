import "server-only";
import { createHash } from "node:crypto";
import { desc, eq, sql } from "drizzle-orm";
import { db } from "@/db/client";
import { emailTopics, newsletters } from "@/db/schema";
import { fail, ok, type Outcome } from "@/lib/actions/result";
import { recordAudit } from "@/lib/audit/record";

export const QUEUE_BATCH = 1000;

export type NewsletterPreview = {
  topicId: string;
  topicName: string;
  recipients: number;
  subject: string;
  body: string;
  digest: string;
};

/** Identifies exactly what was previewed; a send must carry the same (see the console action). */
export function previewDigest(input: { topicId: string; subject: string; body: string }): string {
  return createHash("sha256").update(`${input.topicId}\n${input.subject}\n${input.body}`).digest("hex");
}

/** The refusal when the chosen topic is not (or no longer) a marketing topic. */
const notMarketingTopic = () => fail("chooseMarketingTopic", { topicId: ["chooseMarketingTopicField"] });

async function marketingTopic(topicId: string) {
  const [topic] = await db
    .select({ id: emailTopics.id, name: emailTopics.name, mailClass: emailTopics.mailClass })
    .from(emailTopics)
    .where(eq(emailTopics.id, topicId));
  return topic?.mailClass === "marketing" ? topic : null;
}

async function currentOptIns(topicId: string): Promise<number> {
  const { rows } = await db.execute<{ n: number }>(
    sql`select count(*)::int as n from subscriptions where topic_id = ${topicId} and status = 'granted'`,
  );
  return Number(rows[0].n);
}

/** What the send would look like, and to how many people (nothing is queued). */
export async function previewNewsletter(input: {
  topicId: string;
  subject: string;
  body: string;
}): Promise<Outcome<NewsletterPreview>> {
  const topic = await marketingTopic(input.topicId);
  if (!topic) return notMarketingTopic();
  return ok({
    topicId: topic.id,
    topicName: topic.name,
    recipients: await currentOptIns(topic.id),
    subject: input.subject,
    body: input.body,
    digest: previewDigest(input),
  });
}

/**
 * Creates the newsletter and queues one outbox row per current opt-in, in batches of
 * QUEUE_BATCH (each batch its own statement, so a big list neither holds one huge transaction nor
 * blocks the page). The worker re-checks consent at send time.
 */
export async function startNewsletter(
  input: { topicId: string; subject: string; body: string },
  meta: { actorId: string; ip: string },
): Promise<Outcome<{ id: string }>> {
  const topic = await marketingTopic(input.topicId);
  if (!topic) return notMarketingTopic();
  const row = await db.transaction(async (tx) => {
    const [created] = await tx
      .insert(newsletters)
      .values({ topicId: topic.id, subject: input.subject, bodyMarkdown: input.body, createdBy: meta.actorId })
      .returning({ id: newsletters.id });
    await recordAudit(tx, {
      actorId: meta.actorId,
      subjectUserId: null,
      action: "marketing.newsletter_started",
      detail: { newsletterId: created.id, topic: topic.id },
      ip: meta.ip,
    });
    return created;
  });
  // Queued in the background so the page answers at once; resumeNewsletters() finishes the job
  // after a restart.
  void queueNewsletter(row.id).catch((err) => console.error(`[newsletter ${row.id}] queueing failed:`, err));
  return ok({ id: row.id }, `Sending to everyone opted in to ${topic.name}. Progress is shown below.`);
}

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

type NewsletterProgress = {
  id: string;
  topicId: string;
  subject: string;
  createdAt: Date;
  status: "queueing" | "queued";
  recipients: number;
  waiting: number;
  sent: number;
  failed: number;
  suppressed: number;
};

export async function recentNewsletters(limit = 10): Promise<NewsletterProgress[]> {
  const rows = await db.select().from(newsletters).orderBy(desc(newsletters.createdAt)).limit(limit);
  if (rows.length === 0) return [];
  const { rows: counts } = await db.execute<{ newsletter_id: string; status: string; n: number }>(sql`
    select newsletter_id, status, count(*)::int as n from mail_outbox
    where newsletter_id in (${sql.join(
      rows.map((r) => sql`${r.id}`),
      sql`, `,
    )})
    group by newsletter_id, status`);
  return rows.map((r) => {
    const of = (...statuses: string[]) =>
      counts
        .filter((c) => c.newsletter_id === r.id && statuses.includes(c.status))
        .reduce((a, c) => a + Number(c.n), 0);
    return {
      id: r.id,
      topicId: r.topicId,
      subject: r.subject,
      createdAt: r.createdAt,
      status: r.status,
      recipients: r.recipients,
      waiting: of("pending", "sending"),
      sent: of("sent"),
      failed: of("failed"),
      suppressed: of("suppressed"),
    };
  });
}

import "server-only";
import { createHash } from "node:crypto";
import { desc, eq, sql } from "drizzle-orm";
import { db } from "@/db/client";
import { emailTopics, newsletters } from "@/db/schema";
import { fail, ok, type Outcome } from "@/lib/actions/result";
import { recordAudit } from "@/lib/audit/record";
import { queueNewsletter } from "./queue";

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

export type NewsletterProgress = {
  id: string;
  topicId: string;
  subject: string;
  createdAt: Date;
  status: (typeof newsletters.$inferSelect)["status"];
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

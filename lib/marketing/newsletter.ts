import "server-only";
import { createHash, randomUUID } from "node:crypto";
import { and, desc, eq, sql } from "drizzle-orm";
import { db } from "@/db/client";
import { emailTopics, newsletters, subscriptions } from "@/db/schema";
import { fail, ok, type Outcome } from "@/lib/actions/result";
import { recordAudit } from "@/lib/audit/record";
import { formatDateTime } from "@/lib/format";
import type { Message } from "@/lib/messages";
import { unsubscribeUrl } from "@/lib/preferences/unsubscribe";
import { wallTimeToInstant } from "@/lib/time-zone";
import { queueNewsletter } from "./queue";
import { MERGE_FIELDS, renderNewsletter, unknownMergeFields } from "./render";
import { consentLine } from "./why";

export type NewsletterPreview = {
  topicId: string;
  topicName: string;
  recipients: number;
  subject: string;
  body: string;
  digest: string;
  /** Carried by the form's Send: the newsletter it makes is stored under it, once. */
  sendKey: string;
  /** Both parts exactly as sent, for the sample recipient (the sender). */
  sample: { firstName: string; subject: string; html: string; text: string };
};

/** What the composer's action answers: a preview, a test's address, or the newsletter sent or scheduled. */
export type NewsletterActionData = { preview?: NewsletterPreview; id?: string; testTo?: string; sent?: boolean };

type Composition = { topicId: string; subject: string; body: string };

/** Identifies exactly what was previewed; a send must carry the same (see the console action). */
export function previewDigest(input: Composition): string {
  return createHash("sha256").update(`${input.topicId}\n${input.subject}\n${input.body}`).digest("hex");
}

/** The refusal when the chosen topic is not (or no longer) a marketing topic. */
const notMarketingTopic = () => fail("chooseMarketingTopic", { topicId: ["chooseMarketingTopicField"] });

async function marketingTopic(topicId: string) {
  const [topic] = await db
    .select({ id: emailTopics.id, code: emailTopics.code, name: emailTopics.name, mailClass: emailTopics.mailClass })
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

/**
 * Merge fields that do not exist, as field errors naming them on the field that uses them (the
 * subject and the body are checked apart, so the error sits where the typo is).
 */
export function checkMergeFields(input: { subject: string; body: string }): Outcome<undefined> {
  const fieldErrors: Record<string, Message[]> = {};
  for (const field of ["subject", "body"] as const) {
    const names = unknownMergeFields(input[field]);
    if (names.length) fieldErrors[field] = [{ code: "unknownMergeFields", names, known: [...MERGE_FIELDS] }];
  }
  return Object.keys(fieldErrors).length ? fail("newsletterHasUnknownFields", fieldErrors) : ok(undefined);
}

/**
 * What the send would look like, and to how many people (nothing is queued). The sample
 * recipient is the sender: their first name in the merge fields, their own consent record in
 * "Why did I get this?" (a sample one, dated now, if they are not opted in) and their own
 * unsubscribe link, so both parts are what a customer gets, byte for byte but for those.
 */
export async function previewNewsletter(
  input: Composition,
  sender: { userId: string; firstName: string; timeZone: string },
): Promise<Outcome<NewsletterPreview>> {
  const topic = await marketingTopic(input.topicId);
  if (!topic) return notMarketingTopic();
  const fields = checkMergeFields(input);
  if (!fields.ok) return fields;
  const [own] = await db
    .select({ source: subscriptions.source, optedInAt: subscriptions.optedInAt })
    .from(subscriptions)
    .where(
      and(
        eq(subscriptions.userId, sender.userId),
        eq(subscriptions.topicId, topic.id),
        eq(subscriptions.status, "granted"),
      ),
    );
  const why = consentLine({
    topicName: topic.name,
    source: own?.source ?? "account",
    optedInAt: own?.optedInAt ?? new Date(),
    timeZone: sender.timeZone,
  });
  const rendered = renderNewsletter(
    { subject: input.subject, body: input.body },
    { firstName: sender.firstName },
    { why, unsubscribeUrl: unsubscribeUrl(sender.userId, topic.code) },
  );
  return ok({
    topicId: topic.id,
    topicName: topic.name,
    recipients: await currentOptIns(topic.id),
    subject: input.subject,
    body: input.body,
    digest: previewDigest(input),
    sendKey: randomUUID(),
    sample: { firstName: sender.firstName, ...rendered },
  });
}

/** The furthest ahead a send may be scheduled. */
const SCHEDULE_MAX_DAYS = 366;

/**
 * The instant a "send later" wall-clock time means in the sender's zone, or the refusal for the
 * schedule field: none given, not a time, skipped by a spring-forward change, already past, or
 * more than a year ahead.
 */
export function scheduleInstant(sendAt: string | undefined, timeZone: string, now = new Date()): Outcome<Date> {
  const refuse = (m: Message) => fail(m, { sendAt: [m] });
  if (!sendAt) return refuse("scheduleRequired");
  const wall = wallTimeToInstant(sendAt, timeZone);
  if (!wall.ok)
    return refuse(wall.reason === "nonexistent" ? { code: "scheduleSkipped", timeZone } : "scheduleInvalid");
  if (wall.instant.getTime() <= now.getTime()) return refuse("scheduleInPast");
  if (wall.instant.getTime() > now.getTime() + SCHEDULE_MAX_DAYS * 86_400_000) return refuse("scheduleTooFar");
  return ok(wall.instant);
}

export type StartedNewsletter = { id: string; scheduledAt: Date | null; alreadyDone: boolean };

/**
 * Creates the newsletter once per send key: at once (status 'queueing', then queued in the
 * background) or for later (status 'scheduled'; lib/marketing/scheduler.ts starts it when due).
 * A second call with the same key — a double click, a replayed POST, two instances — inserts
 * nothing (the key is unique) and answers with the newsletter the first one made.
 */
export async function startNewsletter(
  input: Composition & { sendKey: string; scheduledAt?: Date | null },
  meta: { actorId: string; ip: string; timeZone: string },
): Promise<Outcome<StartedNewsletter>> {
  const topic = await marketingTopic(input.topicId);
  if (!topic) return notMarketingTopic();
  const fields = checkMergeFields(input);
  if (!fields.ok) return fields;
  const scheduledAt = input.scheduledAt ?? null;
  const made = await db.transaction(async (tx) => {
    const [created] = await tx
      .insert(newsletters)
      .values({
        topicId: topic.id,
        subject: input.subject,
        bodyMarkdown: input.body,
        createdBy: meta.actorId,
        sendKey: input.sendKey,
        status: scheduledAt ? "scheduled" : "queueing",
        scheduledAt,
        timeZone: meta.timeZone,
        startedAt: scheduledAt ? null : sql`now()`,
      })
      .onConflictDoNothing({ target: newsletters.sendKey })
      .returning({ id: newsletters.id });
    if (!created) return null;
    await recordAudit(tx, {
      actorId: meta.actorId,
      subjectUserId: null,
      action: scheduledAt ? "marketing.newsletter_scheduled" : "marketing.newsletter_started",
      detail: {
        newsletterId: created.id,
        topic: topic.id,
        ...(scheduledAt && { scheduledAt: scheduledAt.toISOString() }),
      },
      ip: meta.ip,
    });
    return created;
  });
  if (!made) {
    // The key's newsletter exists (committed: the insert waited for it): answer with it.
    const [existing] = await db
      .select({ id: newsletters.id, status: newsletters.status, scheduledAt: newsletters.scheduledAt })
      .from(newsletters)
      .where(eq(newsletters.sendKey, input.sendKey));
    const when =
      existing.status === "scheduled" && existing.scheduledAt
        ? `It is scheduled for ${formatDateTime(existing.scheduledAt, meta.timeZone)}.`
        : existing.status === "cancelled"
          ? "It was cancelled."
          : "Its progress is shown below.";
    return ok(
      { id: existing.id, scheduledAt: existing.scheduledAt, alreadyDone: true },
      `This newsletter was already sent or scheduled; nothing new was sent. ${when}`,
    );
  }
  if (scheduledAt) {
    return ok(
      { id: made.id, scheduledAt, alreadyDone: false },
      `Scheduled for ${formatDateTime(scheduledAt, meta.timeZone)} to everyone opted in to ${topic.name} then. You can cancel it below until it starts.`,
    );
  }
  // Queued in the background so the page answers at once; resumeNewsletters() finishes the job
  // after a restart.
  void queueNewsletter(made.id).catch((err) => console.error(`[newsletter ${made.id}] queueing failed:`, err));
  return ok(
    { id: made.id, scheduledAt: null, alreadyDone: false },
    `Sending to everyone opted in to ${topic.name}. Progress is shown below.`,
  );
}

/**
 * Cancels a scheduled newsletter, unless it has started: one conditional UPDATE, so a cancel and
 * the scheduler's start (the same condition, status = 'scheduled') can never both win.
 */
export async function cancelNewsletter(
  newsletterId: string,
  meta: { actorId: string; ip: string },
): Promise<Outcome<{ id: string }>> {
  const cancelled = await db.transaction(async (tx) => {
    const [row] = await tx
      .update(newsletters)
      .set({ status: "cancelled", cancelledAt: sql`now()`, cancelledBy: meta.actorId })
      .where(and(eq(newsletters.id, newsletterId), eq(newsletters.status, "scheduled")))
      .returning({ id: newsletters.id, subject: newsletters.subject, topicId: newsletters.topicId });
    if (!row) return null;
    await recordAudit(tx, {
      actorId: meta.actorId,
      subjectUserId: null,
      action: "marketing.newsletter_cancelled",
      detail: { newsletterId: row.id, topic: row.topicId },
      ip: meta.ip,
    });
    return row;
  });
  if (cancelled) return ok({ id: cancelled.id }, `Cancelled “${cancelled.subject}”. Nothing was sent.`);
  const [now] = await db
    .select({ status: newsletters.status })
    .from(newsletters)
    .where(eq(newsletters.id, newsletterId));
  if (!now) return fail("newsletterNotFound");
  return fail(now.status === "cancelled" ? "newsletterAlreadyCancelled" : "newsletterAlreadyStarted");
}

export type NewsletterProgress = {
  id: string;
  topicId: string;
  subject: string;
  createdAt: Date;
  startedAt: Date | null;
  scheduledAt: Date | null;
  cancelledAt: Date | null;
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
      startedAt: r.startedAt,
      scheduledAt: r.scheduledAt,
      cancelledAt: r.cancelledAt,
      status: r.status,
      recipients: r.recipients,
      waiting: of("pending", "sending"),
      sent: of("sent"),
      failed: of("failed"),
      suppressed: of("suppressed"),
    };
  });
}

/**
 * How often the sends table should refresh itself, or null when nothing moves: every 2 s while a
 * send is in progress or one is due within two minutes (so it is seen to start), every minute
 * while the next scheduled one is further off.
 */
export function sendsRefreshMs(sends: NewsletterProgress[], now = new Date()): number | null {
  if (sends.some((s) => s.status === "queueing" || s.waiting > 0)) return 2000;
  const due = sends.filter((s) => s.status === "scheduled" && s.scheduledAt).map((s) => s.scheduledAt!.getTime());
  if (due.length === 0) return null;
  return Math.min(...due) - now.getTime() < 120_000 ? 2000 : 60_000;
}

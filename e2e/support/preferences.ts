/**
 * E-mail preference helpers for the preferences*.spec.ts and marketing*.spec.ts files: opting a
 * fresh customer in (as if they had said yes when registering), queueing a real marketing mail
 * for the app's worker to send, reading what arrived in the local mailbox, and readers for the
 * consent ledger. Postgres only.
 */
import { expect, type Page } from "@playwright/test";
import { randomSuffix, testDb } from "./users";

export type TopicId = "offers" | "newsletter";

export const OFFERS_WORDING = "I would like to receive special offers and information on products and services";
export const NEWSLETTER_WORDING = "Send me the monthly newsletter";
export const POLICY_VERSION = "2005-11-14";
export const INVALID_LINK = "This unsubscribe link isn't valid";
export const LOOPBACK = /^(127\.0\.0\.1|::1|::ffff:127\.0\.0\.1)$/;

/** The E-mail preferences form on Edit Profile and its own live region. */
export const preferencesForm = (page: Page) => page.getByRole("form", { name: "E-mail preferences", exact: true });
// The form's own live region while it is open; the section's announcement once a save has closed it.
export const preferencesMessage = (page: Page) =>
  page.locator("#preferences-message:not(:empty), #preferences-announce:not(:empty)");

/**
 * Records a choice for each topic the way the app does (a ledger event, then the current state
 * pointing at it), with source "register": a customer who said yes (or no) when they signed up.
 */
export async function setConsent(userId: string, topics: TopicId[], action: "granted" | "withdrawn" = "granted") {
  await testDb().query(
    `with ev as (
       insert into consent_events (user_id, topic_id, action, source, actor_id, wording, wording_version, policy_version, ip, user_agent)
       select $1, t.id, $3::consent_action, 'register', $1, t.wording, t.wording_version, $4, '', 'e2e setup'
         from email_topics t where t.id = any($2::text[]) and t.mail_class = 'marketing'
       returning id, topic_id, created_at, wording_version
     )
     insert into subscriptions (user_id, topic_id, status, source, opted_in_at, wording_version, last_event_id)
     select $1, topic_id, $3::consent_action, 'register', case when $3 = 'granted' then created_at end, wording_version, id from ev
     on conflict (user_id, topic_id) do update set status = excluded.status, source = excluded.source,
       opted_in_at = excluded.opted_in_at, last_event_id = excluded.last_event_id, updated_at = now()`,
    [userId, topics, action, POLICY_VERSION],
  );
}

export type SubscriptionRow = { topic_id: string; status: "granted" | "withdrawn"; source: string };

/** The person's current choices, by topic id. */
export async function subscriptionsOf(userId: string): Promise<Record<string, { status: string; source: string }>> {
  const { rows } = await testDb().query<SubscriptionRow>(
    `select topic_id, status, source from subscriptions where user_id = $1 order by topic_id`,
    [userId],
  );
  return Object.fromEntries(rows.map((r) => [r.topic_id, { status: r.status, source: r.source }]));
}

export type ConsentEventRow = {
  topic_id: string;
  action: "granted" | "withdrawn";
  source: string;
  actor_id: string | null;
  wording: string;
  wording_version: number;
  policy_version: string;
  ip: string;
  user_agent: string;
};

/** The person's consent ledger, oldest first. */
export async function consentEventsOf(userId: string): Promise<ConsentEventRow[]> {
  const { rows } = await testDb().query<ConsentEventRow>(
    `select topic_id, action, source, actor_id, wording, wording_version, policy_version, ip, user_agent
       from consent_events where user_id = $1 order by id`,
    [userId],
  );
  return rows;
}

/** Everything an unsubscribe or preferences save could change, to compare before and after. */
export async function consentSnapshot(userId: string) {
  return { subscriptions: await subscriptionsOf(userId), events: await consentEventsOf(userId) };
}

export type QueuedMail = { subject: string; outboxId: number; newsletterId: string };

/**
 * Queues a one-recipient newsletter for `topicId` to `user`, as the console's send does (a
 * newsletters row and a marketing outbox row); the app's worker sends it within a second or two.
 * With `hold`, the mail waits in the outbox until `releaseMail` (an opt-out can land meanwhile).
 */
export async function queueMarketingMail(
  user: { id: string; email: string },
  topicId: TopicId,
  opts: { subject?: string; hold?: boolean } = {},
): Promise<QueuedMail> {
  const subject = opts.subject ?? `E2E ${topicId} news ${randomSuffix()}`;
  const body = `Hello from the ${topicId} list.`;
  const db = testDb();
  const { rows: n } = await db.query<{ id: string }>(
    `insert into newsletters (topic_id, subject, body_markdown, status, recipients) values ($1, $2, $3, 'queued', 1) returning id`,
    [topicId, subject, body],
  );
  const { rows: m } = await db.query<{ id: string }>(
    `insert into mail_outbox (mail_class, user_id, topic_id, newsletter_id, to_address, subject, text_body, next_attempt_at)
     values ('marketing', $1, $2, $3, $4, $5, $6, now() + case when $7 then interval '1 day' else interval '0' end) returning id`,
    [user.id, topicId, n[0].id, user.email, subject, body, !!opts.hold],
  );
  return { subject, outboxId: Number(m[0].id), newsletterId: n[0].id };
}

/** Lets a held mail go: the worker picks it up on its next round. */
export async function releaseMail(mail: QueuedMail) {
  await testDb().query(`update mail_outbox set next_attempt_at = now() where id = $1`, [mail.outboxId]);
}

export async function outboxStatus(outboxId: number): Promise<string> {
  const { rows } = await testDb().query<{ status: string }>(`select status from mail_outbox where id = $1`, [outboxId]);
  return rows[0]?.status ?? "missing";
}

export type DeliveredMail = {
  from_address: string;
  to_address: string;
  subject: string;
  text_body: string;
  headers: Record<string, string>;
};

/** The mails the local mailbox holds for `to` with `subject`. */
export async function mailboxRows(to: string, subject: string): Promise<DeliveredMail[]> {
  const { rows } = await testDb().query<DeliveredMail>(
    `select from_address, to_address, subject, text_body, headers from dev_mailbox where to_address = $1 and subject = $2 order by id`,
    [to, subject],
  );
  return rows;
}

/** Waits (the worker polls once a second) until exactly one such mail arrived, and returns it. */
export async function deliveredMail(to: string, subject: string): Promise<DeliveredMail> {
  await expect
    .poll(async () => (await mailboxRows(to, subject)).length, {
      timeout: 15_000,
      message: `mail “${subject}” to ${to}`,
    })
    .toBe(1);
  return (await mailboxRows(to, subject))[0];
}

/** The one-click URL a marketing mail carries in its List-Unsubscribe header. */
export function listUnsubscribeUrl(mail: DeliveredMail): string {
  const value = mail.headers["List-Unsubscribe"] ?? "";
  expect(value, "List-Unsubscribe is one <https://…/u/TOKEN> URL").toMatch(
    /^<https:\/\/localhost:\d+\/u\/[A-Za-z0-9_-]{40,}>$/,
  );
  return value.slice(1, -1);
}

/** A real newsletter mail for `topicId` to `user`, delivered; returns it and its unsubscribe URL. */
export async function unsubscribeLinkByMail(user: { id: string; email: string }, topicId: TopicId) {
  const queued = await queueMarketingMail(user, topicId);
  const mail = await deliveredMail(user.email, queued.subject);
  return { mail, url: listUnsubscribeUrl(mail) };
}

export async function userIdOf(username: string): Promise<string> {
  const { rows } = await testDb().query<{ id: string }>(`select id from users where username = $1`, [username]);
  if (!rows[0]) throw new Error(`No user ${username}`);
  return rows[0].id;
}

export type AuditRow = { action: string; actor_id: string | null; detail: Record<string, unknown> };

/** Audit rows with `action` by `actorId` written since `since` (the database's clock). */
export async function auditSince(action: string, actorId: string, since: Date): Promise<AuditRow[]> {
  const { rows } = await testDb().query<AuditRow>(
    `select action, actor_id, detail from audit_events where action = $1 and actor_id = $2 and created_at >= $3 order by id`,
    [action, actorId, since],
  );
  return rows;
}

/** The database's clock now (the app stamps rows with it, not with this machine's). */
export async function dbNow(): Promise<Date> {
  const { rows } = await testDb().query<{ now: Date }>(`select now() as now`);
  return rows[0].now;
}

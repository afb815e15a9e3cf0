import "server-only";
import { sql } from "drizzle-orm";
import { db } from "@/db/client";
import { mailOutbox, type ConsentSource } from "@/db/schema";
import { fail, ok, type Outcome } from "@/lib/actions/result";
import { recordAudit } from "@/lib/audit/record";
import { reserveMail } from "@/lib/mail/limits";
import type { Envelope } from "@/lib/mail/transport";
import type { Message } from "@/lib/messages";
import { env } from "@/lib/env";
import { unsubscribeUrl } from "@/lib/preferences/unsubscribe";
import { resolveTimeZone } from "@/lib/time-zone";
import {
  compileNewsletter,
  MERGE_FIELDS,
  personalise,
  renderNewsletter,
  unknownMergeFields,
  type CompiledNewsletter,
} from "./render";
import { consentLine } from "./why";

/** What the mail worker claimed of a marketing outbox row (lib/mail/worker.ts). */
export type ClaimedMarketingRow = {
  /** bigserial: a string from node-postgres, a number from PGlite (the map is keyed by it as given). */
  id: number;
  user_id: string | null;
  topic_id: string | null;
  newsletter_id: string | null;
  subject: string;
  text_body: string;
};

type Recipient = {
  id: number | string;
  status: "granted" | "withdrawn" | null;
  source: ConsentSource | null;
  opted_in_at: Date | string | null;
  name: string;
  code: number;
  list_id: string;
  email: string | null;
  first_name: string | null;
  time_zone: string | null;
  state: string | null;
  newsletter_id: string | null;
  n_subject: string | null;
  n_body: string | null;
};

/**
 * Newsletters rendered lately, newest last. A newsletter's subject and body never change once it
 * exists (lib/marketing/newsletter.ts only inserts), so a render can be kept for the batches after
 * the first: measured ~10–40 ms to render a 20,000-character body, against ~0.1 ms per person
 * to fill one in.
 */
const rendered = new Map<string, CompiledNewsletter>();
const RENDERED_KEPT = 8;

function remember(id: string, c: CompiledNewsletter): void {
  rendered.delete(id);
  rendered.set(id, c);
  if (rendered.size > RENDERED_KEPT) rendered.delete(rendered.keys().next().value!);
}

/**
 * What goes on the wire for each claimed marketing row, or null when it must not be sent. One
 * query for the whole batch reads, at send time, each person's consent (so an opt-out after
 * queueing still stops the mail), address (a changed address gets it), first name and time zone,
 * and each newsletter's subject and Markdown once (the body comes with the batch's first row of
 * that newsletter only, and not at all once rendered). The Markdown is rendered once per
 * newsletter; each person's copy only fills in the merge fields and their own "Why did I get
 * this?" line.
 *
 * The RFC 8058 one-click headers, the List-Id and the marketing sender are set here for every
 * marketing mail; transactional mail has none of them (lib/mail/worker.ts).
 */
export async function marketingEnvelopes(rows: ClaimedMarketingRow[]): Promise<Map<number, Envelope | null | Error>> {
  const envelopes = new Map<number, Envelope | null | Error>();
  for (const r of rows) envelopes.set(r.id, null);
  const ids = rows.filter((r) => r.user_id && r.topic_id).map((r) => r.id);
  if (ids.length === 0) return envelopes;
  // Newsletters already rendered by an earlier batch are not read again (held here, so an
  // eviction by a concurrent batch cannot take one away mid-way).
  const compiled = new Map<string, CompiledNewsletter>();
  for (const r of rows) {
    const known = r.newsletter_id ? rendered.get(r.newsletter_id) : undefined;
    if (known) compiled.set(r.newsletter_id!, known);
  }
  const skip = compiled.size
    ? sql`n.id in (${sql.join(
        [...compiled.keys()].map((id) => sql`${id}`),
        sql`, `,
      )})`
    : sql`false`;
  const { rows: found } = await db.execute<Recipient>(sql`
    select o.id, s.status, s.source, coalesce(s.opted_in_at, s.updated_at) as opted_in_at,
      t.name, t.code, t.list_id, u.email, u.first_name, u.time_zone, a.state, n.id as newsletter_id,
      case when row_number() over (partition by n.id order by o.id) = 1 and not ${skip} then n.subject end as n_subject,
      case when row_number() over (partition by n.id order by o.id) = 1 and not ${skip} then n.body_markdown end as n_body
    from mail_outbox o
    join email_topics t on t.id = o.topic_id and t.mail_class = 'marketing'
    join users u on u.id = o.user_id
    left join subscriptions s on s.user_id = u.id and s.topic_id = t.id
    left join addresses a on a.user_id = u.id and a.kind = 'service'
    left join newsletters n on n.id = o.newsletter_id
    where o.id in (${sql.join(
      ids.map((id) => sql`${id}`),
      sql`, `,
    )})`);
  // Ids are bigserial: node-postgres returns them as strings, PGlite as numbers. Matched as text;
  // the map answers for the id exactly as the caller passed it.
  const byId = new Map(rows.map((r) => [String(r.id), r]));
  for (const f of found) {
    if (f.n_body === null || !f.newsletter_id) continue;
    const fresh = compileNewsletter({ subject: f.n_subject ?? "", body: f.n_body });
    compiled.set(f.newsletter_id, fresh);
    remember(f.newsletter_id, fresh);
  }
  const from = env().MAIL_FROM_MARKETING;
  for (const f of found) {
    const row = byId.get(String(f.id));
    if (!row || f.status !== "granted" || !f.source || !f.email) continue;
    // Newsletter rows are queued with an empty body (the content lives on the newsletter): if the
    // newsletter was deleted since, there is nothing to send, and an empty mail must not go out.
    if (!f.newsletter_id && row.text_body.trim() === "") continue;
    // A row whose newsletter is gone (or one queued without a newsletter) carries its own Markdown.
    const content =
      (f.newsletter_id && compiled.get(f.newsletter_id)) ||
      compileNewsletter({ subject: row.subject, body: row.text_body });
    // One row that cannot be built (a bad topic code, an unusable zone) fails alone, as an Error
    // the worker records against that row; it must not hold up everyone else's mail in the batch.
    try {
      envelopes.set(row.id, envelopeOf(row, f, content, from));
    } catch (err) {
      envelopes.set(row.id, err instanceof Error ? err : new Error(String(err)));
    }
  }
  return envelopes;
}

function envelopeOf(row: ClaimedMarketingRow, f: Recipient, content: CompiledNewsletter, from: string): Envelope {
  const url = unsubscribeUrl(row.user_id!, Number(f.code));
  const why = consentLine({
    topicName: f.name,
    source: f.source!, // checked by the caller
    optedInAt: new Date(f.opted_in_at ?? Date.now()),
    timeZone: resolveTimeZone(f.time_zone, f.state),
  });
  const parts = personalise(content, { firstName: f.first_name }, { why, unsubscribeUrl: url });
  return {
    from,
    to: f.email!,
    subject: parts.subject,
    text: parts.text,
    html: parts.html,
    headers: {
      "List-Unsubscribe": `<${url}>`,
      "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
      "List-Id": `${f.name} <${f.list_id}>`,
    },
  };
}

/**
 * "Send a test to me": one mail to the signed-in staff member's own address, rendered as a
 * customer gets it (their first name in the merge fields) but marked as a test in the subject and
 * in "Why did I get this?". Queued as transactional mail without a newsletter, so the worker
 * neither checks the sender's consent nor counts it in any send's progress; audited.
 */
export async function sendTestNewsletter(
  input: { topicId: string; subject: string; body: string },
  staff: { userId: string; ip: string },
): Promise<Outcome<{ to: string }>> {
  const fieldErrors: Record<string, Message[]> = {};
  for (const field of ["subject", "body"] as const) {
    const names = unknownMergeFields(input[field]);
    if (names.length) fieldErrors[field] = [{ code: "unknownMergeFields", names, known: [...MERGE_FIELDS] }];
  }
  if (Object.keys(fieldErrors).length) return fail("newsletterHasUnknownFields", fieldErrors);
  const { rows } = await db.execute<{
    name: string | null;
    code: number | null;
    mail_class: string | null;
    email: string | null;
    first_name: string | null;
    time_zone: string | null;
    state: string | null;
  }>(sql`
    select t.name, t.code, t.mail_class, u.email, u.first_name, u.time_zone, a.state
    from users u
    left join email_topics t on t.id = ${input.topicId}
    left join addresses a on a.user_id = u.id and a.kind = 'service'
    where u.id = ${staff.userId}`);
  const me = rows[0];
  if (!me || me.mail_class !== "marketing" || me.name === null || me.code === null)
    return fail("chooseMarketingTopic", { topicId: ["chooseMarketingTopicField"] });
  if (!me.email) return fail("newsletterTestNoAddress");
  const sample = consentLine({
    topicName: me.name,
    source: "account",
    optedInAt: new Date(),
    timeZone: resolveTimeZone(me.time_zone, me.state),
  });
  const parts = renderNewsletter(
    { subject: input.subject, body: input.body },
    { firstName: me.first_name },
    {
      why: `This is a test sent to you from the marketing console. A customer reads their own consent record here, such as: ${sample}`,
      unsubscribeUrl: unsubscribeUrl(staff.userId, Number(me.code)),
    },
  );
  const to = me.email;
  // Always the sender's own address, but a test per click: the same hourly limits as every mail
  // a person's action sends, so a stuck button or a script cannot fill the outbox.
  const wait = await reserveMail({ userId: staff.userId }, to);
  if (wait > 0) return fail({ code: "mailLimit", retryAfterSeconds: wait });
  await db.transaction(async (tx) => {
    await tx.insert(mailOutbox).values({
      mailClass: "transactional",
      userId: staff.userId,
      newsletterId: null,
      toAddress: to,
      subject: `[Test] ${parts.subject}`,
      textBody: parts.text,
      htmlBody: parts.html,
    });
    await recordAudit(tx, {
      actorId: staff.userId,
      subjectUserId: null,
      action: "marketing.newsletter_test_sent",
      detail: { topic: input.topicId, subject: input.subject.slice(0, 150) },
      ip: staff.ip,
    });
  });
  return ok({ to }, `A test is on its way to ${to}.`);
}

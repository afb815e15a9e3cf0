import "server-only";
import { sql } from "drizzle-orm";
import { db } from "@/db/client";
import { noteDatabaseError } from "@/db/availability";
import { env } from "@/lib/env";
import { marketingEnvelopes } from "@/lib/marketing/mail";
import { mailDueProfileDigests } from "./profile-notice";
import { renderMailHtml } from "./render";
import { createTransport, type Envelope, type MailTransport } from "./transport";

const MAX_ATTEMPTS = 8;
const BATCH = 25;

type ClaimedMail = {
  id: number;
  mail_class: "transactional" | "marketing";
  user_id: string | null;
  topic_id: string | null;
  newsletter_id: string | null;
  to_address: string;
  subject: string;
  text_body: string;
  html_body: string | null;
  attempts: number;
};

/** Exponential backoff: 10 s, 20 s, 40 s … capped at one hour. */
export function backoffSeconds(attempts: number): number {
  return Math.min(3600, 10 * 2 ** Math.max(0, attempts - 1));
}

/**
 * Builds what goes on the wire, or null when a marketing mail must not be sent. Marketing mail is
 * built for the whole claimed batch at once by marketingEnvelopes (lib/marketing/mail.ts): consent,
 * address and name are read there, at send time, so an opt-out that lands after the mail was
 * queued still stops it; it adds the RFC 8058 one-click headers, a List-Id, the "Why did I get
 * this?" section and its own sender. Transactional mail gets none of these.
 */
async function envelopeFor(m: ClaimedMail, marketing: Promise<Map<number, Envelope | null>>): Promise<Envelope | null> {
  if (m.mail_class === "marketing") return (await marketing).get(m.id) ?? null;
  return {
    from: env().MAIL_FROM,
    to: m.to_address,
    subject: m.subject,
    text: m.text_body,
    // Rows queued by SQL (the policy notice batch) get their HTML part made here.
    html: m.html_body ?? renderMailHtml(m.subject, m.text_body),
  };
}

/**
 * Claims due mail and delivers it; returns how many digests and mails it handled. `FOR UPDATE SKIP LOCKED` lets several instances drain one
 * outbox without sending a row twice at the same time. A claimed row is leased for two minutes and
 * the lease is renewed just before each send; every later update names the attempt it belongs to,
 * so a worker whose lease was taken over cannot overwrite the new owner's outcome. A crash mid-send
 * only delays the mail (at-least-once delivery); a row that keeps crashing its worker is given up
 * after MAX_ATTEMPTS.
 */
export async function deliverDueMail(transport: MailTransport = createTransport()): Promise<number> {
  // Profile mail whose window has closed joins the outbox first, so this round sends it.
  const digests = await mailDueProfileDigests();
  const claimed = await db.execute<ClaimedMail>(sql`
    update mail_outbox set status = 'sending', attempts = attempts + 1,
      locked_until = now() + interval '2 minutes'
    where id in (
      select id from mail_outbox
      where (status = 'pending' and next_attempt_at <= now())
         or (status = 'sending' and locked_until < now() and attempts < ${MAX_ATTEMPTS})
      order by id
      limit ${BATCH}
      for update skip locked
    )
    returning id, mail_class, user_id, topic_id, newsletter_id, to_address, subject, text_body, html_body, attempts`);
  // One query (and one Markdown render per newsletter) for the batch's marketing rows. Awaited by
  // each marketing row, so a failure counts as that row's failed attempt; marked handled here in
  // case no row gets to await it (all taken over).
  const batch = claimed.rows.filter((m) => m.mail_class === "marketing");
  const marketing = batch.length ? marketingEnvelopes(batch) : Promise.resolve(new Map<number, Envelope | null>());
  marketing.catch(() => undefined);
  for (const m of claimed.rows) {
    const mine = sql`id = ${m.id} and status = 'sending' and attempts = ${m.attempts}`;
    try {
      const renewed = await db.execute(
        sql`update mail_outbox set locked_until = now() + interval '2 minutes' where ${mine} returning id`,
      );
      if (renewed.rows.length === 0) continue; // another worker took it over
      const envelope = await envelopeFor(m, marketing);
      if (!envelope) {
        await db.execute(sql`update mail_outbox set status = 'suppressed', locked_until = null where ${mine}`);
        continue;
      }
      await transport.send(envelope);
      await db.execute(
        sql`update mail_outbox set status = 'sent', sent_at = now(), locked_until = null, last_error = null where ${mine}`,
      );
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      const failed = m.attempts >= MAX_ATTEMPTS;
      await db.execute(sql`
        update mail_outbox set
          status = ${failed ? "failed" : "pending"},
          next_attempt_at = now() + make_interval(secs => ${backoffSeconds(m.attempts)}),
          locked_until = null, last_error = ${message.slice(0, 500)}
        where ${mine}`);
    }
  }
  return digests + claimed.rows.length;
}

/** Polls the outbox until stopped; returns the stop function (awaits the current round). */
export function startMailWorker(intervalMs = 1000): () => Promise<void> {
  const transport = createTransport();
  let stopped = false;
  let current: Promise<unknown> = Promise.resolve();
  let timer: ReturnType<typeof setTimeout>;
  // setTimeout drops what its callback returns, so a rejected round would go unhandled: log it.
  const schedule = () => {
    timer = setTimeout(() => {
      void tick().catch((err) => console.error("[mail] worker error:", err));
    }, intervalMs);
  };
  const tick = async () => {
    if (stopped) return;
    current = (async () => {
      // Drain everything due before sleeping, so a newsletter batch goes out at full speed.
      while (!stopped && (await deliverDueMail(transport)) > 0) {
        /* keep going */
      }
    })().catch((err) => {
      if (!noteDatabaseError(err)) console.error("[mail] worker error:", err);
    });
    await current;
    if (!stopped) schedule();
  };
  schedule();
  return async () => {
    stopped = true;
    clearTimeout(timer);
    await current;
  };
}

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
/**
 * Rows claimed per round. Large enough that the claim, the batch's one envelope query and the
 * lease bookkeeping are a few percent of a newsletter's sending time; the rows' outcomes are
 * written every OUTCOME_FLUSH rows, so a crash re-sends at most that many (plus those in flight).
 */
const BATCH = 1000;
/** Rows whose consent is confirmed by one query right before they are sent (see deliverChunk). */
const CHUNK = 4;
const OUTCOME_FLUSH = 100;
/** The claim's lease is two minutes; it is renewed once a round has run for half of that. */
const LEASE_SECONDS = 120;
const RENEW_AFTER_MS = (LEASE_SECONDS / 2) * 1000;

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

type Outcome = { m: ClaimedMail; status: "sent" | "suppressed" | "pending" | "failed"; error?: string };

/** Exponential backoff: 10 s, 20 s, 40 s … capped at one hour. */
export function backoffSeconds(attempts: number): number {
  return Math.min(3600, 10 * 2 ** Math.max(0, attempts - 1));
}

function transactionalEnvelope(m: ClaimedMail): Envelope {
  return {
    from: env().MAIL_FROM,
    to: m.to_address,
    subject: m.subject,
    text: m.text_body,
    // Rows queued by SQL (the policy notice batch) get their HTML part made here.
    html: m.html_body ?? renderMailHtml(m.subject, m.text_body),
  };
}

const failure = (m: ClaimedMail, err: unknown): Outcome => ({
  m,
  status: m.attempts >= MAX_ATTEMPTS ? "failed" : "pending",
  error: (err instanceof Error ? err.message : String(err)).slice(0, 500),
});

/**
 * Writes the outcomes of many rows in one UPDATE. Each names the attempt it belongs to, so a
 * worker whose lease was taken over cannot overwrite the new owner's outcome.
 */
async function recordOutcomes(outcomes: Outcome[]): Promise<void> {
  if (outcomes.length === 0) return;
  const values = sql.join(
    outcomes.map(
      (o) =>
        sql`(${o.m.id}::bigint, ${o.m.attempts}::int, ${o.status}::mail_status, ${backoffSeconds(o.m.attempts)}::int, ${o.error ?? null}::text)`,
    ),
    sql`, `,
  );
  await db.execute(sql`
    update mail_outbox m set
      status = v.status,
      sent_at = case when v.status = 'sent' then now() else m.sent_at end,
      next_attempt_at = case when v.status in ('pending', 'failed') then now() + make_interval(secs => v.backoff) else m.next_attempt_at end,
      last_error = case v.status when 'sent' then null when 'suppressed' then m.last_error else v.error end,
      locked_until = null
    from (values ${values}) as v(id, attempts, status, backoff, error)
    where m.id = v.id and m.status = 'sending' and m.attempts = v.attempts`);
}

/**
 * Claims due mail and delivers it; returns how many digests and mails it handled.
 *
 * - `FOR UPDATE SKIP LOCKED` lets several instances drain one outbox without sending a row twice
 *   at the same time. A claimed row is leased for two minutes; a round that runs for half of that
 *   renews the lease of the rows it has not finished (and drops any another worker took over).
 * - Sends run `transport.concurrency` at a time (the SMTP pool's connections): twice as many
 *   senders as connections, so a connection never waits while a sender reads the database (the
 *   pool queues the extra mail for the next free connection, a send's time at most).
 * - Marketing mail: marketingEnvelopes (lib/marketing/mail.ts) builds the whole batch's mail in
 *   one query and one Markdown render per newsletter; then each CHUNK of rows has its consent read
 *   again by one query immediately before those rows are sent. So the window between the consent
 *   read that lets a mail go and its hand-over to SMTP is one query plus at most 2 × CHUNK send
 *   times (the chunk's earlier mails, each perhaps waiting for a free pooled connection) —
 *   a few milliseconds on a local mail server, up to 2 × CHUNK × its answer time otherwise —
 *   and an opt-out committed before that read always stops the mail.
 * - Outcomes are written OUTCOME_FLUSH rows at a time in one UPDATE each (recordOutcomes). A crash
 *   mid-round only delays mail (at-least-once delivery: the rows sent since the last write go out
 *   again once their lease lapses); a row that keeps crashing its worker is given up after
 *   MAX_ATTEMPTS.
 */
function isEnvelope(value: Envelope | null | Error | undefined): value is Envelope {
  return !!value && !(value instanceof Error);
}

export async function deliverDueMail(transport: MailTransport = createTransport()): Promise<number> {
  // Profile mail whose window has closed joins the outbox first, so this round sends it.
  const digests = await mailDueProfileDigests();
  let leaseFrom = Date.now();
  const claimed = await db.execute<ClaimedMail>(sql`
    update mail_outbox set status = 'sending', attempts = attempts + 1,
      locked_until = now() + make_interval(secs => ${LEASE_SECONDS})
    where id in (
      select id from mail_outbox
      where (status = 'pending' and next_attempt_at <= now())
         or (status = 'sending' and locked_until < now() and attempts < ${MAX_ATTEMPTS})
      order by id
      limit ${BATCH}
      for update skip locked
    )
    returning id::int as id, mail_class, user_id, topic_id, newsletter_id, to_address, subject, text_body, html_body, attempts`);
  // RETURNING comes in the update's own order: send in queue order (as claimed).
  const rows = claimed.rows.sort((a, b) => a.id - b.id);
  if (rows.length === 0) return digests;

  const pending: Outcome[] = [];
  let flushing: Promise<void> = Promise.resolve();
  const record = (o: Outcome) => {
    pending.push(o);
    if (pending.length < OUTCOME_FLUSH) return;
    // One writer at a time, in order; the senders go on meanwhile. A failed write leaves its rows
    // 'sending' (sent again after their lease lapses) and fails the round when it is awaited below.
    const batch = pending.splice(0);
    flushing = flushing.then(() => recordOutcomes(batch));
    flushing.catch(() => undefined);
  };

  // Marketing mail for the whole batch: one query, one Markdown render per newsletter.
  let marketing = new Map<number, Envelope | null | Error>();
  let queue = rows;
  const marketingRows = rows.filter((m) => m.mail_class === "marketing");
  if (marketingRows.length) {
    try {
      marketing = await marketingEnvelopes(marketingRows);
    } catch (err) {
      for (const m of marketingRows) record(failure(m, err));
      queue = rows.filter((m) => m.mail_class !== "marketing");
    }
  }

  let next = 0;
  const takenOver = new Set<number>();
  let renewing: Promise<void> | undefined;
  /** Renews the unstarted rows' lease once the round has run for half of it; drops rows taken over. */
  const renewIfDue = async () => {
    if (Date.now() - leaseFrom < RENEW_AFTER_MS) return;
    renewing ??= (async () => {
      const startedAt = Date.now();
      const rest = queue.slice(next);
      if (rest.length) {
        const { rows: kept } = await db.execute<{ id: number }>(sql`
          update mail_outbox set locked_until = now() + make_interval(secs => ${LEASE_SECONDS})
          where status = 'sending' and (id, attempts) in (${sql.join(
            rest.map((m) => sql`(${m.id}::bigint, ${m.attempts}::int)`),
            sql`, `,
          )})
          returning id::int as id`);
        const still = new Set(kept.map((k) => Number(k.id)));
        for (const m of rest) if (!still.has(m.id)) takenOver.add(m.id);
      }
      leaseFrom = startedAt;
    })().finally(() => (renewing = undefined));
    await renewing;
  };

  /**
   * Reads the consent of a chunk's marketing rows again, then sends the chunk. This read is the
   * one that counts: it is at most one query and 2 × CHUNK send times before each mail is handed
   * over (the bench measured a few milliseconds on loopback: no mail after an answered opt-out).
   */
  const deliverChunk = async (chunk: ClaimedMail[]) => {
    await renewIfDue();
    const mine = chunk.filter((m) => !takenOver.has(m.id));
    const toCheck = mine.filter((m) => m.mail_class === "marketing" && isEnvelope(marketing.get(m.id)));
    let granted = new Set<number>();
    let unread: unknown;
    if (toCheck.length) {
      try {
        const { rows: yes } = await db.execute<{ id: number }>(sql`
          select o.id::int as id from mail_outbox o
          join subscriptions s on s.user_id = o.user_id and s.topic_id = o.topic_id and s.status = 'granted'
          where o.id in (${sql.join(
            toCheck.map((m) => sql`${m.id}`),
            sql`, `,
          )})`);
        granted = new Set(yes.map((r) => Number(r.id)));
      } catch (err) {
        unread = err;
      }
    }
    for (const m of mine) {
      const built = m.mail_class === "marketing" ? marketing.get(m.id) : undefined;
      // This row alone could not be built: it is retried later like a failed send.
      if (built instanceof Error) {
        record(failure(m, built));
        continue;
      }
      if (m.mail_class === "marketing" && unread !== undefined && built) {
        record(failure(m, unread));
        continue;
      }
      const envelope = m.mail_class === "marketing" ? (granted.has(m.id) && built) || null : transactionalEnvelope(m);
      if (!envelope) {
        record({ m, status: "suppressed" });
        continue;
      }
      try {
        await transport.send(envelope);
        record({ m, status: "sent" });
      } catch (err) {
        record(failure(m, err));
      }
    }
  };

  const lane = async () => {
    while (next < queue.length) {
      const chunk = queue.slice(next, next + CHUNK);
      next += chunk.length;
      await deliverChunk(chunk);
    }
  };
  const lanes = (transport.concurrency ?? 1) > 1 ? 2 * transport.concurrency! : 1;
  await Promise.all(Array.from({ length: lanes }, lane));
  await flushing;
  await recordOutcomes(pending.splice(0));
  return digests + rows.length;
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
    transport.close?.();
  };
}

import { sql } from "drizzle-orm";
import { db } from "@/db/client";
import { env } from "@/lib/env";
import { noteDatabaseError } from "@/db/outage";
import { createTransport, type MailTransport } from "./transport";

const MAX_ATTEMPTS = 8;
const BATCH = 25;

type ClaimedMail = { id: number; to_address: string; subject: string; text_body: string; attempts: number };

/** Exponential backoff: 10 s, 20 s, 40 s … capped at one hour. */
export function backoffSeconds(attempts: number): number {
  return Math.min(3600, 10 * 2 ** Math.max(0, attempts - 1));
}

/**
 * Claims due mail and delivers it. `FOR UPDATE SKIP LOCKED` lets several instances drain one
 * outbox without sending a row twice at the same time; a claimed row is leased for two minutes, so
 * a crash mid-send only delays it (at-least-once delivery).
 */
export async function deliverDueMail(transport: MailTransport = createTransport()): Promise<number> {
  const claimed = await db.execute<ClaimedMail>(sql`
    update mail_outbox set status = 'sending', attempts = attempts + 1,
      locked_until = now() + interval '2 minutes'
    where id in (
      select id from mail_outbox
      where (status = 'pending' and next_attempt_at <= now())
         or (status = 'sending' and locked_until < now())
      order by id
      limit ${BATCH}
      for update skip locked
    )
    returning id, to_address, subject, text_body, attempts`);
  const from = env().MAIL_FROM;
  for (const m of claimed.rows) {
    try {
      await transport.send({ from, to: m.to_address, subject: m.subject, text: m.text_body });
      await db.execute(sql`update mail_outbox set status = 'sent', sent_at = now(), locked_until = null, last_error = null where id = ${m.id}`);
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      const failed = m.attempts >= MAX_ATTEMPTS;
      await db.execute(sql`
        update mail_outbox set
          status = ${failed ? "failed" : "pending"},
          next_attempt_at = now() + make_interval(secs => ${backoffSeconds(m.attempts)}),
          locked_until = null, last_error = ${message.slice(0, 500)}
        where id = ${m.id}`);
    }
  }
  return claimed.rows.length;
}

/** Polls the outbox until stopped; returns the stop function (awaits the current round). */
export function startMailWorker(intervalMs = 1000): () => Promise<void> {
  const transport = createTransport();
  let stopped = false;
  let current: Promise<unknown> = Promise.resolve();
  const tick = async () => {
    if (stopped) return;
    current = deliverDueMail(transport).catch((err) => {
      if (!noteDatabaseError(err)) console.error("[mail] worker error:", err);
    });
    await current;
    if (!stopped) timer = setTimeout(tick, intervalMs);
  };
  let timer = setTimeout(tick, intervalMs);
  return async () => {
    stopped = true;
    clearTimeout(timer);
    await current;
  };
}

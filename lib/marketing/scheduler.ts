import "server-only";
import { sql } from "drizzle-orm";
import { db } from "@/db/client";
import { noteDatabaseError } from "@/db/availability";
import { queueNewsletter } from "./queue";

/**
 * Starts scheduled newsletters when they fall due. Every instance polls; the move out of
 * 'scheduled' is ONE conditional UPDATE over rows locked with SKIP LOCKED, so of several
 * instances polling at the same moment exactly one moves (and so starts) each due newsletter, and
 * a cancel (the same condition, status = 'scheduled') either wins before it or is refused after.
 */
export async function startDueNewsletters(limit = 20): Promise<string[]> {
  const { rows } = await db.execute<{ id: string }>(sql`
    update newsletters set status = 'queueing', started_at = now()
    where id in (
      select id from newsletters
      where status = 'scheduled' and scheduled_at <= now()
      order by scheduled_at
      limit ${limit}
      for update skip locked
    ) and status = 'scheduled'
    returning id`);
  const ids = rows.map((r) => r.id);
  // One at a time: each adds rows in batches of its own, and the mail worker sends meanwhile.
  // A crash between the UPDATE and the end of queueing leaves 'queueing', which
  // resumeNewsletters() finishes when an instance starts (queue.ts's lease keeps two from
  // queueing one newsletter at once).
  for (const id of ids) {
    await queueNewsletter(id).catch((err) => console.error(`[newsletter ${id}] queueing failed:`, err));
  }
  // An instance that died while queueing leaves 'queueing' under a lease that stops being renewed.
  // resumeNewsletters() finishes such a send when an instance starts; this finishes it on a live
  // instance too, once the lease has lapsed (queueNewsletter claims the lease, so only one does).
  const { rows: orphaned } = await db.execute<{ id: string }>(sql`
    select id from newsletters
    where status = 'queueing' and queue_lease_until < now()
    order by started_at
    limit ${limit}`);
  for (const { id } of orphaned) {
    await queueNewsletter(id).catch((err) => console.error(`[newsletter ${id}] resuming failed:`, err));
  }
  return ids;
}

/**
 * Polls every `intervalMs` (NEWSLETTER_SCHEDULER_MS, lib/env.ts) until the returned stop is
 * called; stop waits for a round in progress, so shutdown never cuts a start in half.
 */
export function startNewsletterScheduler(intervalMs: number): () => Promise<void> {
  let stopped = false;
  let current: Promise<unknown> = Promise.resolve();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const tick = async () => {
    if (stopped) return;
    current = startDueNewsletters().catch((err) => {
      if (!noteDatabaseError(err)) console.error("[newsletter] scheduler error:", err);
    });
    await current;
    if (!stopped) timer = setTimeout(() => void tick(), intervalMs);
  };
  timer = setTimeout(() => void tick(), intervalMs);
  return async () => {
    stopped = true;
    clearTimeout(timer);
    await current;
  };
}

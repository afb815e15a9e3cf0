/**
 * The newsletter part's floor (bench/figures/newsletter.ts), run as a child process with the app's
 * environment and an IPC channel: the bare nodemailer loop the worker's delivery rate is compared
 * with. It sends the same messages the worker sent — for each row of BENCH_NEWSLETTER_ID the worker
 * marked 'sent', the envelope the worker builds (lib/marketing/mail.ts's marketingEnvelopes, made
 * before the clock starts; a person who has opted out since gets their neighbour's copy, readdressed)
 * — over the same transport options (lib/mail/transport.ts's smtpTransportOptions: the same pool) to the same
 * sink, keeping as many sends in flight as the pool has connections, as the worker does.
 *
 *   child → { type: "warm" } after BENCH_BARE_WARMUP sends; parent → { type: "go" };
 *   child → { type: "done", count, ms, errors, cpuMs }
 */
import nodemailer from "nodemailer";
import { sql } from "drizzle-orm";
import { closeDb, db } from "@/db/client";
import type { Envelope } from "@/lib/mail/transport";
import { SMTP_OPTIONS, smtpTransportOptions } from "@/lib/mail/transport";
import { marketingEnvelopes, type ClaimedMarketingRow } from "@/lib/marketing/mail";

const newsletterId = process.env.BENCH_NEWSLETTER_ID!;
const sinkUrl = process.env.BENCH_SINK_URL!;
const warmup = Number(process.env.BENCH_BARE_WARMUP ?? 50);

async function envelopes(): Promise<Envelope[]> {
  const { rows } = await db.execute<ClaimedMarketingRow & { to_address: string }>(sql`
    select id::int as id, user_id, topic_id, newsletter_id, subject, text_body, to_address
    from mail_outbox where newsletter_id = ${newsletterId} and status = 'sent' order by id`);
  const out: Envelope[] = [];
  let previous: Envelope | undefined;
  for (let i = 0; i < rows.length; i += 500) {
    const chunk = rows.slice(i, i + 500);
    const built = await marketingEnvelopes(chunk);
    for (const r of chunk) {
      const got = built.get(r.id);
      if (got instanceof Error) throw got;
      const e = got ?? (previous && { ...previous, to: r.to_address });
      if (!e) continue;
      out.push(e);
      previous = e;
    }
  }
  return out;
}

async function main() {
  const mails = await envelopes();
  await closeDb();
  const smtp = nodemailer.createTransport(smtpTransportOptions(sinkUrl));
  let errors = 0;
  const sendAll = async (list: Envelope[]) => {
    let next = 0;
    const lane = async () => {
      while (next < list.length) {
        const mail = list[next++];
        try {
          await smtp.sendMail(mail);
        } catch {
          errors++;
        }
      }
    };
    await Promise.all(Array.from({ length: SMTP_OPTIONS.maxConnections }, lane));
  };
  // Warm-up: the pool's connections open and the JIT warms, as the worker's have by now.
  await sendAll(mails.slice(0, warmup));
  errors = 0;
  const go = new Promise<void>((resolve) => process.once("message", () => resolve()));
  process.send!({ type: "warm", count: mails.length });
  await go;
  const started = performance.now();
  const cpu = process.cpuUsage();
  await sendAll(mails);
  const ms = performance.now() - started;
  const used = process.cpuUsage(cpu);
  smtp.close();
  process.send!({ type: "done", count: mails.length, ms, errors, cpuMs: (used.user + used.system) / 1000 });
}

try {
  await main();
} catch (err) {
  console.error("[bench] bare mail loop failed:", err);
  process.exitCode = 1;
} finally {
  process.disconnect?.();
}

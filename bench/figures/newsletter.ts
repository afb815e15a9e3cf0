/**
 * Part 8 (issue 12, a send that keeps up), Postgres only. A server.ts of its own (instance "news")
 * on a database of its own, with SMTP_URL pointing at an SMTP sink on loopback (bench/smtp-sink.ts,
 * a child process counting each arrival per recipient and per Message-ID).
 *
 * 1. Queueing: BENCH_NEWSLETTER_RECIPIENTS=100,000 customers opted in to 'newsletter' (set-based
 *    SQL, each with its consent_events row, dated over the last 90 days for the charts). The demo
 *    `marketing` user previews and sends a newsletter through the marketing console's real no-JS
 *    server action (POST /console/marketing: intent=preview, then intent=send with the preview's
 *    digest and send key), so lib/marketing/queue.ts runs in the server process as it does for a
 *    person. Timed from the send POST until the newsletter's status is 'queued' (polled every
 *    20 ms), while BENCH_NEWSLETTER_PAGE_CLIENTS=4 signed-in clients read GET /console/marketing in
 *    a closed loop (p50/p95 of the reads that started during the queueing; 3 quiet seconds before it,
 *    after 2 s of warm-up, for comparison). The mail worker runs meanwhile, as in production (sending to the sink); once
 *    queued, that newsletter's rows still pending are set 'suppressed' by SQL so they do not
 *    compete with step 2.
 * 2. Delivery: the first BENCH_NEWSLETTER_SEND=20,000 of those customers are also opted in to
 *    'offers'; a second newsletter to 'offers' is sent the same way and the worker's delivery is
 *    timed at the sink (first to last arrival). During it, 1% of its recipients opt out through the
 *    real one-click path (POST /u/<token>, RFC 8058; one each time another 1/(n+1) of the send has
 *    arrived), each answer's time recorded: a mail arriving for one of them after that time counts
 *    as a mail to someone who had opted out (goal 0). Duplicates: a recipient getting the same
 *    Subject twice, or the same Message-ID twice (goal 0).
 * 3. The floor: bench/bare-mail-loop.ts sends the same messages (the envelopes the worker built
 *    for the rows it sent, made before its clock starts) with nodemailer over the same transport
 *    options (lib/mail/transport.ts's SMTP_OPTIONS) to the same sink, as many in flight as the
 *    pool has connections, after a warm-up; timed at the sink the same way. Goal: worker ≥ 0.8× it.
 */
import { fork, type ChildProcess } from "node:child_process";
import { mkdirSync } from "node:fs";
import path from "node:path";
import pg from "pg";
import { createTestDatabase, dropTestDatabase } from "../../lib/test/pg-admin";
import { loadavg } from "node:os";
import { processTicks, ticksToMs } from "../lib/cpu";
import { multipart, request, scrapeForm, setTarget, target } from "../lib/http";
import { log, sleep } from "../lib/log";
import { SERVER_ARGS, sparePort, startInstanceOnOwnDatabase, state, stopInstance } from "../lib/server";
import {
  DEMO,
  GOAL,
  NEWSLETTER_PAGE_CLIENTS,
  NEWSLETTER_RECIPIENTS,
  NEWSLETTER_SEND,
  HTTP_PORT as PREFERRED_HTTP_PORT,
  PORT as PREFERRED_PORT,
} from "../lib/settings";
import { scrapeLoginForm, staffSessionOf } from "../lib/sign-in";
import { percentile } from "../lib/stats";
import { f0, f1, f2, table } from "../lib/table";
import type { SinkReport } from "../smtp-sink";

type PageFigures = { n: number; p50: number; p95: number; max: number; errors: number };

export type NewsletterFigures = {
  recipients: number;
  seedMs: number;
  queueMs: number;
  answerMs: number;
  queued: number;
  counted: number;
  sentDuringQueueing: number;
  quiet: PageFigures;
  during: PageFigures;
  queueDuplicates: number;
  send: {
    recipients: number;
    worker: SinkReport;
    bare: SinkReport;
    bareErrors: number;
    /** From the send POST's answer to the last arrival. */
    endToEndMs: number;
    optOuts: number;
    optOutsAlreadySent: number;
    optOutsSuppressed: number;
    /** Mails that arrived for an opted-out person after their opt-out was answered. */
    afterOptOut: number;
    /** The largest such lateness, ms (0 when none). */
    worstLateMs: number;
    suppressed: number;
    failed: number;
    /** CPU per mail sent: the server process (worker, plus the send and opt-out requests) and the bare loop's process. */
    workerCpuMsPerMail: number;
    bareCpuMsPerMail: number;
  };
  wallMs: number;
  /** The machine's 1-minute load average when the part began and when it ended. */
  load: [number, number];
};

const now = () => performance.timeOrigin + performance.now();

/** About 1.5 kB of Markdown, with a merge field, as a real newsletter might be. */
const BODY = `Hello {first_name|there},

## What is new this month

Your service got faster: we upgraded the network in your area, and most customers now see **twice
the speed** at no extra cost. Nothing to do on your side.

- The new app shows your usage by day and lets you pause a line while you travel.
- Paperless billing is now the default for new accounts; you can switch back any time.
- Our support chat answers in under two minutes on weekdays.

## Tips

1. Restart your router once a month: it clears memory and applies updates.
2. Put it high and in the open, away from the microwave.
3. Use the 5 GHz network for video calls when you are in the same room.

Read more about the upgrade:
https://example.com/news/network-upgrade

Thank you for being with us,
The Lumen Telecom team
`;

function pageFigures(ms: number[], errors: number): PageFigures {
  const s = [...ms].sort((a, b) => a - b);
  return { n: s.length, p50: percentile(s, 50), p95: percentile(s, 95), max: s.at(-1) ?? NaN, errors };
}

/** Customers `news1` … `newsN` (account numbers 8000000001…), all opted in to 'newsletter', the first `send` also to 'offers'. */
async function seed(client: pg.Client): Promise<number> {
  const started = performance.now();
  const { FIRST_POLICY_VERSION } = await import("../../lib/policy/first");
  await client.query("set synchronous_commit = off");
  await client.query(
    `with people as (
       insert into users (role, username, account_number, email, first_name, last_name, registered_at, created_at, updated_at)
       select 'customer', 'news' || g, (8000000000 + g)::text, 'news' || g || '@bulk.example',
              (array['Ana','Ben','Chloé','Dev','Femi','Grace','Hugo','José','Zoë','Sam'])[1 + g % 10], 'Reader',
              now() - (g % 3650) * interval '1 day', now(), now()
       from generate_series(1, $1::int) g
       returning id, account_number
     ), grants as (
       insert into consent_events (user_id, topic_id, action, source, actor_id, wording, wording_version, policy_version, ip, user_agent, created_at)
       select p.id, t.id, 'granted', 'register', p.id, t.wording, t.wording_version, $3, '', 'bench seed',
              now() - ((p.account_number::bigint % 89) + 1) * interval '1 day' - (p.account_number::bigint % 86400) * interval '1 second'
       from people p cross join email_topics t
       where t.id = 'newsletter' or (t.id = 'offers' and p.account_number::bigint - 8000000000 <= $2)
       returning id, user_id, topic_id, created_at, wording_version
     )
     insert into subscriptions (user_id, topic_id, status, source, opted_in_at, wording_version, last_event_id, updated_at)
     select user_id, topic_id, 'granted', 'register', created_at, wording_version, id, created_at from grants`,
    [NEWSLETTER_RECIPIENTS, NEWSLETTER_SEND, FIRST_POLICY_VERSION],
  );
  await client.query("vacuum (analyze) users, consent_events, subscriptions, mail_outbox");
  return performance.now() - started;
}

/** The sink child: its port, its reports, and a way to wait for a count in the current phase. */
async function startSink() {
  const child = fork(path.join("bench", "smtp-sink.ts"), [], {
    execArgv: SERVER_ARGS,
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  let count = 0;
  let current = "none";
  const waiters = new Map<string, (v: unknown) => void>();
  const port = await new Promise<number>((resolve, reject) => {
    child.once("error", reject);
    child.on("message", (m: { type: string; port?: number; count?: number; name?: string; report?: SinkReport }) => {
      if (m.type === "ready") resolve(m.port!);
      else if (m.type === "progress" && m.name === current) count = m.count!;
      else if (m.type === "phase") waiters.get(`phase:${m.name}`)?.(undefined);
      else if (m.type === "report") waiters.get(`report:${m.report!.phase}`)?.(m.report);
    });
  });
  const ask = <T>(key: string, message: object) =>
    new Promise<T>((resolve) => {
      waiters.set(key, resolve as (v: unknown) => void);
      child.send(message);
    });
  return {
    child,
    url: `smtp://127.0.0.1:${port}`,
    count: () => count,
    phase: async (name: string) => {
      await ask(`phase:${name}`, { type: "phase", name });
      current = name;
      count = 0;
    },
    report: (phase: string, watch: string[] = []) =>
      ask<SinkReport>(`report:${phase}`, { type: "report", phase, watch }),
    stop: () => {
      if (child.connected) child.send({ type: "stop" });
    },
  };
}

/** Closed-loop readers of a page until `stop` is set: each read's start time and duration. */
function readLoop(pathName: string, cookie: string, clients: number) {
  const reads: { at: number; ms: number }[] = [];
  let errors = 0;
  let stopped = false;
  const loops = Array.from({ length: clients }, async () => {
    while (!stopped) {
      const at = now();
      try {
        const res = await request("GET", pathName, { cookie, accept: "text/html" });
        if (res.status !== 200) errors++;
        else reads.push({ at, ms: now() - at });
      } catch {
        errors++;
      }
    }
  });
  return {
    reads,
    errors: () => errors,
    stop: async () => {
      stopped = true;
      await Promise.all(loops);
    },
  };
}

const FORM = /aria-label="Send a newsletter"/;

/** Preview, then send now, through the console's no-JS form; returns when the send was answered. */
async function sendThroughConsole(cookie: string, topicId: string, subject: string) {
  const page = await request("GET", "/console/marketing", { cookie });
  if (page.status !== 200) throw new Error(`GET /console/marketing answered ${page.status}`);
  const post = async (fields: Record<string, string>) => {
    const { body, contentType } = multipart(fields);
    return request(
      "POST",
      "/console/marketing",
      { cookie, "content-type": contentType, origin: target.origin, accept: "text/html" },
      body,
    );
  };
  const form = scrapeForm(page.body, FORM, "/console/marketing");
  const composed = { topicId, subject, body: BODY };
  const preview = await post({ ...form, ...composed, intent: "preview" });
  const previewed = scrapeForm(preview.body, FORM, "the preview");
  if (!previewed.previewDigest || !previewed.sendKey)
    throw new Error(`the preview answered ${preview.status} without a digest and send key`);
  const started = now();
  const sent = await post({
    ...previewed,
    ...composed,
    intent: "send",
    when: "now",
    previewDigest: previewed.previewDigest,
    sendKey: previewed.sendKey,
  });
  const answered = now();
  if (sent.status !== 200) throw new Error(`sending answered ${sent.status}`);
  return { started, answered };
}

async function newsletterId(client: pg.Client, subject: string): Promise<string> {
  for (let i = 0; i < 100; i++) {
    const { rows } = await client.query<{ id: string }>("select id from newsletters where subject = $1", [subject]);
    if (rows[0]) return rows[0].id;
    await sleep(20);
  }
  throw new Error(`no newsletter "${subject}" after the send`);
}

async function waitFor(what: string, check: () => Promise<boolean>, intervalMs: number, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(intervalMs);
  }
}

export async function measureNewsletter(baseEnv: NodeJS.ProcessEnv): Promise<NewsletterFigures> {
  const started = performance.now();
  const loadBefore = loadavg()[0];
  const sink = await startSink();
  const db = await createTestDatabase("myaccount_bench_news");
  const previousPort = target.port;
  const client = new pg.Client({ connectionString: db.url });
  let instance: Awaited<ReturnType<typeof startInstanceOnOwnDatabase>> | undefined;
  try {
    const port = await sparePort(PREFERRED_PORT + 20, [previousPort]);
    const httpPort = await sparePort(PREFERRED_HTTP_PORT + 20, [previousPort, port]);
    const dataDir = path.join(state.tmp!, "news");
    mkdirSync(dataDir, { recursive: true });
    const env: NodeJS.ProcessEnv = {
      ...baseEnv,
      PORT: String(port),
      HTTP_PORT: String(httpPort),
      DATA_DIR: dataDir,
      DATABASE_URL: db.url,
      SEED_DEMO: "always",
      SMTP_URL: sink.url,
      // Required with SMTP_URL: the links in the mail point here.
      APP_URL: `https://localhost:${port}`,
      LOCAL_MAILBOX: "off",
    };
    log(`newsletter: database ${db.name}, SMTP sink at ${sink.url}; preparing and starting instance "news"…`);
    instance = await startInstanceOnOwnDatabase("news", env);
    setTarget(port);
    await client.connect();
    log(`newsletter: seeding ${NEWSLETTER_RECIPIENTS} opted-in customers (${NEWSLETTER_SEND} also to 'offers')…`);
    const seedMs = await seed(client);
    const cookie = await staffSessionOf(await scrapeLoginForm(), "marketing", DEMO.password);
    const statusOf = async (id: string) =>
      (await client.query<{ status: string }>("select status from newsletters where id = $1", [id])).rows[0].status;

    // ---- 1. queueing --------------------------------------------------------------------------
    await sink.phase("queueing");
    const readers = readLoop("/console/marketing", cookie, NEWSLETTER_PAGE_CLIENTS);
    // Warm-up (the first renders pay for compilation and caches), then 3 s of quiet reads.
    await sleep(2000);
    const quietFrom = now();
    await sleep(3000);
    const quietUntil = now();
    const subjectQ = `Bench queueing ${Date.now()}`;
    log(
      `newsletter: sending to 'newsletter' through the console while ${NEWSLETTER_PAGE_CLIENTS} clients read the page…`,
    );
    const q = await sendThroughConsole(cookie, "newsletter", subjectQ);
    const idQ = await newsletterId(client, subjectQ);
    await waitFor("the newsletter to be queued", async () => (await statusOf(idQ)) === "queued", 20, 120_000);
    const queuedAt = now();
    await readers.stop();
    const sentDuringQueueing = sink.count();
    const quiet = pageFigures(
      readers.reads.filter((r) => r.at >= quietFrom && r.at < quietUntil).map((r) => r.ms),
      0,
    );
    const during = pageFigures(
      readers.reads.filter((r) => r.at >= q.started && r.at < queuedAt).map((r) => r.ms),
      readers.errors(),
    );
    const { rows: qRows } = await client.query<{ rows: number; counted: number }>(
      `select (select count(*)::int from mail_outbox where newsletter_id = $1) as rows,
              (select recipients from newsletters where id = $1) as counted`,
      [idQ],
    );
    // The rest of this send would compete with the delivery measured next: stop it here.
    await client.query("update mail_outbox set status = 'suppressed' where newsletter_id = $1 and status = 'pending'", [
      idQ,
    ]);
    await waitFor(
      "the first send's rows in flight",
      async () =>
        (
          await client.query<{ n: number }>(
            "select count(*)::int as n from mail_outbox where newsletter_id = $1 and status = 'sending'",
            [idQ],
          )
        ).rows[0].n === 0,
      50,
      60_000,
    );
    const queueReport = await sink.report("queueing");
    log(
      `newsletter: queued ${qRows[0].rows} in ${f0(queuedAt - q.started)} ms; page p95 ${f0(during.p95)} ms (quiet ${f0(quiet.p95)} ms)`,
    );

    // ---- 2. delivery, with opt-outs during it --------------------------------------------------
    const { rows: audience } = await client.query<{ user_id: string; email: string }>(
      `select s.user_id, u.email from subscriptions s join users u on u.id = s.user_id
       where s.topic_id = 'offers' and s.status = 'granted' and u.email is not null`,
    );
    const optOutCount = Math.max(1, Math.round(audience.length / 100));
    const chosen = [...audience].sort(() => Math.random() - 0.5).slice(0, optOutCount);
    process.env.AUTH_SECRET = env.AUTH_SECRET;
    process.env.UNSUBSCRIBE_SECRET = env.UNSUBSCRIBE_SECRET;
    const { signUnsubscribeToken } = await import("../../lib/preferences/tokens");
    const { rows: topic } = await client.query<{ code: number }>("select code from email_topics where id = 'offers'");
    const optOuts = chosen.map((p) => ({ ...p, token: signUnsubscribeToken(p.user_id, topic[0].code), answeredAt: 0 }));

    await sink.phase("worker");
    const serverTicks = processTicks(instance.child.pid!);
    const subjectD = `Bench delivery ${Date.now()}`;
    log(
      `newsletter: sending to ${audience.length} on 'offers'; ${optOuts.length} of them opt out one-click during the delivery…`,
    );
    const d = await sendThroughConsole(cookie, "offers", subjectD);
    const idD = await newsletterId(client, subjectD);
    // One opt-out each time another 1/(n+1) of the audience has arrived, answered before the next.
    let fired = 0;
    let delivered = false;
    const optOutLoop = (async () => {
      while (fired < optOuts.length && !delivered) {
        // Spread over the send, leaving room at the end for the mails that opt-outs suppress.
        const due = ((fired + 1) * audience.length) / (optOuts.length + 2);
        if (sink.count() < due) {
          await sleep(2);
          continue;
        }
        const o = optOuts[fired++];
        const res = await request(
          "POST",
          `/u/${o.token}`,
          { "content-type": "application/x-www-form-urlencoded" },
          Buffer.from("List-Unsubscribe=One-Click"),
        );
        if (res.status !== 200) throw new Error(`one-click unsubscribe answered ${res.status}`);
        o.answeredAt = now();
      }
    })();
    await waitFor("the second newsletter to be queued", async () => (await statusOf(idD)) === "queued", 20, 120_000);
    await waitFor(
      "the delivery",
      async () =>
        (
          await client.query<{ n: number }>(
            "select count(*)::int as n from mail_outbox where newsletter_id = $1 and status in ('pending', 'sending')",
            [idD],
          )
        ).rows[0].n === 0,
      // Seldom: the count is the database's work during the worker's timing (the end is the sink's last arrival).
      500,
      300_000,
    );
    delivered = true;
    const workerCpuMs = ticksToMs(processTicks(instance.child.pid!) - serverTicks);
    await optOutLoop;
    const worker = await sink.report(
      "worker",
      optOuts.map((o) => o.email),
    );
    const { rows: outcome } = await client.query<{ status: string; n: number }>(
      "select status, count(*)::int as n from mail_outbox where newsletter_id = $1 group by status",
      [idD],
    );
    const of = (s: string) => outcome.find((o) => o.status === s)?.n ?? 0;
    let afterOptOut = 0;
    let worstLateMs = 0;
    let alreadySent = 0;
    let suppressedOptOuts = 0;
    for (const o of optOuts.filter((x) => x.answeredAt > 0)) {
      const arrivals = worker.watched[o.email.toLowerCase()] ?? [];
      const late = arrivals.filter((at) => at > o.answeredAt);
      afterOptOut += late.length;
      for (const at of late) worstLateMs = Math.max(worstLateMs, at - o.answeredAt);
      if (arrivals.some((at) => at <= o.answeredAt)) alreadySent++;
      else if (late.length === 0) suppressedOptOuts++;
    }
    log(
      `newsletter: worker delivered ${worker.count} in ${f0(worker.last - worker.first)} ms; now the bare nodemailer loop…`,
    );

    // ---- 3. the bare nodemailer loop -------------------------------------------------------------
    await sink.phase("bare-warmup");
    const bare = await new Promise<{ errors: number; cpuMs: number }>((resolve, reject) => {
      const child: ChildProcess = fork(path.join("bench", "bare-mail-loop.ts"), [], {
        execArgv: SERVER_ARGS,
        env: { ...env, BENCH_NEWSLETTER_ID: idD, BENCH_SINK_URL: sink.url, NODE_ENV: "production" },
        stdio: ["ignore", "inherit", "inherit", "ipc"],
      });
      child.on("message", (m: { type: string; errors?: number; cpuMs?: number }) => {
        if (m.type === "warm") void sink.phase("bare").then(() => child.send({ type: "go" }));
        else if (m.type === "done") resolve({ errors: m.errors ?? 0, cpuMs: m.cpuMs ?? NaN });
      });
      child.on("error", reject);
      child.on("exit", (code) => {
        if (code !== 0) reject(new Error(`bench/bare-mail-loop.ts exited with ${code}`));
      });
    });
    // The last arrivals are counted once the sink has them all (the loop's last sends end with them).
    await sleep(200);
    const bareReport = await sink.report("bare");

    return {
      recipients: qRows[0].rows,
      seedMs,
      queueMs: queuedAt - q.started,
      answerMs: q.answered - q.started,
      queued: qRows[0].rows,
      counted: qRows[0].counted,
      sentDuringQueueing,
      quiet,
      during,
      queueDuplicates: queueReport.duplicateRecipients + queueReport.duplicateMessageIds,
      send: {
        recipients: audience.length,
        worker,
        bare: bareReport,
        bareErrors: bare.errors,
        endToEndMs: worker.last - d.answered,
        optOuts: optOuts.filter((o) => o.answeredAt > 0).length,
        optOutsAlreadySent: alreadySent,
        optOutsSuppressed: suppressedOptOuts,
        afterOptOut,
        worstLateMs,
        suppressed: of("suppressed"),
        failed: of("failed"),
        workerCpuMsPerMail: workerCpuMs / Math.max(1, worker.count),
        bareCpuMsPerMail: bare.cpuMs / Math.max(1, bareReport.count),
      },
      wallMs: performance.now() - started,
      load: [loadBefore, loadavg()[0]],
    };
  } finally {
    setTarget(previousPort);
    await client.end().catch(() => {});
    if (instance) await stopInstance(instance).catch(() => {});
    sink.stop();
    await dropTestDatabase(db.name).catch((err) => console.error(`[bench] dropping ${db.name} failed:`, err));
  }
}

const rate = (r: SinkReport) => (r.count > 1 ? ((r.count - 1) * 1000) / (r.last - r.first) : NaN);

export function reportNewsletter(f: NewsletterFigures) {
  console.log("");
  console.log(
    `Part 8 — a send that keeps up (issue 12): ${f.recipients.toLocaleString("en-US")} opted-in customers seeded in ` +
      `${f1(f.seedMs / 1000)} s; newsletters sent through the console's server action on an instance of its own, ` +
      `the mail worker sending to an SMTP sink on loopback (${f1(f.wallMs / 1000)} s in all; load average ` +
      `${f1(f.load[0])} → ${f1(f.load[1])} on this machine: rates are only comparable within the run)`,
  );
  const sd = f.send;
  const workerRate = rate(sd.worker);
  const bareRate = rate(sd.bare);
  const ratio = workerRate / bareRate;
  const met = (ok: boolean) => (ok ? "met" : "MISSED");
  table(
    ["figure", "value", "goal", ""],
    [
      [
        `queueing ${f.queued.toLocaleString("en-US")} rows (send POST → 'queued')`,
        `${f0(f.queueMs)} ms`,
        `≤ ${GOAL.newsletterQueueMs} ms`,
        met(f.queueMs <= GOAL.newsletterQueueMs),
      ],
      [
        `/console/marketing during it: p50 / p95 (${f.during.n} reads, ${f.during.errors} errors)`,
        `${f0(f.during.p50)} / ${f0(f.during.p95)} ms`,
        `p95 < ${GOAL.newsletterPageP95Ms} ms`,
        met(f.during.p95 < GOAL.newsletterPageP95Ms && f.during.errors === 0),
      ],
      [`  the same page, quiet, before it: p50 / p95`, `${f0(f.quiet.p50)} / ${f0(f.quiet.p95)} ms`, "", ""],
      [`  the send POST answered after`, `${f0(f.answerMs)} ms`, "", ""],
      [
        `  recipients counted / rows queued; mails sent meanwhile`,
        `${f.counted} / ${f.queued}; ${f.sentDuringQueueing}`,
        "equal",
        met(f.counted === f.queued),
      ],
      [
        `delivery, worker: ${sd.worker.count.toLocaleString("en-US")} mails (first → last arrival)`,
        `${f0(workerRate)} mails/s`,
        "",
        "",
      ],
      [
        `delivery, bare nodemailer loop: ${sd.bare.count.toLocaleString("en-US")} mails (${sd.bareErrors} errors)`,
        `${f0(bareRate)} mails/s`,
        "",
        "",
      ],
      [
        `  worker ÷ bare loop`,
        `${f2(ratio)}×`,
        `≥ ${GOAL.newsletterDeliveryRatio}×`,
        met(ratio >= GOAL.newsletterDeliveryRatio),
      ],
      [`  send POST answered → last arrival`, `${f0(sd.endToEndMs)} ms`, "", ""],
      [
        `duplicates (same recipient + Subject, same Message-ID)`,
        `${sd.worker.duplicateRecipients} / ${sd.worker.duplicateMessageIds}; queueing send ${f.queueDuplicates}`,
        "0",
        met(sd.worker.duplicateRecipients + sd.worker.duplicateMessageIds + f.queueDuplicates === 0),
      ],
      [
        `mails after an opt-out was answered (${sd.optOuts} one-click opt-outs during the send)`,
        `${sd.afterOptOut}${sd.afterOptOut ? ` (latest ${f1(sd.worstLateMs)} ms after)` : ""}`,
        "0",
        met(sd.afterOptOut === 0),
      ],
      [
        `  of those opted out: mail already sent before / suppressed`,
        `${sd.optOutsAlreadySent} / ${sd.optOutsSuppressed}`,
        "",
        "",
      ],
      [`  rows suppressed / failed in the send`, `${sd.suppressed} / ${sd.failed}`, "", ""],
      [
        `  CPU per mail: server process (worker) / bare loop process`,
        `${f2(sd.workerCpuMsPerMail)} / ${f2(sd.bareCpuMsPerMail)} ms`,
        "",
        "",
      ],
    ],
  );
}

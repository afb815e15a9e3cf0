/**
 * `npm run bench`: figures, not pass/fail. Starts its own production server (server.ts) on spare
 * ports with a throwaway database, drives it over real HTTPS, prints a table and cleans up.
 *
 *   npm run bench                                  embedded PGlite (in-process WASM Postgres): parts 1–3
 *                                                  and 6
 *   BENCH_DB=postgres npm run bench                a fresh database on the local Postgres server: parts
 *                                                  1–3 and 6 (Lighthouse, ~1–2 min), then part 4 (seeds
 *                                                  1,000,000 customers; ~+2–4 min), then part 5 (support
 *                                                  chat, two instances; ~+2 min)
 *   BENCH_DB=postgres npm run bench -- --export-only   part 4 alone
 *   BENCH_DB=postgres npm run bench -- --chat-only     part 5 alone (both flags: parts 4 and 5)
 *   BENCH_DB=postgres BENCH_EXPORT=0 npm run bench     parts 1–3, 6 and 5 (BENCH_CHAT=0 skips part 5)
 *   npm run bench -- --privacy-only                the quick run: part 1 with the floor and /privacy
 *                                                  only, /privacy's first-load JS, then part 6
 *   BENCH_DB=postgres npm run bench -- --console-only  part 7 alone (no build, no server; ~2–3 min)
 *   BENCH_DB=postgres npm run bench -- --newsletter-only  part 8 alone (a build and its own server;
 *                                                  ~1–2 min)
 *   npm run bench -- --two-step-only               part 9 alone (a build and the server; either database)
 *   A full BENCH_DB=postgres run ends with part 8 (BENCH_NEWSLETTER=0 skips it), then part 7
 *   (BENCH_CONSOLE=0 skips it).
 *   Part 6 (Lighthouse) runs right after parts 1–3 (or --privacy-only) on either database and is
 *   printed last; BENCH_LIGHTHOUSE=0 skips it.
 *
 * The bench builds into and serves from its own folder, NEXT_DIST_DIR (default .next-bench; see
 * next.config.mjs), so it never disturbs .next under a running server or e2e run. (`next build`
 * adds that folder's types to tsconfig.json's "include" the first time.) It builds with
 * MYACCOUNT_BENCH_BUILD=1, which makes next.config.mjs route the `*.bench.tsx` pages of
 * app/bench-floor: the floors exist in this build only, never in what `npm start` serves.
 * The build is made (`next build`) when the folder has none, lacks the bench pages, or is older
 * than a source file under app/, components/, lib/ or db/; BENCH_BUILD=1 forces a fresh one,
 * BENCH_BUILD=0 keeps a stale one. (Part 4 signs unsubscribe tokens with lib/ as it is now, so it
 * needs a build of the same code.)
 *
 * What it measures
 *   1. Pages at a fixed concurrency (autocannon, BENCH_CONNECTIONS=10, BENCH_DURATION=10 s per
 *      page): the bare floor page (app/bench-floor), GET /login (signed out), GET /account
 *      (signed in as demo), GET /account/profile (signed in as a bench customer), GET
 *      /console/customers/<demo> (the staff console's customer page, signed in as the demo rep
 *      after stating a reason through the no-JS form; issue 10's goal ≤ 1.5× the floor) and GET /privacy
 *      (signed out; the privacy issue's goal is ≤ 1.2× the floor's CPU). Every page is
 *      first warmed up (BENCH_WARMUP=3 s), so the first one measured does not pay for the JIT; then
 *      each page's time is split over BENCH_ROUNDS=2 alternating rounds, so a neighbour's load that
 *      comes and goes hits every page alike.
 *      For each: requests/s, p50/p95/p99 latency, and the server process's CPU milliseconds per
 *      request (utime+stime from /proc/<pid>/stat around each sample, over responses completed).
 *      On Postgres the database backends' CPU is shown separately (other processes); PGlite's is
 *      inside the server's. A further row, the floor signed in, splits /account's cost into
 *      "reading the session" and "the page itself". Then /privacy's first-load JS, measured as
 *      part 3's is.
 *   2. Sign-ins: 16 workers, each signing in as its own customer in a loop (the real no-JS server
 *      action POST to /login; success = 303 + a session cookie) for BENCH_LOGIN_DURATION=10 s,
 *      while a light fixed-rate load reads /login and /account; prints logins/s and those pages'
 *      p95.
 *   3. Edit Profile (issue 3): the name save, BENCH_SAVE_CLIENTS=20 concurrent clients, each a
 *      different signed-in bench customer looping on the real no-JS server action POST (the
 *      `$ACTION_*` fields scraped from the rendered /account/profile, the section's `version`
 *      read from the page and bumped after each save; success = "Your name was saved." in the
 *      answer, conflicts and failures counted apart), beside its floor: a bare server action doing
 *      one UPDATE (app/bench-floor/action, in the bench build only and live only with
 *      BENCH_ENDPOINTS=1, which the bench sets),
 *      posted the same way. BENCH_SAVE_DURATION=10 s each, alternating rounds, after a warm-up.
 *      Also the first-load JS of /account/profile, gzip -9 per chunk, from the build's
 *      diagnostics/route-bundle-stats.json, against the JS every route shares.
 *   4. Marketing export and one-click unsubscribe (issue 4), only with BENCH_DB=postgres (the
 *      COPY path; BENCH_EXPORT=0 skips it, --export-only runs it alone): seeds BENCH_CUSTOMERS=
 *      1,000,000 customers with set-based SQL (two-thirds opted in to 'offers', each with its
 *      consent_events row), then downloads GET /console/marketing/export?topic=offers as the demo
 *      `marketing` user (wall time, first byte, the server's RSS growth sampled every 50 ms and its
 *      VmHWM, server and DB CPU) beside `psql -c "\copy (same SELECT) to /dev/null csv"` (the
 *      SELECT and its session setup printed by bench/export-select.ts from lib/marketing/export.ts),
 *      BENCH_EXPORT_REPEATS=2 times each, alternating, best of each compared; row counts must
 *      match. One more app download asks for gzip as a browser does (for information). Then
 *      one-click unsubscribe POSTs (RFC 8058 body, a different opted-in customer per request, the
 *      tokens signed like the app's) at BENCH_UNSUB_RATE=200 requests/s for BENCH_UNSUB_DURATION=
 *      10 s: with autocannon's overallRate, and again evenly paced (open loop).
 *   5. Support chat (issue 5), only with BENCH_DB=postgres (two instances share one database and
 *      its LISTEN/NOTIFY; on PGlite the run says so; BENCH_CHAT=0 skips it, --chat-only runs it
 *      alone): starts a second server.ts (B: its own ports and DATA_DIR, the same DATABASE_URL and
 *      secrets). BENCH_CHAT_MESSAGES=1,000 visitor messages sent on A (POST /api/chat/send, 20
 *      per chat, so 50 chats, each visitor from a loopback address of its own so the app's
 *      per-address limits apply unchanged), evenly paced at BENCH_CHAT_RATE=50/s; the demo `rep`
 *      has taken the chats on B and follows them in SSE streams there (20 chats per stream). Each
 *      message: from its send being answered (committed) to B's stream delivering that
 *      conversation:seq, p50/p99 (and min: the stream may win the race), lost (not delivered in
 *      20 s) and duplicated; beside it the raw NOTIFY round trip (LISTEN on one connection,
 *      `select pg_notify` on another) at the same pace in the same run. Then BENCH_CHAT_STREAMS=
 *      500 visitors (chats started on A) hold idle streams on B, opened in steps (100, 300, 500
 *      after a first round of 100 opened and closed): B's RSS after forced full collections
 *      (bench/lib/gc-signal.mjs, loaded with --expose-gc; young generation pinned) at each step,
 *      the figure being RSS per stream from 100 to 500, beside a bare Node HTTPS SSE endpoint
 *      (bench/sse-floor.ts, same Node flags and certificate) holding as many streams, measured
 *      the same way in five fresh processes (the median counts).
 *   6. Lighthouse (the pinned devDependency's CLI, default mobile settings) on /privacy and /login
 *      (signed out) and /account (the demo session's cookie sent as an extra header), one page at a
 *      time after the load parts: performance and accessibility scores (goals ≥ 95 and 100), FCP,
 *      LCP, TBT, CLS, the accessibility audits that fail and, for a page under the performance goal,
 *      its main-thread time with the heaviest scripts. It drives Chromium at CHROME_PATH
 *      (default /usr/bin/chromium) headless, without sandbox, ignoring the self-signed
 *      certificate's errors.
 *   7. Find a customer (issue 10), only with BENCH_DB=postgres (BENCH_CONSOLE=0 skips it,
 *      --console-only runs it alone, without building or starting the server): on a database of its
 *      own, BENCH_CUSTOMERS=1,000,000 synthetic customers (lib/demo/synthetic.ts: users and service
 *      addresses, COPY into staging and set-based INSERTs, the secondary indexes built after the
 *      load, then VACUUM ANALYZE), then lib/console/search.ts's searchCustomers() timed
 *      BENCH_CONSOLE_QUERIES=500 times per kind of search (name prefix, first + last prefixes, an
 *      accented name, the last page (25) of a name, account number, e-mail, phone), a different customer's
 *      details each time, each beside a bare primary-key lookup through the same pool: p50/p95/p99
 *      (goal p95 ≤ 50 ms), and the EXPLAIN (ANALYZE, BUFFERS) of each statement one search of each
 *      kind sends (bench/figures/console.ts, bench/console-search.ts).
 *   8. A send that keeps up (issue 12), only with BENCH_DB=postgres (BENCH_NEWSLETTER=0 skips it,
 *      --newsletter-only runs it alone): a second server.ts ("news") on a database of its own, its
 *      SMTP_URL pointing at an SMTP sink on loopback (bench/smtp-sink.ts, a child process counting
 *      arrivals per recipient and per Message-ID). BENCH_NEWSLETTER_RECIPIENTS=100,000 customers
 *      opted in (set-based SQL); the demo `marketing` user previews and sends a newsletter through
 *      the console's real no-JS server action, so the queueing (lib/marketing/queue.ts) runs in the
 *      server process: time from the send POST to status 'queued' (goal ≤ 5 s) while
 *      BENCH_NEWSLETTER_PAGE_CLIENTS=4 clients read /console/marketing in a closed loop (p50/p95,
 *      goal p95 < 500 ms; the worker sends meanwhile, as in production, and the rest of that send is
 *      then suppressed by SQL). Then a second newsletter to BENCH_NEWSLETTER_SEND=20,000 of them:
 *      the worker's delivery rate at the sink (first to last arrival) while 1% of its recipients
 *      opt out one-click (POST /u/<token>) as it goes, beside bench/bare-mail-loop.ts, a bare
 *      nodemailer loop sending the same messages over the same transport options to the same sink
 *      (goal worker ≥ 0.8× it); duplicates and mails arriving after an opt-out was answered (goal 0
 *      each) (bench/figures/newsletter.ts).
 *   9. Two-step sign-in (issue 13; after part 2 in a full run, BENCH_TWO_STEP=0 skips it,
 *      --two-step-only runs it alone, either database): the server's CPU (and the database
 *      backends') per sign-in of three kinds, in alternating rounds (BENCH_ROUNDS ×
 *      BENCH_TWO_STEP_SIGNINS=20, BENCH_TWO_STEP_CONCURRENCY=4 at a time): password only (POST
 *      /login), password + authenticator code (POST /login, GET and the no-JS POST of /login/verify)
 *      and passkey alone (the two server-action calls of "Sign in with a passkey", signed by
 *      lib/test/soft-authenticator.ts). Its customers get two-step through /account/security's
 *      own actions first (bench/figures/two-step.ts, bench/lib/actions.ts).
 * The Postgres databases are dropped at the end.
 *
 * The client (autocannon, the sign-in and save workers, the export download, psql) runs on the
 * same machine as the server, and other work on the machine shows up too: the tables say how
 * many cores each used. Treat single runs as noisy.
 * Where things are: this file runs the parts and prints the header and footer; bench/figures/ has
 * one module per figure family (pages, sign-ins, profile saves, first-load JS, export,
 * unsubscribe, chat), each measuring and printing its own table; bench/lib/ the shared runner
 * (settings, build, servers, HTTPS client and form scraping, load generation, CPU accounting,
 * percentiles, tables). bench/prepare-db.ts, bench/export-select.ts, bench/sse-floor.ts,
 * bench/smtp-sink.ts and bench/bare-mail-loop.ts run as child processes.
 *
 * Env: BENCH_DB, BENCH_PORT (3543), BENCH_HTTP_PORT (3581), BENCH_CONNECTIONS, BENCH_DURATION,
 * BENCH_WARMUP, BENCH_ROUNDS, BENCH_LOGIN_WORKERS (16), BENCH_LOGIN_DURATION, BENCH_SAVE_CLIENTS,
 * BENCH_SAVE_DURATION, BENCH_EXPORT, BENCH_CUSTOMERS, BENCH_EXPORT_REPEATS, BENCH_UNSUB_RATE,
 * BENCH_UNSUB_DURATION, BENCH_CHAT, BENCH_CHAT_MESSAGES, BENCH_CHAT_RATE, BENCH_CHAT_STREAMS,
 * BENCH_LIGHTHOUSE, CHROME_PATH, BENCH_BUILD, NEXT_DIST_DIR, PG_ADMIN_URL, BENCH_CONSOLE,
 * BENCH_CONSOLE_QUERIES, BENCH_CONSOLE_WARMUP, BENCH_NEWSLETTER, BENCH_NEWSLETTER_RECIPIENTS,
 * BENCH_NEWSLETTER_SEND, BENCH_NEWSLETTER_PAGE_CLIENTS, BENCH_TWO_STEP, BENCH_TWO_STEP_SIGNINS,
 * BENCH_TWO_STEP_CONCURRENCY.
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { PG_ADMIN_URL, createTestDatabase } from "../lib/test/pg-admin";
import { measureChat, reportChat, type ChatFigures } from "./figures/chat";
import { measureConsole, reportConsole, type ConsoleFigures } from "./figures/console";
import { measureExport, reportExport, type ExportFigures } from "./figures/export";
import { measureLighthouse, reportLighthouse, type LighthouseRow } from "./figures/lighthouse";
import { measureNewsletter, reportNewsletter, type NewsletterFigures } from "./figures/newsletter";
import { measurePages, reportPages, type PageRow } from "./figures/pages";
import { measureSaves, reportProfile, type SaveFigures } from "./figures/profile";
import { measureLogins, reportLogins, type LoginFigures } from "./figures/sign-ins";
import { measureTwoStep, reportTwoStep, type TwoStepFigures } from "./figures/two-step";
import { measureUnsubscribe, reportUnsubscribe, type UnsubFigures } from "./figures/unsubscribe";
import { buildEnv, ensureBuild, newerSource, readBuildId } from "./lib/build";
import { unwatchDatabase, watchDatabase } from "./lib/cpu";
import { request, setTarget, target } from "./lib/http";
import { log } from "./lib/log";
import { cleanup, serverLogProblems, serverLogTail, sparePort, startServer, state } from "./lib/server";
import {
  CHAT_ONLY,
  CONSOLE_ONLY,
  DB_KIND,
  DEMO,
  DIST_DIR,
  EXPORT_ONLY,
  NEWSLETTER_ONLY,
  HTTP_PORT as PREFERRED_HTTP_PORT,
  PORT as PREFERRED_PORT,
  PRIVACY_ONLY,
  RUN_CHAT,
  RUN_CONSOLE,
  RUN_EXPORT,
  RUN_LIGHTHOUSE,
  RUN_NEWSLETTER,
  RUN_PAGES,
  RUN_TWO_STEP,
  TWO_STEP_ONLY,
} from "./lib/settings";
import { scrapeLoginForm, sessionOf, staffSessionOf } from "./lib/sign-in";

if (EXPORT_ONLY && !RUN_EXPORT) {
  console.error("[bench] --export-only needs BENCH_DB=postgres (and not BENCH_EXPORT=0)");
  process.exit(2);
}
if (CHAT_ONLY && !RUN_CHAT) {
  console.error("[bench] --chat-only needs BENCH_DB=postgres (and not BENCH_CHAT=0)");
  process.exit(2);
}
if (NEWSLETTER_ONLY && !RUN_NEWSLETTER) {
  console.error("[bench] --newsletter-only needs BENCH_DB=postgres (and not BENCH_NEWSLETTER=0)");
  process.exit(2);
}
if (CONSOLE_ONLY && !RUN_CONSOLE) {
  console.error("[bench] --console-only needs BENCH_DB=postgres (and not BENCH_CONSOLE=0)");
  process.exit(2);
}

const root = path.resolve(import.meta.dirname, "..");
process.chdir(root);

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    console.error(`\n[bench] ${signal}: cleaning up`);
    void cleanup().finally(() => process.exit(130));
  });
}

/** Part 7 alone: no build, no server; the search runs in a child process on its own database. */
async function consoleOnly() {
  const startedAt = performance.now();
  const figures = await measureConsole();
  console.log("");
  console.log(`MyAccount benchmark — part 7 only, Postgres, ${cpus().length} cores, node ${process.version}`);
  console.log(`Figures, not pass/fail. Client and database share this machine.`);
  reportConsole(figures);
  console.log("");
  console.log(
    `  load average at the end: ${loadavg()
      .map((l) => l.toFixed(2))
      .join(" ")}; total bench time ${((performance.now() - startedAt) / 1000).toFixed(0)} s`,
  );
  console.log("");
}

/** Part 8 alone: the build, then its own server on its own database (the first server is not started). */
async function newsletterOnly(env: NodeJS.ProcessEnv, startedAt: number, buildId: string | undefined) {
  const figures = await measureNewsletter(env);
  console.log("");
  console.log(
    `MyAccount benchmark — part 8 only, Postgres, ${cpus().length} cores, node ${process.version}, build ${DIST_DIR} ${buildId}`,
  );
  console.log(`Figures, not pass/fail. Client, sink, server and database share this machine.`);
  reportNewsletter(figures);
  printRunFooter(startedAt);
}

async function main() {
  if (CONSOLE_ONLY) return consoleOnly();
  const startedAt = performance.now();
  ensureBuild();
  const buildId = readBuildId();
  const stale = newerSource();
  if (stale)
    log(
      `NOTE: ${stale} is newer than the build in ${DIST_DIR} (BENCH_BUILD=0): the figures are for the code as it was built.`,
    );
  const port = await sparePort(PREFERRED_PORT);
  const httpPort = await sparePort(PREFERRED_HTTP_PORT, [port]);
  setTarget(port);
  state.tmp = mkdtempSync(path.join(tmpdir(), "myaccount-bench-"));
  const env: NodeJS.ProcessEnv = {
    ...buildEnv(),
    PORT: String(port),
    HTTP_PORT: String(httpPort),
    LISTEN_HOST: "127.0.0.1",
    DATA_DIR: state.tmp,
    AUTH_SECRET: `bench-${randomBytes(24).toString("hex")}`,
    DATA_ENCRYPTION_KEY: randomBytes(32).toString("base64"),
    // Unsubscribe tokens (and the export's URLs) are signed with this when set, else AUTH_SECRET;
    // the bench signs its one-click tokens with the same.
    UNSUBSCRIBE_SECRET: `bench-unsub-${randomBytes(24).toString("hex")}`,
    // Every sign-in comes from 127.0.0.1; failures must not lock the address out mid-run.
    LOGIN_MAX_FAILURES_PER_IP: "1000000",
    // Sessions signed in at the start are used again phases later: no idle timeout mid-run.
    IDLE_TIMEOUT_CUSTOMER_MINUTES: "600",
    IDLE_TIMEOUT_STAFF_MINUTES: "600",
    SMTP_URL: "",
    // Mail (each profile save queues one) goes to the local mailbox table on both databases, so
    // the mail worker does the same work on PGlite and Postgres (the server listens on loopback).
    LOCAL_MAILBOX: "on",
    // Turns on app/bench-floor/action (the bare server action), which only the bench build has;
    // the action checks it too, as a second lock.
    BENCH_ENDPOINTS: "1",
  };
  delete env.PGLITE_DIR;
  delete env.TLS_CERT;
  delete env.TLS_KEY;
  delete env.APP_URL;
  if (NEWSLETTER_ONLY) return newsletterOnly(env, startedAt, buildId);
  if (DB_KIND === "postgres") {
    const db = await createTestDatabase("myaccount_bench");
    state.dbName = db.name;
    env.DATABASE_URL = db.url;
    env.SEED_DEMO = "always";
    const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
    await admin.connect();
    watchDatabase(admin);
    log(`database: ${db.name} on ${new URL(PG_ADMIN_URL).host}`);
  } else {
    env.DATABASE_URL = "";
    env.SEED_DEMO = "auto";
    log(`database: embedded PGlite in ${state.tmp}`);
  }

  log(`preparing the database and starting the server (build ${DIST_DIR})…`);
  const server = await startServer(env);
  log(
    `server pid ${server.pid} is up at ${target.origin} (${((performance.now() - startedAt) / 1000).toFixed(0)} s in)`,
  );

  // Sanity checks: the pages answer what they should before anything is timed.
  const floor = await request("GET", "/bench-floor");
  if (floor.status !== 200 || !floor.body.includes("Benchmark floor"))
    throw new Error(`/bench-floor answered ${floor.status}; is it in the build?`);
  const form = await scrapeLoginForm();
  const demoCookie = await sessionOf(form, DEMO.identifier, DEMO.password);
  const account = await request("GET", "/account", { cookie: demoCookie });
  if (account.status !== 200 || !account.body.includes("Welcome"))
    throw new Error(`GET /account with the demo session answered ${account.status}`);

  let pages: PageRow[] = [];
  let twoStep: TwoStepFigures | undefined;
  let logins: LoginFigures | undefined;
  let saves: SaveFigures | undefined;
  if (RUN_PAGES) {
    pages = await measurePages(form, demoCookie);
    logins = await measureLogins(form, demoCookie);
    if (RUN_TWO_STEP) twoStep = await measureTwoStep(form);
    saves = await measureSaves(form);
  } else if (PRIVACY_ONLY) pages = await measurePages(form, demoCookie, true);
  else if (TWO_STEP_ONLY) twoStep = await measureTwoStep(form);
  // After the load parts, on a quiet server: Lighthouse times one page load at a time.
  let lighthouse: LighthouseRow[] | undefined;
  if (RUN_LIGHTHOUSE) lighthouse = await measureLighthouse(demoCookie);

  let exportFigures: ExportFigures | undefined;
  let unsub: UnsubFigures | undefined;
  if (RUN_EXPORT) {
    const marketingCookie = await staffSessionOf(form, "marketing", DEMO.password);
    exportFigures = await measureExport(env, marketingCookie);
    unsub = await measureUnsubscribe(env);
  }

  let chat: ChatFigures | undefined;
  if (RUN_CHAT) chat = await measureChat(env, form);

  let newsletter: NewsletterFigures | undefined;
  if (RUN_NEWSLETTER) newsletter = await measureNewsletter(env);

  let consoleFigures: ConsoleFigures | undefined;
  if (RUN_CONSOLE) consoleFigures = await measureConsole();

  // ---- report -------------------------------------------------------------------------------
  const pgRun = DB_KIND === "postgres";
  console.log("");
  console.log(
    `MyAccount benchmark — ${pgRun ? `Postgres (${state.dbName})` : "embedded PGlite"}, ${cpus().length} cores, node ${process.version}, build ${DIST_DIR} ${buildId}`,
  );
  if (stale)
    console.log(
      `NOTE: the build in ${DIST_DIR} is older than ${stale} (and maybe other sources): the figures are for the code as it was built.`,
    );
  const changed = newerSource();
  if (changed && changed !== stale)
    console.log(`NOTE: ${changed} changed during the run: the figures are for the code as it was built.`);
  if (readBuildId() !== buildId) {
    console.log(
      `NOTE: ${DIST_DIR} changed during the run (build id now ${readBuildId() ?? "missing"}): something rebuilt this folder, so these figures may be off.`,
    );
  }
  console.log(
    `Figures, not pass/fail. Client and server share this machine; other processes add noise (see "other" cores).`,
  );
  if (!pgRun) {
    console.log(
      `Part 4 (marketing export, one-click unsubscribe) runs only on Postgres: BENCH_DB=postgres npm run bench [-- --export-only].`,
    );
    console.log(
      `Part 5 (support chat: two instances, LISTEN/NOTIFY, idle streams) needs Postgres: BENCH_DB=postgres npm run bench [-- --chat-only].`,
    );
    console.log(
      `Part 7 (find a customer among a million) needs Postgres: BENCH_DB=postgres npm run bench [-- --console-only].`,
    );
    console.log(
      `Part 8 (newsletter queueing and delivery) needs Postgres: BENCH_DB=postgres npm run bench [-- --newsletter-only].`,
    );
  }
  if (logins && saves) {
    reportPages(pages, pgRun);
    reportLogins(logins, pages, pgRun);
    reportProfile(pages, saves, pgRun);
  } else if (pages.length) reportPages(pages, pgRun);
  if (twoStep) reportTwoStep(twoStep, pgRun);
  if (exportFigures && unsub) {
    reportExport(exportFigures);
    reportUnsubscribe(unsub);
  }
  if (chat) reportChat(chat);
  if (newsletter) reportNewsletter(newsletter);
  if (consoleFigures) reportConsole(consoleFigures);
  if (lighthouse) reportLighthouse(lighthouse);

  printRunFooter(startedAt);
}

try {
  await main();
} catch (err) {
  console.error(`\n[bench] failed: ${(err as Error).stack ?? err}`);
  const tail = serverLogTail(25);
  if (tail) console.error(`[bench] last lines of the server's log:\n${tail}`);
  for (const other of state.others) {
    const otherTail = serverLogTail(25, other.logFile);
    if (otherTail) console.error(`[bench] last lines of instance ${other.name}'s log:\n${otherTail}`);
  }
  process.exitCode = 1;
} finally {
  await unwatchDatabase();
  await cleanup();
}

/** The last lines of every run: what the server logged, and how busy the machine was. */
function printRunFooter(startedAt: number): void {
  const serverErrors = serverLogProblems();
  console.log("");
  console.log(
    `  server log: ${serverErrors.length} error/warning line(s)${serverErrors.length ? `, first: ${serverErrors.slice(0, 3).join(" | ").slice(0, 300)}` : ""}`,
  );
  console.log(
    `  load average at the end: ${loadavg()
      .map((l) => l.toFixed(2))
      .join(" ")}; total bench time ${((performance.now() - startedAt) / 1000).toFixed(0)} s`,
  );
  console.log("");
}

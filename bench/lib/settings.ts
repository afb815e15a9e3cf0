/**
 * Every knob of the bench in one place: the environment variables listed in bench/run.ts's header,
 * read once, and the goals the figures are printed against.
 */

const num = (name: string, fallback: number) => {
  const v = Number(process.env[name]);
  return Number.isFinite(v) && v > 0 ? v : fallback;
};

export const DB_KIND = process.env.BENCH_DB === "postgres" ? "postgres" : "pglite";
export const EXPORT_ONLY = process.argv.includes("--export-only");
export const CHAT_ONLY = process.argv.includes("--chat-only");
/** The quick run: part 1 with the floor and /privacy only, /privacy's first-load JS, then part 6. */
export const PRIVACY_ONLY = process.argv.includes("--privacy-only");
/** Part 7 (find a customer) alone: no build and no server, only its own database. */
export const CONSOLE_ONLY = process.argv.includes("--console-only");
/** Part 8 (newsletter queueing and delivery) alone: a build, and a server on a database of its own. */
export const NEWSLETTER_ONLY = process.argv.includes("--newsletter-only");
/** Part 9 (two-step sign-in CPU) alone: a build and the server, on either database. */
export const TWO_STEP_ONLY = process.argv.includes("--two-step-only");
/** Parts 1–3 run unless the run asks for part 4, 5, 7, 8 or 9 alone (or the quick /privacy run). */
export const RUN_PAGES =
  !EXPORT_ONLY && !CHAT_ONLY && !PRIVACY_ONLY && !CONSOLE_ONLY && !NEWSLETTER_ONLY && !TWO_STEP_ONLY;
/** Part 9 runs after part 2 in a full run (BENCH_TWO_STEP=0 skips it), or alone. */
export const RUN_TWO_STEP = TWO_STEP_ONLY || (RUN_PAGES && process.env.BENCH_TWO_STEP !== "0");
/** Part 4 needs the Postgres server (COPY, a million rows). */
export const RUN_EXPORT =
  DB_KIND === "postgres" &&
  process.env.BENCH_EXPORT !== "0" &&
  !PRIVACY_ONLY &&
  !TWO_STEP_ONLY &&
  !NEWSLETTER_ONLY &&
  (EXPORT_ONLY || (!CHAT_ONLY && !CONSOLE_ONLY));
/** Part 5 needs the Postgres server: two instances share one database and its LISTEN/NOTIFY. */
export const RUN_CHAT =
  DB_KIND === "postgres" &&
  process.env.BENCH_CHAT !== "0" &&
  !PRIVACY_ONLY &&
  !TWO_STEP_ONLY &&
  !NEWSLETTER_ONLY &&
  (CHAT_ONLY || (!EXPORT_ONLY && !CONSOLE_ONLY));
/** Part 7 needs the Postgres server (a million customers); BENCH_CONSOLE=0 skips it. */
export const RUN_CONSOLE =
  DB_KIND === "postgres" &&
  process.env.BENCH_CONSOLE !== "0" &&
  !PRIVACY_ONLY &&
  !TWO_STEP_ONLY &&
  !NEWSLETTER_ONLY &&
  (CONSOLE_ONLY || (!EXPORT_ONLY && !CHAT_ONLY));
/** Part 8 needs the Postgres server (100,000 recipients, a second instance); BENCH_NEWSLETTER=0 skips it. */
export const RUN_NEWSLETTER =
  DB_KIND === "postgres" &&
  process.env.BENCH_NEWSLETTER !== "0" &&
  !PRIVACY_ONLY &&
  !TWO_STEP_ONLY &&
  (NEWSLETTER_ONLY || (!EXPORT_ONLY && !CHAT_ONLY && !CONSOLE_ONLY));
/** Part 6 (Lighthouse) runs with parts 1–3 or --privacy-only, on either database. */
export const RUN_LIGHTHOUSE = process.env.BENCH_LIGHTHOUSE !== "0" && (RUN_PAGES || PRIVACY_ONLY);
/** The browser Lighthouse drives (Debian's chromium; Lighthouse reads CHROME_PATH). */
export const CHROME_PATH = process.env.CHROME_PATH || "/usr/bin/chromium";
/**
 * The build folder (next.config.mjs reads the same variable); the server is started with it. The
 * bench keeps a build of its own by default, so its rebuilds never pull .next from under a
 * running `npm start`, dev server or e2e run.
 */
export const DIST_DIR = process.env.NEXT_DIST_DIR || ".next-bench";
/** BENCH_BUILD=1 forces a fresh build, BENCH_BUILD=0 keeps a stale one (see lib/build.ts). */
export const BUILD = process.env.BENCH_BUILD;
// Preferred ports; when one is taken (another run, an e2e server) a free one is picked instead.
export const PORT = num("BENCH_PORT", 3543);
export const HTTP_PORT = num("BENCH_HTTP_PORT", 3581);
export const CONNECTIONS = num("BENCH_CONNECTIONS", 10);
export const DURATION = num("BENCH_DURATION", 10);
export const WARMUP = num("BENCH_WARMUP", 3);
/** Each page's DURATION is split over this many alternating rounds (floor, login, account, floor…). */
export const ROUNDS = num("BENCH_ROUNDS", 2);
export const LOGIN_WORKERS = num("BENCH_LOGIN_WORKERS", 16);
export const LOGIN_DURATION = num("BENCH_LOGIN_DURATION", 10);
export const SAVE_CLIENTS = num("BENCH_SAVE_CLIENTS", 20);
export const SAVE_DURATION = num("BENCH_SAVE_DURATION", 10);
/** Part 9: sign-ins of each kind per round, and how many at a time. */
export const TWO_STEP_SIGNINS = Math.floor(num("BENCH_TWO_STEP_SIGNINS", 20));
export const TWO_STEP_CONCURRENCY = Math.floor(num("BENCH_TWO_STEP_CONCURRENCY", 4));
export const CUSTOMERS = Math.floor(num("BENCH_CUSTOMERS", 1_000_000));
export const EXPORT_REPEATS = Math.floor(num("BENCH_EXPORT_REPEATS", 2));
export const UNSUB_RATE = num("BENCH_UNSUB_RATE", 200);
export const UNSUB_DURATION = num("BENCH_UNSUB_DURATION", 10);
export const UNSUB_CONNECTIONS = 20;
/** Part 5: customer messages timed from the send's answer to the rep's stream, sent at this rate. */
export const CHAT_MESSAGES = Math.floor(num("BENCH_CHAT_MESSAGES", 1000));
export const CHAT_RATE = num("BENCH_CHAT_RATE", 50);
/** Idle streams held by one instance for the memory figure (and by the bare endpoint). */
export const CHAT_STREAMS = Math.floor(num("BENCH_CHAT_STREAMS", 500));
/** Part 7: searches timed per kind (after BENCH_CONSOLE_WARMUP=50 untimed ones). */
export const CONSOLE_QUERIES = Math.floor(num("BENCH_CONSOLE_QUERIES", 500));
/** Part 8: opted-in customers the queueing newsletter goes to, and how many the delivery newsletter sends. */
export const NEWSLETTER_RECIPIENTS = Math.floor(num("BENCH_NEWSLETTER_RECIPIENTS", 100_000));
export const NEWSLETTER_SEND = Math.floor(num("BENCH_NEWSLETTER_SEND", 20_000));
/** Part 8: clients reading /console/marketing in a closed loop while the newsletter is queued. */
export const NEWSLETTER_PAGE_CLIENTS = Math.floor(num("BENCH_NEWSLETTER_PAGE_CLIENTS", 4));
/** The light page load running beside the sign-ins: per page, connections and requests/s. */
export const BACKGROUND = { connections: 2, rate: 10 };
export const SESSION_COOKIE = "__Secure-authjs.session-token";
export const DEMO = { identifier: "demo", password: "demo-password-2026" };
export const USER_AGENT =
  "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0.0.0 Safari/537.36 myaccount-bench";
export const GOAL = {
  cpuRatio: 1.5,
  /** The privacy issue: /privacy is nearly static, so it should cost little more than the floor. */
  privacyCpuRatio: 1.2,
  /** Lighthouse scores (0–100) for /privacy, /login and /account. */
  lighthousePerformance: 95,
  lighthouseAccessibility: 100,
  loginsPerSecond: 30,
  p95Ms: 200,
  /** Issue 3: first-load JS of /account/profile ≤ the JS every route shares + this much (gzip). */
  profileExtraJsBytes: 40 * 1024,
  /** Issue 4. */
  exportVsPsql: 1.3,
  exportRssMb: 100,
  exportFirstByteMs: 200,
  unsubP99Ms: 50,
  /** Issue 5 (support chat). */
  chatP50Ms: 5,
  chatP99Ms: 50,
  chatMemoryRatio: 1.5,
  /** Issue 10: find a customer at a million customers, each kind of search. */
  consoleSearchP95Ms: 50,
  /** Issue 12 (a send that keeps up). */
  newsletterQueueMs: 5000,
  newsletterPageP95Ms: 500,
  newsletterDeliveryRatio: 0.8,
};

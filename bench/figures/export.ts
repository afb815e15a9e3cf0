/**
 * Part 4 (issue 4), Postgres only: the marketing export of a million seeded customers through the
 * app (wall time, first byte, the server's memory and CPU) beside `psql \copy` of the same SELECT.
 */
import { execFileSync, spawn } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import https from "node:https";
import path from "node:path";
import { createGunzip } from "node:zlib";
import pg from "pg";
import { cpuDelta, cpuSnapshot, dbBackendTicks, type CpuDelta } from "../lib/cpu";
import { agent, request, target } from "../lib/http";
import { log } from "../lib/log";
import { state } from "../lib/server";
import { CUSTOMERS, EXPORT_REPEATS, GOAL, USER_AGENT } from "../lib/settings";
import { cores, f0, f1, f2, table } from "../lib/table";

/** The bulk customers' usernames: `cust1` … `custN`, account numbers 7000000001…, e-mails @bulk.example. */
async function seedCustomers(client: pg.Client): Promise<{ customers: number; optedIn: number; ms: number }> {
  const started = performance.now();
  const { FIRST_POLICY_VERSION } = await import("../../lib/policy/first");
  await client.query("set synchronous_commit = off");
  // One set-based statement: the people, then a 'register' grant in the consent ledger for two in
  // three of them, then their current state pointing at that event (as recordConsent would leave it).
  const firstNames = [
    "Ana",
    "Ben",
    "Chloé",
    "Dev",
    "Eun-ji",
    "Femi",
    "Grace",
    "Hugo",
    "Inés",
    "José",
    "Kai",
    "Li",
    "O'Brien",
    "Nguyễn",
    "Zoë",
    "Sam",
  ];
  const res = await client.query(
    `with people as (
       insert into users (role, username, account_number, email, first_name, last_name, registered_at, created_at, updated_at)
       select 'customer', 'cust' || g, (7000000000 + g)::text, 'cust' || g || '@bulk.example',
              ($2::text[])[1 + g % ${firstNames.length}], 'Customer',
              now() - (g % 3650) * interval '1 day', now(), now()
       from generate_series(1, $1::int) g
       returning id, account_number
     ), grants as (
       insert into consent_events (user_id, topic_id, action, source, actor_id, wording, wording_version, policy_version, ip, user_agent, created_at)
       select p.id, t.id, 'granted', 'register', p.id, t.wording, t.wording_version, $3, '', 'bench seed',
              now() - ((p.account_number::bigint % 89) + 1) * interval '1 day' - (p.account_number::bigint % 86400) * interval '1 second'
       from people p cross join email_topics t
       where t.id = 'offers' and p.account_number::bigint % 3 <> 0
       returning id, user_id, created_at, wording_version
     )
     insert into subscriptions (user_id, topic_id, status, source, opted_in_at, wording_version, last_event_id, updated_at)
     select user_id, 'offers', 'granted', 'register', created_at, wording_version, id, created_at from grants`,
    [CUSTOMERS, firstNames, FIRST_POLICY_VERSION],
  );
  log(
    `export: ${CUSTOMERS} customers and ${res.rowCount} opt-ins inserted in ${((performance.now() - started) / 1000).toFixed(1)} s; vacuum analyze…`,
  );
  // Fresh rows: set hint bits and the visibility map and give the planner statistics, so neither
  // the app's COPY nor psql's pays for that (whichever ran first would).
  await client.query("vacuum (analyze) users, consent_events, subscriptions");
  return { customers: CUSTOMERS, optedIn: res.rowCount ?? 0, ms: performance.now() - started };
}

function vmRssKb(pid: number, field = "VmRSS"): number {
  try {
    const m = readFileSync(`/proc/${pid}/status`, "utf8").match(new RegExp(`^${field}:\\s+(\\d+) kB`, "m"));
    return m ? Number(m[1]) : NaN;
  } catch {
    return NaN;
  }
}

/** Resets the process's peak RSS (VmHWM) to its current RSS; false when not allowed. */
function resetPeakRss(pid: number): boolean {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, "5");
    return true;
  } catch {
    return false;
  }
}

type AppExport = {
  status: number;
  /** The response's Content-Encoding ("identity" when none). */
  encoding: string;
  wallMs: number;
  headersMs: number;
  firstRowMs: number;
  bytes: number;
  rows: number;
  chunks: number;
  rssBaselineMb: number;
  rssPeakMb: number;
  rssEndMb: number;
  /** Peak RSS from the kernel (VmHWM after a reset), when /proc/<pid>/clear_refs was writable. */
  hwmPeakMb: number;
  cpu: CpuDelta;
};

/**
 * Downloads the CSV through the app as `cookie`, counting rows while sampling the server's RSS.
 * With `gzip` it asks for a compressed answer as a browser does (and counts rows after gunzip).
 */
async function appExport(cookie: string, gzip = false): Promise<AppExport> {
  const pid = state.server!.pid!;
  const mb = (kb: number) => kb / 1024;
  const hwm = resetPeakRss(pid);
  const baseline = vmRssKb(pid);
  let peak = baseline;
  const sampler = setInterval(() => {
    const kb = vmRssKb(pid);
    if (kb > peak) peak = kb;
  }, 50);
  const before = await cpuSnapshot();
  // The export may use a connection of its own that ends with it, and a backend that is gone
  // cannot be read: poll the database's backends during the download and keep each one's last
  // reading (the final ≤ 100 ms of a backend that ends between polls are missed).
  const seen = new Map(before.db);
  let polling = false;
  const dbPoller = setInterval(() => {
    if (polling) return;
    polling = true;
    void dbBackendTicks()
      .then((ticks) => {
        for (const [pid, t] of ticks) seen.set(pid, Math.max(t, seen.get(pid) ?? 0));
      })
      .catch(() => {})
      .finally(() => (polling = false));
  }, 100);
  const started = performance.now();
  try {
    const out = await new Promise<Omit<AppExport, "rssBaselineMb" | "rssPeakMb" | "rssEndMb" | "hwmPeakMb" | "cpu">>(
      (resolve, reject) => {
        const req = https.request(
          {
            host: "127.0.0.1",
            port: target.port,
            servername: "localhost",
            method: "GET",
            path: "/console/marketing/export?topic=offers",
            agent,
            // Without Accept-Encoding the CSV comes as is, like psql's; a browser asks for gzip.
            headers: {
              host: `localhost:${target.port}`,
              "user-agent": USER_AGENT,
              cookie,
              ...(gzip ? { "accept-encoding": "gzip" } : {}),
            },
            timeout: 600_000,
          },
          (res) => {
            const headersMs = performance.now() - started;
            let firstRowMs = NaN;
            let bytes = 0;
            let newlines = 0;
            let chunks = 0;
            const encoding = String(res.headers["content-encoding"] ?? "identity");
            res.on("data", (c: Buffer) => {
              if (chunks === 0) firstRowMs = performance.now() - started;
              chunks++;
              bytes += c.length;
            });
            const body = encoding === "gzip" ? res.pipe(createGunzip()) : res;
            body.on("data", (c: Buffer) => {
              for (let i = c.indexOf(10); i !== -1; i = c.indexOf(10, i + 1)) newlines++;
            });
            body.on("end", () =>
              resolve({
                status: res.statusCode ?? 0,
                encoding,
                wallMs: performance.now() - started,
                headersMs,
                firstRowMs,
                bytes,
                // The header line is not a row.
                rows: Math.max(0, newlines - 1),
                chunks,
              }),
            );
            res.on("error", reject);
            body.on("error", reject);
          },
        );
        req.on("timeout", () => req.destroy(new Error("timeout: the export")));
        req.on("error", reject);
        req.end();
      },
    );
    const after = await cpuSnapshot();
    const end = vmRssKb(pid);
    peak = Math.max(peak, end);
    const hwmKb = hwm ? vmRssKb(pid, "VmHWM") : NaN;
    for (const [p, t] of after.db) seen.set(p, Math.max(t, seen.get(p) ?? 0));
    return {
      ...out,
      rssBaselineMb: mb(baseline),
      rssPeakMb: mb(peak),
      rssEndMb: mb(end),
      hwmPeakMb: mb(hwmKb),
      cpu: cpuDelta(before, { ...after, db: seen }),
    };
  } finally {
    clearInterval(sampler);
    clearInterval(dbPoller);
  }
}

type PsqlExport = { wallMs: number; rows: number };
type ExportQuery = { select: string; setup: string };

/**
 * `psql -c "\copy (SELECT) to /dev/null csv"`: the same rows, straight from the server to a C
 * client, after the same session setup as the app's (`setup`, may be empty).
 */
function psqlExport(url: string, { select, setup }: ExportQuery): Promise<PsqlExport> {
  // \copy takes the rest of its line: the SELECT must be on one line (it has no newline inside a literal).
  const oneLine = select.replace(/\s*\n\s*/g, " ");
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const args = [
      "-X",
      "-v",
      "ON_ERROR_STOP=1",
      url,
      ...(setup ? ["-c", setup] : []),
      "-c",
      `\\copy (${oneLine}) to '/dev/null' csv`,
    ];
    const child = spawn("psql", args, { stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c) => (stdout += c));
    child.stderr.on("data", (c) => (stderr += c));
    child.on("error", reject);
    child.on("exit", (code) => {
      const wallMs = performance.now() - started;
      const rows = Number(stdout.match(/COPY (\d+)/)?.[1]);
      if (code !== 0 || !Number.isFinite(rows))
        return reject(new Error(`psql \\copy failed (exit ${code}): ${stderr.trim() || stdout.trim()}`));
      resolve({ wallMs, rows });
    });
  });
}

export type ExportFigures = {
  seed: { customers: number; optedIn: number; ms: number };
  expectedRows: number;
  app: AppExport[];
  /** One more app run asking for gzip, as a browser would (not part of the goal's comparison). */
  appGzip: AppExport;
  psql: PsqlExport[];
  psqlWarm: PsqlExport;
  /** The export route's first request (an unknown topic), which loads its code. */
  routeWarmUpMs: number;
};

export async function measureExport(env: NodeJS.ProcessEnv, marketingCookie: string): Promise<ExportFigures> {
  const client = new pg.Client({ connectionString: env.DATABASE_URL });
  await client.connect();
  try {
    log(`export: seeding ${CUSTOMERS} customers (set-based SQL)…`);
    const seed = await seedCustomers(client);
    const { rows } = await client.query<{ n: string }>(
      "select count(*) as n from subscriptions s join users u on u.id = s.user_id where s.topic_id = 'offers' and s.status = 'granted' and u.email is not null",
    );
    const expectedRows = Number(rows[0].n);
    // The app's own SELECT, built with the server's AUTH_SECRET and PORT (the unsubscribe URLs).
    const query = JSON.parse(
      execFileSync(
        process.execPath,
        ["--import", "./scripts/node/register.mjs", path.join("bench", "export-select.ts"), "offers"],
        { env, encoding: "utf8" },
      ),
    ) as ExportQuery;
    log(
      `export: ${expectedRows} opted-in rows; warming up with one psql \\copy and the export route (an unknown topic: 400, nothing exported)`,
    );
    const psqlWarm = await psqlExport(env.DATABASE_URL!, query);
    // Next loads a route's code on its first request: that one-off cost is not the export's.
    const cold = performance.now();
    const probe = await request("GET", "/console/marketing/export?topic=bench-warm-up", { cookie: marketingCookie });
    if (probe.status !== 400)
      throw new Error(`GET /console/marketing/export?topic=bench-warm-up answered ${probe.status}, expected 400`);
    const routeWarmUpMs = performance.now() - cold;
    const app: AppExport[] = [];
    const psql: PsqlExport[] = [];
    for (let i = 1; i <= EXPORT_REPEATS; i++) {
      log(`export ${i} of ${EXPORT_REPEATS}: through the app, then psql`);
      const a = await appExport(marketingCookie);
      if (a.status !== 200) throw new Error(`the export answered ${a.status}`);
      app.push(a);
      psql.push(await psqlExport(env.DATABASE_URL!, query));
      log(
        `  app ${f0(a.wallMs)} ms (${a.rows} rows, first byte ${f0(a.headersMs)} ms, RSS +${f1(a.rssPeakMb - a.rssBaselineMb)} MB), psql ${f0(psql[psql.length - 1].wallMs)} ms`,
      );
    }
    log("export: once more through the app with Accept-Encoding: gzip, as a browser asks");
    const appGzip = await appExport(marketingCookie, true);
    log(`  app (gzip) ${f0(appGzip.wallMs)} ms, Content-Encoding ${appGzip.encoding}, ${appGzip.rows} rows`);
    return { seed, expectedRows, app, appGzip, psql, psqlWarm, routeWarmUpMs };
  } finally {
    await client.end();
  }
}

export function reportExport(ex: ExportFigures) {
  const bestApp = ex.app.reduce((a, b) => (b.wallMs < a.wallMs ? b : a));
  const bestPsql = ex.psql.reduce((a, b) => (b.wallMs < a.wallMs ? b : a));
  const rssGrowth = Math.max(...ex.app.map((a) => a.rssPeakMb - a.rssBaselineMb));
  const hwmGrowth = Math.max(...ex.app.map((a) => a.hwmPeakMb - a.rssBaselineMb));
  const worstFirstByte = Math.max(...ex.app.map((a) => a.headersMs));
  const rowsMatch = ex.app.every((a) => a.rows === ex.expectedRows) && ex.psql.every((p) => p.rows === ex.expectedRows);
  const mbOf = (bytes: number) => bytes / 1024 / 1024;
  console.log("");
  console.log(
    `4) Marketing export (issue 4; Postgres only, BENCH_EXPORT=0 skips it, -- --export-only runs it alone): ${ex.seed.customers} customers seeded in ${f1(ex.seed.ms / 1000)} s (incl. vacuum analyze), ${ex.expectedRows} opted in to 'offers'; ${EXPORT_REPEATS} runs each, alternating app → psql after a psql warm-up; best of each compared`,
  );
  table(
    [
      "run",
      "wall ms",
      "first byte ms",
      "first chunk ms",
      "rows",
      "MB",
      "chunks",
      "RSS base → peak (sampled) MB",
      "peak (VmHWM) MB",
      "server CPU ms",
      "DB CPU ms",
      "client CPU ms",
      "other cores",
    ],
    [
      ...[...ex.app, ex.appGzip].map((a, i) => [
        i < ex.app.length
          ? `app #${i + 1} (GET /console/marketing/export?topic=offers)`
          : `app, Accept-Encoding: gzip → ${a.encoding} (info)`,
        f0(a.wallMs),
        f0(a.headersMs),
        f0(a.firstRowMs),
        String(a.rows),
        f1(mbOf(a.bytes)),
        String(a.chunks),
        `${f0(a.rssBaselineMb)} → ${f0(a.rssPeakMb)}`,
        Number.isFinite(a.hwmPeakMb) ? f0(a.hwmPeakMb) : "–",
        f0(a.cpu.serverMs),
        f0(a.cpu.dbMs),
        f0(a.cpu.clientMs),
        cores(a.cpu.otherMs, a.cpu.wallMs),
      ]),
      ...[ex.psqlWarm, ...ex.psql].map((p, i) => [
        i === 0 ? "psql \\copy … to /dev/null csv (warm-up)" : `psql #${i}`,
        f0(p.wallMs),
        "",
        "",
        String(p.rows),
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
      ]),
    ],
  );
  console.log("");
  table(
    ["figure", "value", "goal"],
    [
      [
        "export wall time ÷ psql's (best of each)",
        `${f0(bestApp.wallMs)} ÷ ${f0(bestPsql.wallMs)} ms = ${f2(bestApp.wallMs / bestPsql.wallMs)}×`,
        `≤ ${GOAL.exportVsPsql}×`,
      ],
      [
        "export: server RSS growth, max over runs (sampled every 50 ms)",
        `${f1(rssGrowth)} MB`,
        `< ${GOAL.exportRssMb} MB`,
      ],
      ...(Number.isFinite(hwmGrowth)
        ? [["  the same from the kernel's peak (VmHWM − baseline)", `${f1(hwmGrowth)} MB`, ""]]
        : []),
      [
        "export: first byte (response headers), worst run",
        `${f0(worstFirstByte)} ms`,
        `< ${GOAL.exportFirstByteMs} ms`,
      ],
      ["  (the route's very first request, loading its code, before the runs)", `${f0(ex.routeWarmUpMs)} ms`, ""],
      [
        "row counts: app runs / psql runs / count(*) of the opt-ins",
        `${ex.app.map((a) => a.rows).join(", ")} / ${ex.psql.map((p) => p.rows).join(", ")} / ${ex.expectedRows}`,
        rowsMatch ? "match" : "MISMATCH",
      ],
      ["server CPU during the best app run, cores", cores(bestApp.cpu.serverMs, bestApp.cpu.wallMs), ""],
    ],
    3,
  );
  console.log(
    `  The compared app runs download over HTTPS without Accept-Encoding (no gzip), psql over plain TCP to the local server. The gzip run (as a browser asks) took ${f2(ex.appGzip.wallMs / bestPsql.wallMs)}× psql's time, ${f0(ex.appGzip.cpu.serverMs)} ms server CPU, ${f1(mbOf(ex.appGzip.bytes))} MB on the wire, RSS +${f1(ex.appGzip.rssPeakMb - ex.appGzip.rssBaselineMb)} MB; rows ${ex.appGzip.rows === ex.expectedRows ? "match" : `MISMATCH (${ex.appGzip.rows})`}.`,
  );
}

/**
 * Part 4 (issue 4), Postgres only, after the export has seeded its customers: RFC 8058 one-click
 * unsubscribe POSTs at a fixed rate, each for a different opted-in customer, with autocannon's
 * overallRate and again evenly paced (open loop).
 */
import pg from "pg";
import { cpuDelta, cpuSnapshot, type CpuDelta } from "../lib/cpu";
import { load, pacedLoad, statusSummary, type LoadResult } from "../lib/load";
import { log } from "../lib/log";
import { GOAL, UNSUB_CONNECTIONS, UNSUB_DURATION, UNSUB_RATE, USER_AGENT } from "../lib/settings";
import { percentile } from "../lib/stats";
import { cores, f1, f2, table } from "../lib/table";

export type UnsubFigures = {
  warm: LoadResult;
  result: LoadResult;
  cpu: CpuDelta;
  /** The same rate sent evenly (one request every 1000/rate ms, open loop), for comparison. */
  paced: LoadResult;
  pacedCpu: CpuDelta;
  events: number;
  answered200: number;
};

/** RFC 8058 one-click POSTs at a fixed rate, each for a different opted-in customer. */
export async function measureUnsubscribe(env: NodeJS.ProcessEnv): Promise<UnsubFigures> {
  const warmSeconds = 2;
  const needed = Math.ceil(UNSUB_RATE * (2 * UNSUB_DURATION + warmSeconds) * 1.2) + UNSUB_CONNECTIONS * 2;
  const client = new pg.Client({ connectionString: env.DATABASE_URL });
  await client.connect();
  try {
    const topic = await client.query<{ code: number }>("select code from email_topics where id = 'offers'");
    const people = await client.query<{ user_id: string }>(
      `select s.user_id from subscriptions s join users u on u.id = s.user_id
       where s.topic_id = 'offers' and s.status = 'granted' and u.username like 'cust%' order by random() limit $1`,
      [needed],
    );
    // The tokens the app puts in its mail, made with the server's secret.
    process.env.AUTH_SECRET = env.AUTH_SECRET;
    process.env.UNSUBSCRIBE_SECRET = env.UNSUBSCRIBE_SECRET;
    const { signUnsubscribeToken } = await import("../../lib/preferences/tokens");
    const tokens = people.rows.map((r) => signUnsubscribeToken(r.user_id, topic.rows[0].code));
    let next = 0;
    const opts = {
      path: `/u/${tokens[0]}`,
      connections: UNSUB_CONNECTIONS,
      overallRate: UNSUB_RATE,
      method: "POST" as const,
      body: "List-Unsubscribe=One-Click",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      nextPath: () => `/u/${tokens[next++ % tokens.length]}`,
    };
    const eventsBefore = await client.query<{ n: string }>(
      "select count(*) as n from consent_events where source = 'one-click'",
    );
    log(
      `one-click unsubscribe: warm-up ${warmSeconds} s, then ${UNSUB_DURATION} s at ${UNSUB_RATE} requests/s over ${UNSUB_CONNECTIONS} connections (${tokens.length} distinct customers)`,
    );
    const warm = await load({ ...opts, duration: warmSeconds });
    const before = await cpuSnapshot();
    const result = await load({ ...opts, duration: UNSUB_DURATION });
    const after = await cpuSnapshot();
    log(`one-click unsubscribe: the same rate evenly paced (open loop) for ${UNSUB_DURATION} s`);
    const paced = await pacedLoad({
      rate: UNSUB_RATE,
      seconds: UNSUB_DURATION,
      method: "POST",
      nextPath: opts.nextPath,
      headers: { ...opts.headers, "user-agent": USER_AGENT },
      body: Buffer.from(opts.body),
    });
    const pacedAfter = await cpuSnapshot();
    const eventsAfter = await client.query<{ n: string }>(
      "select count(*) as n from consent_events where source = 'one-click'",
    );
    if (next > tokens.length)
      log(
        `NOTE: ${next} requests for ${tokens.length} tokens: some customers were unsubscribed twice (idempotent, no event)`,
      );
    return {
      warm,
      result,
      cpu: cpuDelta(before, after),
      paced,
      pacedCpu: cpuDelta(after, pacedAfter),
      events: Number(eventsAfter.rows[0].n) - Number(eventsBefore.rows[0].n),
      answered200: [warm, result, paced].reduce((a, r) => a + (r.statuses.get(200) ?? 0), 0),
    };
  } finally {
    await client.end();
  }
}

export function reportUnsubscribe(unsub: UnsubFigures) {
  console.log("");
  console.log(
    `   One-click unsubscribe: POST /u/<token> "List-Unsubscribe=One-Click", a different opted-in customer each time, ${UNSUB_RATE} req/s × ${UNSUB_DURATION} s (after a 2 s warm-up); latency in ms`,
  );
  const rows = [
    {
      label: `autocannon overallRate ${UNSUB_RATE}, ${UNSUB_CONNECTIONS} connections`,
      r: unsub.result,
      cpu: unsub.cpu,
    },
    { label: `evenly paced, open loop (1 per ${f1(1000 / UNSUB_RATE)} ms)`, r: unsub.paced, cpu: unsub.pacedCpu },
  ];
  table(
    [
      "load",
      "p50",
      "p95",
      "p99",
      "max",
      "req/s",
      "200 / other",
      "server CPU ms/req",
      "DB CPU ms/req",
      "server / client / db / other cores",
    ],
    rows.map(({ label, r, cpu }) => [
      label,
      f1(percentile(r.latencies, 50)),
      f1(percentile(r.latencies, 95)),
      f1(percentile(r.latencies, 99)),
      f1(r.latencies[r.latencies.length - 1]),
      f1(r.latencies.length / r.durationS),
      `${r.statuses.get(200) ?? 0} / ${statusSummary(r, 200)}`,
      f2(cpu.serverMs / r.latencies.length),
      f2(cpu.dbMs / r.latencies.length),
      [cpu.serverMs, cpu.clientMs, cpu.dbMs, cpu.otherMs].map((ms) => cores(ms, cpu.wallMs)).join(" / "),
    ]),
  );
  console.log("");
  // autocannon stops counting at its deadline; requests then in flight (≤ 1 per connection, per
  // load) still reach the server and unsubscribe someone.
  const slack = 2 * UNSUB_CONNECTIONS;
  const consistent =
    unsub.answered200 > 0 && unsub.events >= unsub.answered200 && unsub.events <= unsub.answered200 + slack;
  table(
    ["figure", "value", "goal"],
    [
      [
        "p99, autocannon overallRate (the goal's method)",
        `${f1(percentile(unsub.result.latencies, 99))} ms`,
        `< ${GOAL.unsubP99Ms} ms`,
      ],
      ["p99, evenly paced", `${f1(percentile(unsub.paced.latencies, 99))} ms`, `< ${GOAL.unsubP99Ms} ms`],
      [
        "one-click ledger events written vs 200s seen (all loads)",
        `${unsub.events} vs ${unsub.answered200}`,
        consistent ? `consistent (≤ ${slack} in flight at autocannon's stops)` : "MISMATCH",
      ],
    ],
    3,
  );
  console.log(
    `  autocannon's overallRate lets each connection send its per-second quota back to back at the start of every second: its p99 is the tail of a ${UNSUB_CONNECTIONS}-deep burst; the paced row is the same rate arriving evenly.`,
  );
}

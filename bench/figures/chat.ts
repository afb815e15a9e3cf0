/**
 * Part 5 (issue 5, support chat), Postgres only: a second server.ts (instance B) on the bench's
 * database beside the first (A), as two instances behind a load balancer.
 *
 * Delivery: visitors start chats on A, the demo `rep` takes them on B and follows them there in
 * SSE streams (at most 20 chats per stream, as the app allows); then the visitors send
 * BENCH_CHAT_MESSAGES messages on A, evenly paced at BENCH_CHAT_RATE per second (open loop). Each
 * message is timed from the moment its send request is answered (the message committed) to the
 * moment B's stream delivers that conversation:seq; the stream may win the race (the commit's
 * NOTIFY can reach B before A's answer reaches the customer), so a latency can be negative and the
 * minimum is shown. Lost = answered but never delivered within 20 s (the heartbeat's catch-up
 * repairs a lost notification within 15 s); duplicated = one conversation:seq delivered twice.
 * Beside it, in the same run and at the same pace, the raw NOTIFY round trip: one connection
 * LISTENs, another runs `select pg_notify(…)`.
 *
 * Memory: BENCH_CHAT_STREAMS visitors (each with a chat started on A) open their stream on B and
 * leave it idle: a widget's stream per customer is what an instance holds most of. B's RSS after
 * full collections (bench/lib/gc-signal.mjs) is read as the streams open in steps (see `hold`);
 * the figure is RSS per further stream, beside a bare Node HTTPS SSE endpoint (bench/sse-floor.ts,
 * same Node flags, same certificate, same clients) measured the same way.
 *
 * Every visitor connects from a loopback address of its own (127.77.x.y, 127.78.x.y), as customers
 * do: the app's per-address limits (chat starts, 60 messages a minute) then apply as in
 * production, with no override. Each chat carries at most 20 messages, the app's
 * per-conversation limit per 10 s.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, readFileSync, rmSync } from "node:fs";
import https from "node:https";
import path from "node:path";
import { monitorEventLoopDelay } from "node:perf_hooks";
import pg from "pg";
import { dbBackendTicks, machineBusyTicks, processTicks, ticksToMs } from "../lib/cpu";
import { originOf, request, target } from "../lib/http";
import { log, sleep } from "../lib/log";
import { SERVER_ARGS, sparePort, startSecondServer, state, type Instance } from "../lib/server";
import { CHAT_MESSAGES, CHAT_RATE, CHAT_STREAMS, DEMO, GOAL, USER_AGENT } from "../lib/settings";
import { staffSessionOf, type LoginForm } from "../lib/sign-in";
import { percentile } from "../lib/stats";
import { cores, f0, f1, table } from "../lib/table";

/** lib/chat/conversations.ts VISITOR_COOKIE: the visitor's conversation token. */
const VISITOR_COOKIE = "__Host-myaccount-chat";
/** lib/chat/conversations.ts messageLimits: 20 messages per conversation per 10 s. */
const PER_CONVERSATION = 20;
/** lib/chat/stream.ts MAX_CONVERSATIONS. */
const PER_STREAM = 20;
const DELIVERY_TIMEOUT_MS = 20_000;
const BARE_RUNS = 5;
/**
 * The second instance and the bare endpoint run with these before SERVER_ARGS, so their RSS can be
 * read in the same state: full collections on demand (gc-signal.mjs); the young generation pinned
 * at its usual ceiling (16 MB semi-spaces, where a busy server's grows anyway) rather than
 * growing in steps during a burst of connections; and no bytecode flushing, which the forced
 * collections would otherwise trigger, shrinking the app's heap between two readings.
 */
const MEASURED_NODE_ARGS = [
  "--expose-gc",
  "--min-semi-space-size=16",
  "--max-semi-space-size=16",
  "--no-flush-bytecode",
  "--import",
  "./bench/lib/gc-signal.mjs",
];

type Visitor = { address: string; cookie: string; conversationId: number };

/** A process's memory after full collections, with `open` streams held. */
type Checkpoint = { open: number; rssKb: number; heapUsed: number; heapTotal: number; external: number };

export type Held = {
  /** 0 (after the first round closed), a fifth, three fifths, all. */
  checkpoints: Checkpoint[];
  /** Streams that ended while they should have been held. */
  dropped: number;
  openMs: number;
};

export type ChatFigures = {
  conversations: number;
  repStreams: number;
  sent: number;
  refused: Map<string, number>;
  /** Sorted, ms; one per message answered and delivered. */
  latencies: number[];
  lost: number;
  duplicated: number;
  /** Deliveries whose seq was not the previous one's + 1 in their stream. */
  outOfOrder: number;
  sendMs: number[];
  sendWallMs: number;
  notifyRtt: number[];
  notifyAckToHeard: number[];
  notifyLost: number;
  /** The bench client's own event-loop delay during the sends (it timestamps both ends). */
  clientLoopP99Ms: number;
  cpu: { wallMs: number; aMs: number; bMs: number; dbMs: number; clientMs: number; otherMs: number };
  app: Held;
  /** BARE_RUNS fresh processes. */
  bare: Held[];
};

/** 127.77.0.1, 127.77.0.2 … (group 77 for the timed chats, 78 for the idle ones). */
const addressOf = (group: number, i: number) => `127.${group}.${Math.floor(i / 250)}.${1 + (i % 250)}`;

async function inParallel<T>(items: T[], width: number, fn: (item: T, i: number) => Promise<void>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(width, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        await fn(items[i], i);
      }
    }),
  );
}

const json = (body: unknown) => Buffer.from(JSON.stringify(body));

/** A visitor starts a chat on `port` as the widget does; returns its cookie and the chat's id. */
async function startVisitor(port: number, address: string, i: number): Promise<Visitor> {
  const res = await request(
    "POST",
    "/api/chat/start",
    { "content-type": "application/json", origin: originOf(port), accept: "application/json" },
    json({
      name: `Bench Visitor ${i}`,
      email: `visitor${i}@bench.example`,
      accountNumber: "",
      topic: "",
      message: "Hello, I have a question about my bill.",
    }),
    { port, localAddress: address },
  );
  const cookie = ([] as string[])
    .concat(res.headers["set-cookie"] ?? [])
    .map((c) => c.split(";")[0])
    .find((c) => c.startsWith(`${VISITOR_COOKIE}=`));
  const parsed = JSON.parse(res.body || "{}") as { ok?: boolean; data?: { conversationId?: number } };
  if (res.status !== 200 || !parsed.ok || !parsed.data?.conversationId || !cookie)
    throw new Error(`POST /api/chat/start answered ${res.status}: ${res.body.slice(0, 200)}`);
  return { address, cookie, conversationId: parsed.data.conversationId };
}

type SseEvent = { event: string; data: string };
type Stream = { close: () => void; ended: () => boolean };

/**
 * Opens GET `urlPath` as an EventSource would, on a connection of its own; resolves when the
 * response's headers arrive (200), calls `onEvent` with the arrival time of the chunk that
 * completed each event.
 */
function openStream(
  port: number,
  urlPath: string,
  cookie: string | undefined,
  onEvent: (e: SseEvent, at: number) => void,
  localAddress?: string,
): Promise<Stream> {
  return new Promise((resolve, reject) => {
    let ended = false;
    const req = https.request(
      {
        host: "127.0.0.1",
        port,
        localAddress,
        servername: "localhost",
        path: urlPath,
        method: "GET",
        agent: false,
        rejectUnauthorized: false,
        headers: {
          host: `localhost:${port}`,
          accept: "text/event-stream",
          "user-agent": USER_AGENT,
          ...(cookie && { cookie }),
        },
      },
      (res) => {
        if (res.statusCode !== 200) {
          let body = "";
          res.setEncoding("utf8");
          res.on("data", (c: string) => (body += c));
          res.on("end", () => reject(new Error(`GET ${urlPath} answered ${res.statusCode}: ${body.slice(0, 200)}`)));
          return;
        }
        res.setEncoding("utf8");
        let buffer = "";
        res.on("data", (chunk: string) => {
          const at = performance.now();
          buffer += chunk;
          for (let end = buffer.indexOf("\n\n"); end >= 0; end = buffer.indexOf("\n\n")) {
            const frame = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            let event = "message";
            const data: string[] = [];
            for (const line of frame.split("\n")) {
              if (line.startsWith("event:")) event = line.slice(6).trim();
              else if (line.startsWith("data:")) data.push(line.slice(5).trimStart());
            }
            if (data.length) onEvent({ event, data: data.join("\n") }, at);
          }
        });
        res.on("close", () => (ended = true));
        resolve({ close: () => req.destroy(), ended: () => ended });
      },
    );
    req.on("error", (err) => {
      ended = true;
      reject(err);
    });
    req.end();
  });
}

/** Resolves when `done()` holds, checking every 20 ms; false after `ms`. */
async function until(done: () => boolean, ms: number): Promise<boolean> {
  const deadline = performance.now() + ms;
  while (!done()) {
    if (performance.now() > deadline) return false;
    await sleep(20);
  }
  return true;
}

/** Calls `fire(k)` for k = 0 … n−1 at `rate` per second, evenly, without waiting for answers. */
async function paced(n: number, rate: number, fire: (k: number) => Promise<void>): Promise<void> {
  const started = performance.now();
  const pending: Promise<void>[] = [];
  for (let k = 0; k < n; k++) {
    const wait = started + (k * 1000) / rate - performance.now();
    if (wait > 0) await sleep(wait);
    pending.push(fire(k));
  }
  await Promise.all(pending);
}

/** The raw floor: a NOTIFY on one connection heard by a LISTEN on another, paced like the chat. */
async function measureNotify(url: string) {
  const channel = "myaccount_bench_rtt";
  const listener = new pg.Client({ connectionString: url });
  const notifier = new pg.Client({ connectionString: url });
  await Promise.all([listener.connect(), notifier.connect()]);
  try {
    const heard = new Map<string, number>();
    listener.on("notification", (msg) => {
      if (msg.channel === channel && msg.payload) heard.set(msg.payload, performance.now());
    });
    await listener.query(`listen ${channel}`);
    const sentAt: number[] = [];
    const ackAt: number[] = [];
    log(`chat: raw NOTIFY round trip, ${CHAT_MESSAGES} at ${CHAT_RATE}/s`);
    await paced(CHAT_MESSAGES, CHAT_RATE, async (k) => {
      sentAt[k] = performance.now();
      await notifier.query("select pg_notify($1, $2)", [channel, String(k)]);
      ackAt[k] = performance.now();
    });
    await until(() => heard.size >= CHAT_MESSAGES, 5000);
    const rtt: number[] = [];
    const ackToHeard: number[] = [];
    for (let k = 0; k < CHAT_MESSAGES; k++) {
      const at = heard.get(String(k));
      if (at === undefined) continue;
      rtt.push(at - sentAt[k]);
      ackToHeard.push(at - ackAt[k]);
    }
    const byNumber = (a: number, b: number) => a - b;
    return {
      rtt: rtt.sort(byNumber),
      ackToHeard: ackToHeard.sort(byNumber),
      lost: CHAT_MESSAGES - rtt.length,
    };
  } finally {
    await Promise.all([listener.end(), notifier.end()]).catch(() => {});
  }
}

async function measureDelivery(a: number, b: Instance, repCookie: string) {
  const conversations = Math.ceil(CHAT_MESSAGES / PER_CONVERSATION);
  log(`chat: ${conversations} visitors start chats on A; the rep takes them on B`);
  const visitors: Visitor[] = new Array<Visitor>(conversations);
  await inParallel(
    Array.from({ length: conversations }, (_, i) => i),
    4,
    async (i) => {
      visitors[i] = await startVisitor(a, addressOf(77, i), i);
    },
  );
  for (const v of visitors) {
    const res = await request(
      "POST",
      "/api/console/chats/take",
      { "content-type": "application/json", origin: originOf(b.port), cookie: repCookie },
      json({ conversationId: v.conversationId }),
      { port: b.port },
    );
    if (res.status !== 200) throw new Error(`taking chat ${v.conversationId} answered ${res.status}: ${res.body}`);
  }

  const delivered = new Map<string, number>();
  const deliveries = new Map<string, number>();
  let outOfOrder = 0;
  const streams: Stream[] = [];
  for (let i = 0; i < visitors.length; i += PER_STREAM) {
    const ids = visitors.slice(i, i + PER_STREAM).map((v) => v.conversationId);
    const lastSeq = new Map<number, number>();
    streams.push(
      await openStream(b.port, `/api/chat/stream?${ids.map((id) => `c=${id}`).join("&")}`, repCookie, (e, at) => {
        if (e.event !== "message") return;
        const { conversationId: c, seq } = JSON.parse(e.data) as { conversationId: number; seq: number };
        const key = `${c}:${seq}`;
        deliveries.set(key, (deliveries.get(key) ?? 0) + 1);
        if (!delivered.has(key)) delivered.set(key, at);
        if (seq !== (lastSeq.get(c) ?? 0) + 1) outOfOrder++;
        lastSeq.set(c, seq);
      }),
    );
  }
  // Each chat has its first message (1) and "joined" (2) before anything is timed.
  if (!(await until(() => visitors.every((v) => delivered.has(`${v.conversationId}:2`)), 10_000)))
    throw new Error("the rep's streams on B did not catch up with the taken chats in 10 s");

  const answered = new Map<string, number>();
  const refused = new Map<string, number>();
  const sendMs: number[] = [];
  const pids = { a: state.server!.pid!, b: b.child.pid! };
  const loop = monitorEventLoopDelay({ resolution: 1 });
  const before = {
    at: performance.now(),
    a: processTicks(pids.a),
    b: processTicks(pids.b),
    db: await dbBackendTicks(),
    client: process.cpuUsage(),
    machine: machineBusyTicks(),
  };
  log(
    `chat: ${CHAT_MESSAGES} messages on A at ${CHAT_RATE}/s over ${conversations} chats; the rep follows them in ${streams.length} stream(s) on B`,
  );
  loop.enable();
  await paced(CHAT_MESSAGES, CHAT_RATE, async (k) => {
    const v = visitors[k % conversations];
    const sentAt = performance.now();
    try {
      const res = await request(
        "POST",
        "/api/chat/send",
        { "content-type": "application/json", origin: originOf(a), cookie: v.cookie, accept: "application/json" },
        json({ conversationId: v.conversationId, body: `Bench message ${k}: is my bill right this month?` }),
        { port: a, localAddress: v.address },
      );
      const at = performance.now();
      let parsed: { ok?: boolean; code?: string; data?: { seq?: number } } = {};
      try {
        parsed = JSON.parse(res.body) as typeof parsed;
      } catch {
        // The outage page (503) is HTML: the status says enough.
      }
      if (res.status === 200 && parsed.ok && parsed.data?.seq) {
        answered.set(`${v.conversationId}:${parsed.data.seq}`, at);
        sendMs.push(at - sentAt);
      } else {
        const why = `${res.status} ${parsed.code ?? ""}`.trim();
        refused.set(why, (refused.get(why) ?? 0) + 1);
      }
    } catch (err) {
      const why = (err as Error).message;
      refused.set(why, (refused.get(why) ?? 0) + 1);
    }
  });
  const sendWallMs = performance.now() - before.at;
  loop.disable();
  const dbAfter = await dbBackendTicks();
  let dbTicks = 0;
  for (const [pid, t] of dbAfter) dbTicks += t - (before.db.get(pid) ?? 0);
  const clientCpu = process.cpuUsage(before.client);
  const cpu = {
    wallMs: sendWallMs,
    aMs: ticksToMs(processTicks(pids.a) - before.a),
    bMs: ticksToMs(processTicks(pids.b) - before.b),
    dbMs: ticksToMs(dbTicks),
    clientMs: (clientCpu.user + clientCpu.system) / 1000,
    otherMs: 0,
  };
  cpu.otherMs = Math.max(
    0,
    ticksToMs(machineBusyTicks() - before.machine) - cpu.aMs - cpu.bMs - cpu.dbMs - cpu.clientMs,
  );

  await until(() => [...answered.keys()].every((k) => delivered.has(k)), DELIVERY_TIMEOUT_MS);
  for (const s of streams) s.close();

  const latencies: number[] = [];
  let lost = 0;
  for (const [key, at] of answered) {
    const got = delivered.get(key);
    if (got === undefined) lost++;
    else latencies.push(got - at);
  }
  return {
    conversations,
    repStreams: streams.length,
    sent: CHAT_MESSAGES,
    refused,
    latencies: latencies.sort((x, y) => x - y),
    lost,
    duplicated: [...deliveries.values()].filter((n) => n > 1).length,
    outOfOrder,
    sendMs: sendMs.sort((x, y) => x - y),
    sendWallMs,
    clientLoopP99Ms: loop.percentile(99) / 1e6,
    cpu,
  };
}

function vmRssKb(pid: number): number {
  const m = readFileSync(`/proc/${pid}/status`, "utf8").match(/^VmRSS:\s+(\d+) kB/m);
  return m ? Number(m[1]) : NaN;
}

/** Full collections in `pid` (via gc-signal.mjs), then its RSS; the median of three. */
async function collectedMemory(pid: number, reportFile: string) {
  const samples: Omit<Checkpoint, "open">[] = [];
  for (let i = 0; i < 3; i++) {
    rmSync(reportFile, { force: true });
    process.kill(pid, "SIGUSR2");
    if (!(await until(() => existsSync(reportFile), 10_000))) throw new Error(`pid ${pid} did not report its memory`);
    await sleep(50);
    const usage = JSON.parse(readFileSync(reportFile, "utf8")) as NodeJS.MemoryUsage;
    // V8 hands freed pages back to the system on a background thread: give it a moment.
    await sleep(300);
    samples.push({
      rssKb: vmRssKb(pid),
      heapUsed: usage.heapUsed,
      heapTotal: usage.heapTotal,
      external: usage.external,
    });
  }
  samples.sort((x, y) => x.rssKb - y.rssKb);
  return samples[1];
}

/**
 * Holds `clients.length` idle streams on `port`, opened in steps, reading `pid`'s collected memory
 * before the first and after each step. Each stream waits for its first `message` event, so the
 * server has done all it does for a new stream. A first round of a fifth of the streams, opened
 * and closed, grows what grows once (the code first run, the database pool, V8's young generation,
 * the allocator's pools for the handshakes in flight); the figure is the slope from a fifth to all
 * of them, what each further stream costs, and the two halves of that slope show how straight it is.
 */
async function hold(
  port: number,
  pid: number,
  reportFile: string,
  clients: { path: string; cookie?: string; address?: string }[],
): Promise<Held> {
  const width = 20;
  const open = async (list: typeof clients) => {
    const streams: Stream[] = new Array<Stream>(list.length);
    await inParallel(list, width, async (c, i) => {
      let first!: () => void;
      const gotFirst = new Promise<void>((r) => (first = r));
      streams[i] = await openStream(port, c.path, c.cookie, (e) => e.event === "message" && first(), c.address);
      if (!(await Promise.race([gotFirst.then(() => true), sleep(10_000).then(() => false)])))
        throw new Error(`no first message on ${c.path} in 10 s`);
    });
    return streams;
  };
  const steps = [0, Math.round(clients.length / 5), Math.round((clients.length * 3) / 5), clients.length];
  for (const s of await open(clients.slice(0, steps[1]))) s.close();
  await sleep(1000);
  const checkpoints: Checkpoint[] = [{ open: 0, ...(await collectedMemory(pid, reportFile)) }];
  const streams: Stream[] = [];
  let openMs = 0;
  for (let i = 1; i < steps.length; i++) {
    const started = performance.now();
    streams.push(...(await open(clients.slice(steps[i - 1], steps[i]))));
    openMs += performance.now() - started;
    await sleep(1000);
    checkpoints.push({ open: steps[i], ...(await collectedMemory(pid, reportFile)) });
  }
  const dropped = streams.filter((s) => s.ended()).length;
  for (const s of streams) s.close();
  await sleep(500);
  return { checkpoints, dropped, openMs };
}

async function startBareEndpoint(tlsDir: string, reportFile: string): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(process.execPath, [...MEASURED_NODE_ARGS, ...SERVER_ARGS, path.join("bench", "sse-floor.ts")], {
    env: { ...process.env, NODE_ENV: "production", SSE_TLS_DIR: tlsDir, BENCH_GC_REPORT: reportFile },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const port = await new Promise<number>((resolve, reject) => {
    let out = "";
    child.stdout.setEncoding("utf8");
    child.stdout.on("data", (c: string) => {
      out += c;
      const m = /listening (\d+)/.exec(out);
      if (m) resolve(Number(m[1]));
    });
    child.once("exit", (code) => reject(new Error(`bench/sse-floor.ts exited (code ${code})`)));
  });
  return { child, port };
}

export async function measureChat(env: NodeJS.ProcessEnv, form: LoginForm): Promise<ChatFigures> {
  const port = await sparePort(target.port + 1, [target.port, Number(env.HTTP_PORT)]);
  const httpPort = await sparePort(Number(env.HTTP_PORT) + 1, [target.port, Number(env.HTTP_PORT), port]);
  const dataDir = path.join(state.tmp!, "instance-b");
  const reportFile = path.join(state.tmp!, "memory-b.json");
  log(`chat: starting instance B on port ${port} (same database, secrets and build)…`);
  const b = await startSecondServer(
    "B",
    {
      ...env,
      PORT: String(port),
      HTTP_PORT: String(httpPort),
      DATA_DIR: dataDir,
      // A has migrated and seeded the database.
      SEED_DEMO: "never",
      BENCH_GC_REPORT: reportFile,
    },
    MEASURED_NODE_ARGS,
  );
  log(`chat: instance B pid ${b.child.pid} is up at ${originOf(port)}`);
  const repCookie = await staffSessionOf(form, "rep", DEMO.password);

  const notify = await measureNotify(env.DATABASE_URL!);
  const delivery = await measureDelivery(target.port, b, repCookie);

  log(`chat: ${CHAT_STREAMS} visitors start chats on A, then hold idle streams on B`);
  const idle: Visitor[] = new Array<Visitor>(CHAT_STREAMS);
  await inParallel(
    Array.from({ length: CHAT_STREAMS }, (_, i) => i),
    6,
    async (i) => {
      idle[i] = await startVisitor(target.port, addressOf(78, i), 1000 + i);
    },
  );
  const app = await hold(
    b.port,
    b.child.pid!,
    reportFile,
    idle.map((v) => ({ path: `/api/chat/stream?c=${v.conversationId}`, cookie: v.cookie, address: v.address })),
  );

  // A fresh bare process starts from nothing, so its figure varies more from run to run than the
  // app's (whose allocator has long been warm): five of them, and the median counts.
  log(`chat: the bare SSE endpoint (bench/sse-floor.ts) holds ${CHAT_STREAMS} idle streams, ${BARE_RUNS} times`);
  const bare: Held[] = [];
  for (let run = 0; run < BARE_RUNS; run++) {
    const bareReport = path.join(state.tmp!, "memory-bare.json");
    const bareServer = await startBareEndpoint(path.join(dataDir, "tls"), bareReport);
    try {
      bare.push(
        await hold(
          bareServer.port,
          bareServer.child.pid!,
          bareReport,
          idle.map((v) => ({ path: "/", address: v.address })),
        ),
      );
    } finally {
      bareServer.child.kill("SIGTERM");
    }
  }

  return {
    ...delivery,
    notifyRtt: notify.rtt,
    notifyAckToHeard: notify.ackToHeard,
    notifyLost: notify.lost,
    app,
    bare,
  };
}

/** KB of `pick` per stream between checkpoints `from` and `to`. */
const slope = (h: Held, from: number, to: number, pick: (c: Checkpoint) => number = (c) => c.rssKb * 1024) =>
  (pick(h.checkpoints[to]) - pick(h.checkpoints[from])) / 1024 / (h.checkpoints[to].open - h.checkpoints[from].open);
/** The goal's figure: RSS per stream from a fifth of the streams to all of them. */
const perStreamKb = (h: Held) => slope(h, 1, 3);

export function reportChat(c: ChatFigures) {
  console.log("");
  console.log(
    `   Support chat: instances A and B on one Postgres database. ${c.sent} visitor messages on A in ${c.conversations} chats, ${CHAT_RATE}/s evenly paced; the rep follows the chats in ${c.repStreams} stream(s) on B. ms`,
  );
  const row = (label: string, xs: number[], n = xs.length) => [
    label,
    String(n),
    f1(xs[0]),
    f1(percentile(xs, 50)),
    f1(percentile(xs, 99)),
    f1(xs[xs.length - 1]),
  ];
  table(
    ["interval", "n", "min", "p50", "p99", "max"],
    [
      row("send answered on A → B's stream delivers it", c.latencies),
      row("raw NOTIFY: query sent → LISTEN hears it", c.notifyRtt),
      row("raw NOTIFY: query answered → LISTEN hears it", c.notifyAckToHeard),
      row("the send request itself (POST /api/chat/send on A)", c.sendMs),
    ],
  );
  const refused = [...c.refused].map(([why, n]) => `${n}× ${why}`).join(", ");
  const cpu = c.cpu;
  console.log(
    `  during the sends: A ${cores(cpu.aMs, cpu.wallMs)}, B ${cores(cpu.bMs, cpu.wallMs)}, database ${cores(cpu.dbMs, cpu.wallMs)}, bench client ${cores(cpu.clientMs, cpu.wallMs)}, other processes ${cores(cpu.otherMs, cpu.wallMs)} cores; B ${f1(cpu.bMs / c.sent)} ms CPU per message; the client's event-loop delay p99 ${f1(c.clientLoopP99Ms)} ms (it timestamps both ends)`,
  );
  console.log("");
  const n = c.app.checkpoints[3].open;
  const [, fifth, threeFifths] = c.app.checkpoints.map((p) => p.open);
  console.log(
    `   Idle streams: ${n} open SSE streams on one process, opened ${fifth} then ${threeFifths - fifth} then ${n - threeFifths}; its RSS after full collections (median of 3) at each step`,
  );
  const mb = (kb: number) => f1(kb / 1024);
  const held = (label: string, h: Held) => [
    label,
    h.checkpoints.map((p) => mb(p.rssKb)).join(" / "),
    f1(slope(h, 0, 3)),
    `${f1(slope(h, 1, 2))} / ${f1(slope(h, 2, 3))}`,
    f1(perStreamKb(h)),
    f1(slope(h, 1, 3, (p) => p.heapUsed)),
    f1(slope(h, 1, 3, (p) => p.external)),
    f0(h.openMs),
    String(h.dropped),
  ];
  table(
    [
      "endpoint",
      `RSS MB at 0 / ${fifth} / ${threeFifths} / ${n}`,
      `KB/stream 0→${n}`,
      "halves",
      `KB/stream ${fifth}→${n}`,
      "JS heap KB/stream",
      "external KB/stream",
      "open ms",
      "dropped",
    ],
    [
      held("app: GET /api/chat/stream?c=<own chat> on B (a visitor each)", c.app),
      ...c.bare.map((h, i) => held(`bare Node HTTPS SSE endpoint (bench/sse-floor.ts), run ${i + 1}`, h)),
    ],
  );
  console.log(
    `  0 = after a first round of ${fifth} streams opened and closed (what grows once: code first run, pools, V8's young generation); KB/stream ${fifth}→${n} (RSS, the goal's figure) is what each further stream costs, its halves (${fifth}→${threeFifths}, ${threeFifths}→${n}) show how straight that is; JS heap and external over the same span.`,
  );
  console.log("");
  const bareKb = [...c.bare.map(perStreamKb)].sort((x, y) => x - y)[Math.floor(c.bare.length / 2)];
  const ratio = perStreamKb(c.app) / bareKb;
  table(
    ["figure", "value", "goal"],
    [
      ["send answered → rep's stream, p50", `${f1(percentile(c.latencies, 50))} ms`, `≤ ${GOAL.chatP50Ms} ms`],
      ["send answered → rep's stream, p99", `${f1(percentile(c.latencies, 99))} ms`, `≤ ${GOAL.chatP99Ms} ms`],
      [
        "raw NOTIFY round trip p50 / p99 (same run)",
        `${f1(percentile(c.notifyRtt, 50))} / ${f1(percentile(c.notifyRtt, 99))} ms`,
        "",
      ],
      [
        `lost / duplicated (of ${c.latencies.length + c.lost} answered)`,
        `${c.lost} / ${c.duplicated}${c.outOfOrder ? `, ${c.outOfOrder} out of order` : ""}`,
        "0 / 0",
      ],
      ["sends refused", refused || "0", "0"],
      [
        `memory per idle stream (RSS, ${c.app.checkpoints[1].open}→${c.app.checkpoints[3].open}): app vs bare`,
        `${f1(perStreamKb(c.app))} KB vs ${f1(bareKb)} KB (median of ${c.bare.length}) = ${ratio.toFixed(2)}×`,
        `≤ ${GOAL.chatMemoryRatio}×`,
      ],
    ],
    3,
  );
  if (c.notifyLost) console.log(`  NOTE: ${c.notifyLost} raw NOTIFY(s) never heard within 5 s.`);
  console.log(
    "  A latency below 0 means B's stream delivered the message before A's answer reached the customer (the NOTIFY is sent at commit, the answer after it).",
  );
}

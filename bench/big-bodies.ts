/**
 * Big bodies against the unsubscribe link: figures, not pass/fail. Starts server.ts (embedded
 * PGlite with the demo accounts, its own DATA_DIR) from the build in NEXT_DIST_DIR, signs in as
 * the demo customer, then sends four parallel 50 MB bodies to POST /u/<token> — a validly signed
 * token, as a holder of a mailed link has — once declared (Content-Length) and once chunked, while
 * timing GET /account. Prints the server's RSS (before, peak, after) and /account's latency.
 * Then the same for slow clients: BIG_BODIES_SLOW_CLIENTS (1000) connections dribbling headers.
 *
 *   NEXT_DIST_DIR=.next-edge node --import ./scripts/node/register.mjs bench/big-bodies.ts
 *   BIG_BODIES_PORT=4120 (and +1 for HTTP) picks the ports.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import https from "node:https";
import os from "node:os";
import tls from "node:tls";
import path from "node:path";
import { randomBytes } from "node:crypto";
import { request, setTarget } from "./lib/http";
import { scrapeLoginForm, sessionOf } from "./lib/sign-in";

const port = Number(process.env.BIG_BODIES_PORT ?? 4120);
const BODY_BYTES = 50 * 1024 * 1024;
const PARALLEL = 4;
const authSecret = randomBytes(32).toString("base64url");
const dataDir = mkdtempSync(path.join(os.tmpdir(), "big-bodies-"));

const child = spawn(process.execPath, ["--import", "./scripts/node/register.mjs", "server.ts"], {
  env: {
    ...process.env,
    PORT: String(port),
    HTTP_PORT: String(port + 1),
    LISTEN_HOST: "127.0.0.1",
    DATA_DIR: dataDir,
    DATABASE_URL: "",
    AUTH_SECRET: authSecret,
    SEED_DEMO: "always",
    NEXT_TELEMETRY_DISABLED: "1",
  },
  stdio: ["ignore", "ignore", "inherit"],
});
const stop = () => {
  child.kill("SIGKILL");
  rmSync(dataDir, { recursive: true, force: true });
};
process.on("exit", stop);

const rssMb = () => {
  const status = readFileSync(`/proc/${child.pid}/status`, "utf8");
  return Number(/VmRSS:\s+(\d+)/.exec(status)![1]) / 1024;
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

setTarget(port);
for (let i = 0; ; i++) {
  if (i > 240) throw new Error("server.ts did not start within 60 s");
  const up = await request("GET", "/api/health").catch(() => null);
  if (up?.status === 200) break;
  await sleep(250);
}
const cookie = await sessionOf(await scrapeLoginForm(), "demo", "demo-password-2026");
// Signed with the server's secret: the route would accept it (the user id need not exist, the
// signature is checked before the database is asked), so only the body limit stands in the way.
process.env.AUTH_SECRET = authSecret;
const { signUnsubscribeToken } = await import("../lib/preferences/tokens");
const token = signUnsubscribeToken("00000000-0000-4000-8000-000000000000", 1);

async function accountMs(): Promise<number> {
  const started = performance.now();
  const res = await request("GET", "/account", { cookie });
  if (res.status !== 200) throw new Error(`/account answered ${res.status}`);
  return performance.now() - started;
}

/** One 50 MB body, declared or chunked, written as fast as the server takes it; its status. */
function bigBody(chunked: boolean): Promise<string> {
  return new Promise((resolve) => {
    const req = https.request(
      {
        host: "127.0.0.1",
        port,
        servername: "localhost",
        rejectUnauthorized: false,
        method: "POST",
        path: `/u/${token}`,
        headers: {
          "Content-Type": "application/x-www-form-urlencoded",
          ...(chunked ? {} : { "Content-Length": String(BODY_BYTES) }),
        },
      },
      (res) => {
        res.resume();
        resolve(String(res.statusCode));
      },
    );
    req.on("error", (err) => resolve(`error ${(err as NodeJS.ErrnoException).code ?? err.message}`));
    const chunk = Buffer.alloc(64 * 1024, 97);
    let sent = 0;
    const pump = () => {
      while (sent < BODY_BYTES && !req.destroyed) {
        sent += chunk.length;
        if (!req.write(chunk)) return void req.once("drain", pump);
      }
      if (!req.destroyed) req.end();
    };
    req.write("List-Unsubscribe=One-Click&x=");
    pump();
  });
}

async function round(label: string, chunked: boolean) {
  const before = rssMb();
  let peak = before;
  const sampler = setInterval(() => (peak = Math.max(peak, rssMb())), 50);
  const latencies: number[] = [];
  let done = false;
  const bodies = Promise.all(Array.from({ length: PARALLEL }, () => bigBody(chunked))).finally(() => (done = true));
  while (!done || latencies.length < 5) latencies.push(await accountMs());
  const statuses = await bodies;
  await sleep(1000);
  clearInterval(sampler);
  const after = rssMb();
  console.log(
    `${label.padEnd(28)} answers ${statuses.join(",").padEnd(16)} RSS ${before.toFixed(0)} → peak ${peak.toFixed(0)} → ${after.toFixed(0)} MB   /account meanwhile: median ${median(latencies).toFixed(0)} ms, max ${Math.max(...latencies).toFixed(0)} ms (${latencies.length} requests)`,
  );
}

const quiet: number[] = [];
for (let i = 0; i < 20; i++) quiet.push(await accountMs());
console.log(`\nBig bodies to POST /u/<token> (${PARALLEL} × ${BODY_BYTES / 1024 / 1024} MB in parallel)`);
console.log(
  `/account alone: median ${median(quiet).toFixed(0)} ms, max ${Math.max(...quiet).toFixed(0)} ms; RSS ${rssMb().toFixed(0)} MB`,
);
await round("declared (Content-Length)", false);
await round("chunked (no Content-Length)", true);

/** One TLS connection that sends a partial header line, then a byte every second: how it ended. */
function slowClient(): Promise<{ status: string; ms: number }> {
  return new Promise((resolve) => {
    const started = Date.now();
    let drip: NodeJS.Timeout | undefined;
    const socket = tls.connect({ host: "127.0.0.1", port, servername: "localhost", rejectUnauthorized: false }, () => {
      socket.write("GET /account HTTP/1.1\r\nHost: localhost\r\nX-Slow: ");
      // Only once the handshake is done: a byte queued earlier would go before the request line.
      drip = setInterval(() => socket.writable && socket.write("a"), 1000);
    });
    let reply = "";
    socket.on("data", (d) => (reply += d));
    socket.on("error", () => {});
    socket.on("close", () => {
      clearInterval(drip);
      resolve({ status: /^HTTP\/1\.1 (\d+)/.exec(reply)?.[1] ?? "closed", ms: Date.now() - started });
    });
  });
}

const SLOW = Number(process.env.BIG_BODIES_SLOW_CLIENTS ?? 1000);
const beforeSlow = rssMb();
let peakSlow = beforeSlow;
const sampler = setInterval(() => (peakSlow = Math.max(peakSlow, rssMb())), 100);
let slowDone = false;
const slow = Promise.all(Array.from({ length: SLOW }, slowClient)).finally(() => (slowDone = true));
const during: number[] = [];
while (!slowDone) {
  during.push(await accountMs());
  await sleep(200);
}
const ended = await slow;
clearInterval(sampler);
const byStatus = Object.entries(
  ended.reduce<Record<string, number>>((acc, e) => ({ ...acc, [e.status]: (acc[e.status] ?? 0) + 1 }), {}),
)
  .map(([status, n]) => `${n}× ${status}`)
  .join(", ");
console.log(
  `\nSlow clients (${SLOW} TLS connections dribbling headers, HTTP_HEADERS_TIMEOUT_MS default 10 s)\n` +
    `answers ${byStatus}; ended after median ${median(ended.map((e) => e.ms))} ms, max ${Math.max(...ended.map((e) => e.ms))} ms\n` +
    `RSS ${beforeSlow.toFixed(0)} → peak ${peakSlow.toFixed(0)} MB   /account meanwhile: median ${median(during).toFixed(0)} ms, max ${Math.max(...during).toFixed(0)} ms (${during.length} requests)`,
);
process.exit(0);

/**
 * The one entry point: HTTPS for the app, plain HTTP that only redirects, the request's protocol
 * and client address decided from the socket, security headers, migrations and demo seed on
 * start, the mail worker, and a graceful stop on SIGTERM.
 *
 *   node --import ./scripts/node/register.mjs server.ts         production build (npm start builds first when needed)
 *   node --import ./scripts/node/register.mjs server.ts --dev   hot reload (npm run dev)
 */
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync } from "node:fs";
import http, { type IncomingMessage, type ServerResponse } from "node:http";
import https from "node:https";
import path from "node:path";

const dev = process.argv.includes("--dev");
// Next decides its mode from NODE_ENV; set it before anything reads it.
(process.env as Record<string, string>).NODE_ENV = dev ? "development" : "production";
if (existsSync(".env")) process.loadEnvFile(".env");

const { applyGeneratedSecrets, assertServable, env, listenHost, localMailboxConfigured } = await import("./lib/env");
let config: ReturnType<typeof env>;
try {
  config = env();
} catch (err) {
  console.error(`\n${(err as Error).message}\n\nSee .env.example for every variable and its meaning.`);
  process.exit(1);
}
try {
  assertServable(config);
} catch (err) {
  console.error(`\n${(err as Error).message}\n`);
  process.exit(1);
}

const { default: next } = await import("next");
const { dbHandle, closeDb, pingDatabase } = await import("./db/client");
const { runMigrations } = await import("./db/migrate");
const { databaseDownSince, noteDatabaseError } = await import("./db/availability");
const { seedDemo, isDatabaseEmpty, demoAccounts, DEMO_PASSWORD, DEMO_TOTP_SECRET } = await import("./lib/demo/seed");
const { messages } = await import("./lib/messages");
const { FORWARDED_HEADERS, TRANSPORT_HEADER, resolveTransport, transportStamp } = await import("./lib/http/transport");
const { ensureAuthSecret, ensureDataKey, ensureTls } = await import("./lib/server/secrets");
const { bodyLimitFor, routePatternFor } = await import("./lib/http/body-limits");
const {
  TLS_CIPHERS,
  actionBodyProblem,
  actionRefusal,
  declaredTooLarge,
  guardBody,
  malformedReason,
  redirectBase,
  serverLimits,
} = await import("./lib/http/edge");
const { fallbackCsp, securityHeaders } = await import("./lib/server/security-headers");
const { startMailWorker } = await import("./lib/mail/worker");
const { resumeNewsletters } = await import("./lib/marketing/queue");
const { startNewsletterScheduler } = await import("./lib/marketing/scheduler");
const { resumeNoticeMailings } = await import("./lib/policy/notices");
const { startChatBus, stopChatBus } = await import("./lib/chat/bus");
const { STREAM_PATH, handleChatStream, closeAllChatStreams } = await import("./lib/chat/stream");
const { startChatRetention } = await import("./lib/chat/retention");
const { countRequest } = await import("./lib/usage/count");
const { appRoutePatterns } = await import("./lib/usage/paths");

const dataDir = path.resolve(config.DATA_DIR);
mkdirSync(dataDir, { recursive: true });
// Only this process knows the transport key, so only server.ts can vouch for a request's protocol.
const transportKey = randomBytes(24).toString("base64url");
// Before Next loads anything: its bundle reads these through its own instance of lib/env.
applyGeneratedSecrets({
  authSecret: config.AUTH_SECRET ? undefined : ensureAuthSecret(dataDir),
  dataEncryptionKey: config.DATA_ENCRYPTION_KEY ? undefined : ensureDataKey(dataDir),
  transportKey,
});

const tls = await ensureTls({ dataDir, certFile: config.TLS_CERT, keyFile: config.TLS_KEY });
if (!config.TLS_CERT) {
  // After a server action redirects, Next fetches the target page from this same server to send
  // it in one round trip. Let this process's fetch trust the certificate it made for itself.
  const { rootCertificates } = await import("node:tls");
  const { Agent, setGlobalDispatcher } = await import("undici");
  setGlobalDispatcher(new Agent({ connect: { ca: [...rootCertificates, tls.cert] } }));
}

const handle = dbHandle();
await runMigrations(handle);
const embedded = handle.driver === "pglite";
let seeded = false;
if (config.SEED_DEMO === "always" || (config.SEED_DEMO === "auto" && embedded && (await isDatabaseEmpty()))) {
  await seedDemo();
  seeded = true;
}

// Usage figures count page loads per route of app/ (lib/usage): read once, at start.
const usageRoutes = appRoutePatterns();

const app = next({ dev, dir: process.cwd(), hostname: "localhost", port: config.PORT });
await app.prepare();
const nextHandler = app.getRequestHandler();

const httpsBase = redirectBase(config.APP_URL, config.PORT);

/** A refusal before Next: plain text, the connection closed when a body may still be coming. */
function refuseEarly(req: IncomingMessage, res: ServerResponse, status: number, text: string, close = false) {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  res.statusCode = status;
  res.setHeader("Content-Type", "text/plain; charset=utf-8");
  res.setHeader("Cache-Control", "no-store");
  if (!req.complete || close) {
    // Whatever is left of the body is not read (or Next is still waiting for a body it will never
    // get): close, which also ends that wait.
    res.setHeader("Connection", "close");
    res.on("finish", () => req.socket.destroySoon());
  }
  res.end(`${text}\n`);
}

function sendOutagePage(res: ServerResponse) {
  res.statusCode = 503;
  res.setHeader("Content-Type", "text/html; charset=utf-8");
  res.setHeader("Retry-After", "10");
  res.setHeader("Cache-Control", "no-store");
  res.end(`<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Temporarily unavailable — MyAccount</title></head>
<body style="font-family:system-ui,sans-serif;max-width:40rem;margin:4rem auto;padding:0 1rem;color:#111">
<main><h1>We'll be right back</h1><p role="status">${messages.outage}.</p><p><a href="/">Try again</a></p></main></body></html>`);
}

let inFlight = 0;

async function serve(req: IncomingMessage, res: ServerResponse, encrypted: boolean) {
  const transport = resolveTransport({
    socketEncrypted: encrypted,
    socketPeer: req.socket.remoteAddress,
    headers: req.headers,
    trustProxy: config.TRUST_PROXY,
  });
  const method = req.method ?? "GET";
  const malformed = malformedReason(req.url ?? "", req.headers);
  if (malformed) {
    refuseEarly(req, res, 400, malformed);
    return;
  }
  if (transport.proto === "http" && (!transport.viaTrustedProxy || method === "GET" || method === "HEAD")) {
    // Plain HTTP never reaches the app. 308 keeps the method, so a POST is not silently turned
    // into a GET; whatever it carried is never processed over HTTP.
    res.statusCode = 308;
    res.setHeader("Location", `${httpsBase}${req.url ?? "/"}`);
    res.setHeader("Cache-Control", "no-store");
    res.end();
    return;
  }
  // Next passes X-Forwarded-* through to the app by itself, so what the client sent must go
  // before Next sees the request; then the headers are rewritten from what we decided.
  for (const h of FORWARDED_HEADERS) delete req.headers[h];
  delete req.headers[TRANSPORT_HEADER];
  req.headers["x-forwarded-proto"] = transport.proto;
  req.headers["x-forwarded-for"] = transport.clientIp;
  if (transport.viaTrustedProxy) req.headers["x-forwarded-host"] = transport.host;
  req.headers[TRANSPORT_HEADER] = transportStamp(transportKey, transport);

  for (const [name, value] of Object.entries(securityHeaders)) {
    if (name === "Strict-Transport-Security" && transport.proto !== "https") continue;
    res.setHeader(name, value);
  }
  res.setHeader("Content-Security-Policy", fallbackCsp);

  const url = req.url ?? "/";
  const pathname = url.split("?", 1)[0];
  const refusal = actionRefusal(method, pathname, req.headers, transport.host);
  if (refusal) {
    refuseEarly(req, res, 403, refusal);
    return;
  }
  // Every body is bounded by its address's limit (lib/http/body-limits.ts): a declared length over
  // it is refused unread, and an undeclared (chunked) one is cut off as soon as it passes it.
  const bodyLimit = bodyLimitFor(pathname);
  if (declaredTooLarge(req.headers, bodyLimit)) {
    refuseEarly(req, res, 413, "Payload Too Large");
    return;
  }
  // A server action's body is checked whole before Next parses it (Next answers its own parse
  // errors with 500); it is small, as its limit is.
  const isAction = method !== "GET" && method !== "HEAD" && method !== "OPTIONS" && routePatternFor(pathname) === null;
  guardBody(
    req,
    bodyLimit,
    () => refuseEarly(req, res, 413, "Payload Too Large"),
    isAction
      ? {
          problem: (body) => actionBodyProblem(req.headers, body),
          onInvalid: (problem) => refuseEarly(req, res, 400, problem, true),
        }
      : undefined,
  );
  const isStatic = url.startsWith("/_next/static/") || url === "/favicon.ico";
  if (!isStatic && !url.startsWith("/api/health") && databaseDownSince() && !(await pingDatabase(1500))) {
    sendOutagePage(res);
    return;
  }
  // The chat's event stream lives as long as the tab: served here, outside Next's request cycle,
  // and not counted as a request in flight (shutdown ends streams; browsers reconnect elsewhere).
  if (url === STREAM_PATH || url.startsWith(`${STREAM_PATH}?`)) {
    void handleChatStream(req, res).catch((err) => {
      console.error("[chat] stream failed:", err);
      if (!res.headersSent) sendOutagePage(res);
      else res.end();
    });
    return;
  }
  // A page that failed because the database went away mid-request answers 503, not 500.
  const writeHead = res.writeHead.bind(res) as (...args: unknown[]) => ServerResponse;
  res.writeHead = (status: number, ...rest: unknown[]) =>
    writeHead(status === 500 && databaseDownSince() ? 503 : status, ...rest);

  inFlight++;
  res.on("close", () => inFlight--);
  // Counted after the response is sent, never awaited: counting cannot slow a page down.
  res.on("finish", () => {
    const counted = { method, url, headers: req.headers, status: res.statusCode };
    void countRequest(counted, { patterns: usageRoutes, secret: process.env.AUTH_SECRET }).catch((err) =>
      console.error("[usage] counting failed:", err),
    );
  });
  try {
    await nextHandler(req, res);
  } catch (err) {
    console.error("[server] unhandled error:", err);
    if (!res.headersSent) {
      if (noteDatabaseError(err)) sendOutagePage(res);
      else {
        res.statusCode = 500;
        res.end("Internal Server Error");
      }
    }
  }
}

const limits = serverLimits(config);

const httpsServer = https.createServer(
  {
    ...limits,
    cert: tls.cert,
    key: tls.key,
    minVersion: "TLSv1.2",
    ciphers: TLS_CIPHERS,
    honorCipherOrder: true,
    // The same choice as Node's default ALPNProtocols ["http/1.1"] (no overlap: the same fatal
    // alert), without its per-connection copy of that list: a few bytes sliced from Node's shared
    // 8 KB Buffer pool, which keeps the whole slab alive for as long as any connection holding a
    // slice is open. With hundreds of idle chat streams that was ~2.5 KB per stream for nothing
    // (bench part 5).
    ALPNCallback: ({ protocols }) => (protocols.includes("http/1.1") ? "http/1.1" : undefined),
  },
  (req, res) => void serve(req, res, true),
);
const httpServer = http.createServer(limits, (req, res) => void serve(req, res, false));
// Beyond the cap a new connection is closed at once; those already open are unaffected.
httpsServer.maxConnections = config.HTTP_MAX_CONNECTIONS;
httpServer.maxConnections = config.HTTP_MAX_CONNECTIONS;
if (dev) {
  const upgrade = app.getUpgradeHandler();
  httpsServer.on("upgrade", (req, socket, head) => void upgrade(req, socket, head));
}

const host = listenHost(config);
await new Promise<void>((resolve) => httpsServer.listen(config.PORT, host, resolve));
await new Promise<void>((resolve) => httpServer.listen(config.HTTP_PORT, host, resolve));
const stopMailWorker = startMailWorker();
// Every instance polls; one conditional UPDATE per due newsletter means only one of them starts it.
const stopNewsletterScheduler = startNewsletterScheduler(config.NEWSLETTER_SCHEDULER_MS);
await startChatBus();
const stopChatRetention = startChatRetention();
void resumeNewsletters().catch((err) => console.error("[newsletter] resuming failed:", err));
// Every instance tries; each batch locks the version's row with SKIP LOCKED, so they never double.
void resumeNoticeMailings().catch((err) => console.error("[policy] resuming notice mailings failed:", err));

const base = `https://localhost:${config.PORT}`;
console.log(`
MyAccount is running${dev ? " (development)" : ""}
  App:          ${base}
  HTTP:         http://localhost:${config.HTTP_PORT} (redirects to HTTPS)
  Database:     ${embedded ? `embedded PGlite in ${path.join(dataDir, "pglite")}` : "Postgres (DATABASE_URL)"}
  Certificate:  ${tls.source}${config.TLS_CERT ? "" : " (self-signed for localhost; your browser will ask you to accept it once)"}
  Listening on: ${host}${host === "localhost" ? " only (set LISTEN_HOST=:: to accept other machines)" : ""}
  Mail:         ${
    config.SMTP_URL
      ? "SMTP (SMTP_URL)"
      : localMailboxConfigured(config)
        ? `local mailbox at ${base}/dev/mailbox`
        : "not sent anywhere: set SMTP_URL (the local mailbox needs a loopback-only LISTEN_HOST)"
  }${
    seeded || embedded
      ? `
  Demo accounts (password ${DEMO_PASSWORD}):
${demoAccounts.map((a) => `    ${a.username.padEnd(10)} ${a.note}`).join("\n")}
  Staff sign-in asks for a code: add the secret ${DEMO_TOTP_SECRET} to an authenticator app (demo only).`
      : ""
  }
`);

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  console.log(`${signal} received: finishing ${inFlight} request(s) in flight, then stopping.`);
  const closed = Promise.all([new Promise((r) => httpsServer.close(r)), new Promise((r) => httpServer.close(r))]);
  closeAllChatStreams();
  stopChatRetention();
  // Idle keep-alive connections would hold close() open; busy ones finish their request first.
  httpsServer.closeIdleConnections();
  httpServer.closeIdleConnections();
  const idleSweep = setInterval(() => httpsServer.closeIdleConnections(), 250);
  const deadline = setTimeout(() => {
    httpsServer.closeAllConnections();
    httpServer.closeAllConnections();
  }, 15_000);
  await closed;
  clearInterval(idleSweep);
  clearTimeout(deadline);
  await stopNewsletterScheduler();
  await stopMailWorker();
  await stopChatBus();
  await app.close?.();
  await closeDb();
  console.log("Stopped.");
  process.exit(0);
}
process.on("SIGTERM", () => void shutdown("SIGTERM"));
process.on("SIGINT", () => void shutdown("SIGINT"));

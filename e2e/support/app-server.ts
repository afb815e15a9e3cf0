/**
 * Running the real server.ts for the e2e tests: the environment every instance of one run shares
 * (serve.ts's webServer and the extra instances a spec starts itself), and a launcher that waits
 * for /api/health.
 */
import { spawn, type ChildProcess } from "node:child_process";
import https from "node:https";
import path from "node:path";

/** The run's secrets: every instance on one database must sign sessions and encrypt data alike. */
export const AUTH_SECRET = "e2e-secret-e2e-secret-e2e-secret-0123456789";
const DATA_ENCRYPTION_KEY = Buffer.alloc(32, 9).toString("base64");

export type AppServerOptions = {
  port: number;
  httpPort: number;
  dataDir: string;
  /** "" for embedded PGlite in dataDir. */
  databaseUrl: string;
};

/** The environment of a server.ts in an e2e run (serve.ts adds the demo seed and the proxy's URL). */
export function appServerEnv({ port, httpPort, dataDir, databaseUrl }: AppServerOptions): NodeJS.ProcessEnv {
  return {
    ...process.env,
    PORT: String(port),
    HTTP_PORT: String(httpPort),
    LISTEN_HOST: "127.0.0.1",
    DATA_DIR: dataDir,
    DATABASE_URL: databaseUrl,
    AUTH_SECRET,
    DATA_ENCRYPTION_KEY,
    // Rate limits per address would trip over the many sign-ins of one test run from 127.0.0.1;
    // the per-account and per-(account, address) delays (what the throttling tests check) stay at
    // their defaults.
    LOGIN_MAX_FAILURES_PER_IP: "10000",
    // Every spec's visitors chat from 127.0.0.1; the real limit is tested in lib/chat.
    CHAT_STARTS_PER_IP: "1000",
    // Every spec's registrations and reset requests come from 127.0.0.1 too; the per-user and
    // per-recipient mail limits stay at their defaults (lib/mail/limits.test.ts checks them all).
    MAIL_LIMIT_PER_IP_PER_HOUR: "10000",
    // Specs reuse stored sessions for most of a run; idle expiry is tested in lib/auth/sessions.test.ts.
    IDLE_TIMEOUT_CUSTOMER_MINUTES: "600",
    IDLE_TIMEOUT_STAFF_MINUTES: "600",
    SMTP_URL: "",
    // Profile changes gather into one mail for this long (10 minutes by default): short enough for a
    // spec to see the one mail, long enough that a few quick saves share it.
    PROFILE_MAIL_WINDOW: "6s",
    // Scheduled newsletters start within a second of their time (5 s by default).
    NEWSLETTER_SCHEDULER_MS: "1000",
    // The specs read password-reset and verification links from the local mailbox, on Postgres too.
    LOCAL_MAILBOX: "on",
    NEXT_TELEMETRY_DISABLED: "1",
    // Short enough for e2e/edge.spec.ts to see a slow client answered 408 within a test, still far
    // longer than any real request of the suite takes to arrive.
    HTTP_HEADERS_TIMEOUT_MS: "3000",
    HTTP_REQUEST_TIMEOUT_MS: "5000",
  };
}

export function spawnServer(env: NodeJS.ProcessEnv, stdio: "inherit" | "pipe" = "inherit"): ChildProcess {
  return spawn(process.execPath, ["--import", "./scripts/node/register.mjs", path.resolve("server.ts")], {
    env,
    stdio: stdio === "inherit" ? "inherit" : ["ignore", "pipe", "pipe"],
  });
}

/** One GET to an instance over HTTPS (its certificate is self-signed); the status, or 0 if none. */
export function httpsStatus(port: number, urlPath: string, timeoutMs = 2000): Promise<number> {
  return new Promise((resolve) => {
    const req = https.get(
      {
        host: "127.0.0.1",
        port,
        path: urlPath,
        servername: "localhost",
        rejectUnauthorized: false,
        timeout: timeoutMs,
      },
      (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      },
    );
    req.on("timeout", () => req.destroy());
    req.on("error", () => resolve(0));
  });
}

export type AppServer = {
  port: number;
  baseURL: string;
  child: ChildProcess;
  /** Everything it printed so far (stdout and stderr). */
  output(): string;
  /** Resolves once /api/health answers 200; rejects, with the output, if it exits or times out. */
  ready(timeoutMs?: number): Promise<void>;
  /** SIGTERM, then SIGKILL if it has not exited within a few seconds. */
  stop(): Promise<void>;
};

/** Starts another server.ts of this run (extra env, e.g. SEED_DEMO, over appServerEnv's). */
export function startAppServer(options: AppServerOptions, extraEnv: Record<string, string> = {}): AppServer {
  const child = spawnServer({ ...appServerEnv(options), ...extraEnv }, "pipe");
  let out = "";
  child.stdout!.on("data", (d) => (out += d));
  child.stderr!.on("data", (d) => (out += d));
  let exitCode: number | null | undefined;
  const exited = new Promise<void>((resolve) =>
    child.on("exit", (code, signal) => {
      exitCode = code ?? (signal ? -1 : null);
      resolve();
    }),
  );
  // A test runner that dies must not leave the instance holding its ports.
  const killOnExit = () => child.kill("SIGKILL");
  process.once("exit", killOnExit);
  const label = `server.ts on port ${options.port}`;

  return {
    port: options.port,
    baseURL: `https://localhost:${options.port}`,
    child,
    output: () => out,
    async ready(timeoutMs = 45_000) {
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline) {
        if (exitCode !== undefined) throw new Error(`${label} exited (${exitCode}) before it was healthy:\n${out}`);
        if ((await httpsStatus(options.port, "/api/health")) === 200) return;
        await new Promise((r) => setTimeout(r, 250));
      }
      throw new Error(`${label} was not healthy within ${timeoutMs} ms:\n${out}`);
    },
    async stop() {
      process.off("exit", killOnExit);
      if (exitCode !== undefined) return;
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 8_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

import "server-only";
import { z } from "zod";

/**
 * Every environment variable the app reads, parsed once, and the only module that reads
 * process.env for configuration. A bad value stops the start with a message naming the variable
 * (see `.env.example` for what each one means).
 */
const csv = z
  .string()
  .optional()
  .transform((v) =>
    (v ?? "")
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean),
  );

const port = (fallback: number) => z.coerce.number().int().min(1).max(65535).default(fallback);

const envSchema = z
  .object({
    NODE_ENV: z.enum(["development", "production", "test"]).default("production"),
    PORT: port(3000),
    HTTP_PORT: port(3080),
    LISTEN_HOST: z.string().min(1).optional(),
    APP_URL: z.url({ protocol: /^https$/ }).optional(),
    DATA_DIR: z.string().min(1).default(".data"),
    DATABASE_URL: z
      .string()
      .regex(/^postgres(ql)?:\/\//, "must be a postgres:// URL")
      .optional(),
    PGLITE_DIR: z.string().min(1).optional(),
    PG_POOL_MAX: z.coerce.number().int().min(1).max(200).default(10),
    PG_CONNECT_TIMEOUT_MS: z.coerce.number().int().min(100).default(3000),
    PG_STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(100).default(10000),
    AUTH_SECRET: z.string().min(32, "must be at least 32 characters").optional(),
    UNSUBSCRIBE_SECRET: z.string().min(32, "must be at least 32 characters").optional(),
    DATA_ENCRYPTION_KEY: z
      .string()
      .refine((v) => Buffer.from(v, "base64").length === 32, "must be 32 random bytes, base64-encoded")
      .optional(),
    TLS_CERT: z.string().min(1).optional(),
    TLS_KEY: z.string().min(1).optional(),
    TRUST_PROXY: csv,
    SMTP_URL: z
      .string()
      .regex(/^smtps?:\/\//, "must be an smtp:// or smtps:// URL")
      .optional(),
    MAIL_FROM: z.string().min(3).default("MyAccount <no-reply@myaccount.localhost>"),
    MAIL_FROM_MARKETING: z.string().min(3).default("Lumen Telecom News <news@myaccount.localhost>"),
    // Sign-in throttling (issue 14, throttle slice; policy in README "Sign-in throttling"). No hard
    // lock per account: after the free failures each attempt waits a doubling delay, capped.
    LOGIN_FREE_FAILURES_PER_ACCOUNT_ADDRESS: z.coerce.number().int().min(1).default(5),
    LOGIN_MAX_DELAY_PER_ACCOUNT_ADDRESS_MINUTES: z.coerce.number().int().min(1).default(60),
    LOGIN_FREE_FAILURES_PER_ACCOUNT: z.coerce.number().int().min(1).default(10),
    LOGIN_MAX_DELAY_PER_ACCOUNT_MINUTES: z.coerce.number().int().min(1).default(5),
    LOGIN_DELAY_BASE_SECONDS: z.coerce.number().int().min(1).default(30),
    LOGIN_MAX_FAILURES_PER_IP: z.coerce.number().int().min(1).default(50),
    LOGIN_WINDOW_MINUTES: z.coerce.number().int().min(1).default(15),
    LOGIN_ALERT_HOURS: z.coerce.number().int().min(1).default(24),
    CHAT_STARTS_PER_IP: z.coerce.number().int().min(1).default(5),
    // Enumeration + mail limits slice (issue 14): mails a user action may queue per hour, per
    // signed-in sender, per client address on the public forms, and per recipient address, so no
    // one can fill someone else's inbox (lib/mail/limits.ts).
    MAIL_LIMIT_PER_USER_PER_HOUR: z.coerce.number().int().min(1).default(10),
    MAIL_LIMIT_PER_IP_PER_HOUR: z.coerce.number().int().min(1).default(20),
    MAIL_LIMIT_PER_RECIPIENT_PER_HOUR: z.coerce.number().int().min(1).default(5),
    // Seconds, or a number with s, m or h ("600", "3s", "10m", "1h"): how long profile changes
    // gather into one "your profile was updated" mail, counted from the first change.
    PROFILE_MAIL_WINDOW: z
      .string()
      .regex(/^\d+\s*[smh]?$/i, 'must be seconds, or a number with s, m or h (e.g. "600", "3s", "10m")')
      .default("10m")
      .transform((v) => {
        const n = Number.parseInt(v, 10);
        const unit = v.trim().slice(-1).toLowerCase();
        return n * (unit === "h" ? 3600 : unit === "m" ? 60 : 1);
      }),
    // How often each instance looks for scheduled newsletters that are due (milliseconds). A send
    // starts at most this long after its time; the e2e servers use 1000 to see it within seconds.
    NEWSLETTER_SCHEDULER_MS: z.coerce.number().int().min(200).max(600_000).default(5000),
    SEED_DEMO: z.enum(["auto", "always", "never"]).default("auto"),
    LOCAL_MAILBOX: z.enum(["auto", "on", "off"]).default("auto"),
    // Only "1" turns the bench floor endpoints on; anything else leaves them off (never refused).
    BENCH_ENDPOINTS: z
      .string()
      .optional()
      .transform((v) => v === "1"),
    // Edge slice (issue 14): how long a client may take to send its headers / its whole request
    // before it is answered 408, how long an idle keep-alive connection is kept, and how many
    // connections each port holds at once (the chat's long-lived streams count too).
    HTTP_HEADERS_TIMEOUT_MS: z.coerce.number().int().min(1000).max(600_000).default(10_000),
    HTTP_REQUEST_TIMEOUT_MS: z.coerce.number().int().min(1000).max(3_600_000).default(30_000),
    HTTP_KEEPALIVE_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(5000),
    HTTP_MAX_CONNECTIONS: z.coerce.number().int().min(10).max(1_000_000).default(2000),
    // Small-findings slice (issue 14): a session with no page view or action for this long ends
    // (staff shorter: their sessions reach every customer). An open chat stream is not activity.
    IDLE_TIMEOUT_CUSTOMER_MINUTES: z.coerce.number().int().min(1).max(43_200).default(30),
    IDLE_TIMEOUT_STAFF_MINUTES: z.coerce.number().int().min(1).max(43_200).default(15),
    // Not for operators: server.ts sets it (see applyGeneratedSecrets) and nothing else knows it.
    MYACCOUNT_TRANSPORT_KEY: z.string().min(1).optional(),
  })
  .superRefine((env, ctx) => {
    if (Boolean(env.TLS_CERT) !== Boolean(env.TLS_KEY)) {
      ctx.addIssue({ code: "custom", path: ["TLS_KEY"], message: "TLS_CERT and TLS_KEY must be set together" });
    }
    if (env.HTTP_HEADERS_TIMEOUT_MS > env.HTTP_REQUEST_TIMEOUT_MS) {
      const message = "must not be longer than HTTP_REQUEST_TIMEOUT_MS";
      ctx.addIssue({ code: "custom", path: ["HTTP_HEADERS_TIMEOUT_MS"], message });
    }
  });

export type Env = z.infer<typeof envSchema>;

let cached: Env | undefined;

/**
 * Parses process.env once; throws an Error whose message names each bad variable. Cached, so the
 * accessors below are cheap enough for every request.
 *
 * server.ts and the Next server bundle load this file as two separate module instances in one
 * process (each with its own cache; process.env is shared). The bundle parses on its first
 * request, after server.ts has applied the generated secrets, so it sees them.
 */
export function env(): Env {
  if (cached) return cached;
  // An empty value means "not set" (as in a .env copied from .env.example).
  const present = Object.fromEntries(Object.entries(process.env).filter(([, v]) => v !== ""));
  const parsed = envSchema.safeParse(present);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".") || "(env)"}: ${i.message}`);
    throw new Error(invalid(lines));
  }
  cached = parsed.data;
  return cached;
}

function invalid(lines: string[]): string {
  return `Invalid environment configuration:\n${lines.join("\n")}`;
}

/**
 * The rules between variables that only serving needs, checked by server.ts before it starts.
 * They are not part of env(): migrations, the demo seed and the test harness run with
 * DATABASE_URL alone, and none of them mails a link or signs a session.
 */
export function assertServable(e: Env = env()): void {
  const missing = [
    // Mailed links (password reset, e-mail verification, unsubscribe) must point at the real site.
    e.SMTP_URL && !e.APP_URL && "  APP_URL: required when SMTP_URL is set (the https:// address users reach)",
    // On a shared database these must be the same on every instance, so they are never generated.
    e.DATABASE_URL && !e.AUTH_SECRET && "  AUTH_SECRET: required when DATABASE_URL is set (32+ random characters)",
    e.DATABASE_URL &&
      !e.DATA_ENCRYPTION_KEY &&
      "  DATA_ENCRYPTION_KEY: required when DATABASE_URL is set (openssl rand -base64 32)",
  ].filter((line): line is string => Boolean(line));
  if (missing.length) throw new Error(invalid(missing));
}

/**
 * For server.ts only: the secrets it generated (AUTH_SECRET and DATA_ENCRYPTION_KEY into DATA_DIR
 * on the embedded default, a per-process MYACCOUNT_TRANSPORT_KEY) go into process.env, where the
 * Next bundle's own instance of this module reads them, and this instance parses again.
 */
export function applyGeneratedSecrets(secrets: {
  authSecret?: string;
  dataEncryptionKey?: string;
  transportKey: string;
}): void {
  if (secrets.authSecret) process.env.AUTH_SECRET = secrets.authSecret;
  if (secrets.dataEncryptionKey) process.env.DATA_ENCRYPTION_KEY = secrets.dataEncryptionKey;
  process.env.MYACCOUNT_TRANSPORT_KEY = secrets.transportKey;
  cached = undefined;
}

/** Signs and encrypts session tokens. */
export function authSecret(): string | undefined {
  return env().AUTH_SECRET;
}

/** Signs unsubscribe links: UNSUBSCRIBE_SECRET, else AUTH_SECRET. */
export function unsubscribeSecret(): string | undefined {
  const e = env();
  return e.UNSUBSCRIBE_SECRET ?? e.AUTH_SECRET;
}

/** Encrypts stored card and bank numbers (32 bytes, base64). */
export function dataEncryptionKey(): string | undefined {
  return env().DATA_ENCRYPTION_KEY;
}

/** The key server.ts signs each request's transport stamp with; unset outside server.ts. */
export function transportKey(): string | undefined {
  return env().MYACCOUNT_TRANSPORT_KEY;
}

export function isDevelopment(): boolean {
  return env().NODE_ENV === "development";
}

/** The bench floor endpoints (app/bench-floor) answer only when BENCH_ENDPOINTS=1. */
export function benchEndpointsEnabled(): boolean {
  return env().BENCH_ENDPOINTS;
}

/**
 * Where to listen. The embedded default (no DATABASE_URL) is a developer machine with demo
 * accounts and a local mailbox, so it listens on loopback only; with DATABASE_URL, everywhere.
 */
export function listenHost(e: Env = env()): string {
  return e.LISTEN_HOST ?? (e.DATABASE_URL ? "::" : "localhost");
}

function listensOnLoopbackOnly(e: Env = env()): boolean {
  return ["localhost", "127.0.0.1", "::1"].includes(listenHost(e));
}

/**
 * The local mailbox (/dev/mailbox) shows every reset and verification link, so it exists only
 * where nobody else can reach the server: no SMTP_URL, a loopback-only listener, and either the
 * embedded database (auto) or an explicit LOCAL_MAILBOX=on (the e2e tests on Postgres).
 */
export function localMailboxConfigured(e: Env = env()): boolean {
  if (e.SMTP_URL || e.LOCAL_MAILBOX === "off" || !listensOnLoopbackOnly(e)) return false;
  return e.LOCAL_MAILBOX === "on" || !e.DATABASE_URL;
}

/** How long profile changes gather into one mail, in seconds (PROFILE_MAIL_WINDOW). */
export function profileMailWindowSeconds(): number {
  return env().PROFILE_MAIL_WINDOW;
}

/** The public base URL used in e-mailed links. */
export function appUrl(): string {
  const e = env();
  return (e.APP_URL ?? `https://localhost:${e.PORT}`).replace(/\/$/, "");
}

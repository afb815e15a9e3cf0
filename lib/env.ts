import "server-only";
import { z } from "zod";

/**
 * Every environment variable the app reads, parsed once. A bad value stops the start with a
 * message naming the variable (see `.env.example` for what each one means).
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
    LOGIN_MAX_FAILURES_PER_ACCOUNT: z.coerce.number().int().min(1).default(5),
    LOGIN_MAX_FAILURES_PER_IP: z.coerce.number().int().min(1).default(50),
    LOGIN_WINDOW_MINUTES: z.coerce.number().int().min(1).default(15),
    SEED_DEMO: z.enum(["auto", "always", "never"]).default("auto"),
    LOCAL_MAILBOX: z.enum(["auto", "on", "off"]).default("auto"),
  })
  .superRefine((env, ctx) => {
    if (Boolean(env.TLS_CERT) !== Boolean(env.TLS_KEY)) {
      ctx.addIssue({ code: "custom", path: ["TLS_KEY"], message: "TLS_CERT and TLS_KEY must be set together" });
    }
  });

export type Env = z.infer<typeof envSchema>;

let cached: Env | undefined;

/** Parses process.env once; throws an Error whose message names each bad variable. */
export function env(): Env {
  if (cached) return cached;
  // An empty value means "not set" (as in a .env copied from .env.example).
  const present = Object.fromEntries(Object.entries(process.env).filter(([, v]) => v !== ""));
  const parsed = envSchema.safeParse(present);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".") || "(env)"}: ${i.message}`);
    throw new Error(`Invalid environment configuration:\n${lines.join("\n")}`);
  }
  cached = parsed.data;
  return cached;
}

/**
 * Where to listen. The embedded default (no DATABASE_URL) is a developer machine with demo
 * accounts and a local mailbox, so it listens on loopback only; with DATABASE_URL, everywhere.
 */
export function listenHost(e: Env = env()): string {
  return e.LISTEN_HOST ?? (e.DATABASE_URL ? "::" : "localhost");
}

export function listensOnLoopbackOnly(e: Env = env()): boolean {
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

/** The public base URL used in e-mailed links. */
export function appUrl(): string {
  const e = env();
  return (e.APP_URL ?? `https://localhost:${e.PORT}`).replace(/\/$/, "");
}

import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

describe("env", () => {
  // env() caches its result; each test needs a fresh module to parse its own environment.
  beforeEach(() => vi.resetModules());
  afterEach(() => {
    vi.unstubAllEnvs();
    vi.resetModules();
  });

  it("env: a bad variable stops the start with a message naming it", async () => {
    vi.stubEnv("PORT", "not-a-port");
    vi.stubEnv("SMTP_URL", "http://mail.example");
    const { env } = await import("./env");
    expect(() => env()).toThrow(/PORT:[\s\S]*SMTP_URL: must be an smtp/);
  });

  it("env: TLS_CERT without TLS_KEY is refused", async () => {
    vi.stubEnv("TLS_CERT", "/tmp/cert.pem");
    vi.stubEnv("TLS_KEY", "");
    const { env } = await import("./env");
    expect(() => env()).toThrow(/TLS_KEY/);
  });

  it("env: unset variables take their documented defaults", async () => {
    vi.stubEnv("PORT", undefined);
    vi.stubEnv("HTTP_PORT", undefined);
    const { env } = await import("./env");
    expect(env()).toMatchObject({ PORT: 3000, HTTP_PORT: 3080, LOGIN_FREE_FAILURES_PER_ACCOUNT_ADDRESS: 5 });
  });

  it("env: PROFILE_MAIL_WINDOW is seconds, or a number with s, m or h; 10 minutes when unset", async () => {
    for (const [value, seconds] of [
      [undefined, 600],
      ["3", 3],
      ["3s", 3],
      ["10m", 600],
      ["1h", 3600],
    ] as const) {
      vi.stubEnv("PROFILE_MAIL_WINDOW", value);
      vi.resetModules();
      const { profileMailWindowSeconds } = await import("./env");
      expect(profileMailWindowSeconds()).toBe(seconds);
    }
    vi.stubEnv("PROFILE_MAIL_WINDOW", "ten minutes");
    vi.resetModules();
    const { env } = await import("./env");
    expect(() => env()).toThrow(/PROFILE_MAIL_WINDOW: must be seconds/);
  });

  it("env: SMTP_URL without APP_URL is refused before serving, so mailed links never point at localhost", async () => {
    vi.stubEnv("SMTP_URL", "smtp://127.0.0.1:2525");
    vi.stubEnv("APP_URL", "");
    const { assertServable, env } = await import("./env");
    expect(() => assertServable(env())).toThrow(
      "Invalid environment configuration:\n  APP_URL: required when SMTP_URL is set (the https:// address users reach)",
    );
    vi.stubEnv("APP_URL", "https://myaccount.example");
    vi.resetModules();
    const again = await import("./env");
    expect(() => again.assertServable(again.env())).not.toThrow();
  });

  it("env: DATABASE_URL without AUTH_SECRET or DATA_ENCRYPTION_KEY is refused before serving, never generated", async () => {
    vi.stubEnv("DATABASE_URL", "postgres://127.0.0.1:1/x");
    vi.stubEnv("SMTP_URL", "");
    vi.stubEnv("AUTH_SECRET", "");
    vi.stubEnv("DATA_ENCRYPTION_KEY", "");
    const { assertServable, env } = await import("./env");
    // Migrations and the seed run with DATABASE_URL alone: env() itself accepts it.
    expect(() => env()).not.toThrow();
    expect(() => assertServable(env())).toThrow(
      "Invalid environment configuration:\n" +
        "  AUTH_SECRET: required when DATABASE_URL is set (32+ random characters)\n" +
        "  DATA_ENCRYPTION_KEY: required when DATABASE_URL is set (openssl rand -base64 32)",
    );
  });

  it("env: the embedded default serves without secrets (server.ts generates them)", async () => {
    vi.stubEnv("DATABASE_URL", "");
    vi.stubEnv("SMTP_URL", "");
    vi.stubEnv("AUTH_SECRET", "");
    vi.stubEnv("DATA_ENCRYPTION_KEY", "");
    const { assertServable, env } = await import("./env");
    expect(() => assertServable(env())).not.toThrow();
  });

  it("env: generated secrets reach the accessors; UNSUBSCRIBE_SECRET falls back to AUTH_SECRET", async () => {
    vi.stubEnv("AUTH_SECRET", "");
    vi.stubEnv("UNSUBSCRIBE_SECRET", "");
    vi.stubEnv("DATA_ENCRYPTION_KEY", "");
    vi.stubEnv("MYACCOUNT_TRANSPORT_KEY", "");
    const lib = await import("./env");
    expect(lib.authSecret()).toBeUndefined();
    const authSecret = "a".repeat(40);
    const dataEncryptionKey = Buffer.alloc(32, 1).toString("base64");
    // The parse above is cached; applying the secrets must not leave it stale.
    lib.applyGeneratedSecrets({ authSecret, dataEncryptionKey, transportKey: "per-process-key" });
    expect(lib.authSecret()).toBe(authSecret);
    expect(lib.unsubscribeSecret()).toBe(authSecret);
    expect(lib.dataEncryptionKey()).toBe(dataEncryptionKey);
    expect(lib.transportKey()).toBe("per-process-key");
  });

  it("env: UNSUBSCRIBE_SECRET, when set, signs unsubscribe links instead of AUTH_SECRET", async () => {
    vi.stubEnv("AUTH_SECRET", "a".repeat(40));
    vi.stubEnv("UNSUBSCRIBE_SECRET", "u".repeat(40));
    const { unsubscribeSecret } = await import("./env");
    expect(unsubscribeSecret()).toBe("u".repeat(40));
  });

  it("env: BENCH_ENDPOINTS is on only for 1, and any other value is not refused", async () => {
    vi.stubEnv("BENCH_ENDPOINTS", "yes");
    const first = await import("./env");
    expect(first.benchEndpointsEnabled()).toBe(false);
    vi.stubEnv("BENCH_ENDPOINTS", "1");
    vi.resetModules();
    const second = await import("./env");
    expect(second.benchEndpointsEnabled()).toBe(true);
  });
});

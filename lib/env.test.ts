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
    expect(env()).toMatchObject({ PORT: 3000, HTTP_PORT: 3080, LOGIN_MAX_FAILURES_PER_ACCOUNT: 5 });
  });
});

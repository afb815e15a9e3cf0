/** Shared by playwright.config.ts, the launcher and the specs: one run's ports and names. */
export const e2e = {
  get runId() {
    return process.env.E2E_RUN_ID ?? "local";
  },
  /** "postgres" (full suite; the default when the Postgres server is reachable) or "pglite" (smoke). */
  get db() {
    return (process.env.E2E_DB ?? "postgres") as "postgres" | "pglite";
  },
  port: Number(process.env.E2E_PORT ?? 3443),
  httpPort: Number(process.env.E2E_HTTP_PORT ?? 3081),
  proxyPort: Number(process.env.E2E_PROXY_PORT ?? 55432),
  proxyControlPort: Number(process.env.E2E_PROXY_CONTROL_PORT ?? 55433),
  /**
   * Ports of the n-th (from 1) extra server.ts a spec starts itself on the run's database
   * (chat-two-instances.spec.ts), clear of the bench's and the lifecycle spec's ports.
   */
  extraInstancePorts(n: number) {
    // Steps of two: with the HTTP port right after the HTTPS one (E2E_HTTP_PORT = E2E_PORT + 1), one
    // instance's HTTP port must not be the next one's HTTPS port.
    return { port: this.port + 300 + 2 * n, httpPort: this.httpPort + 300 + 2 * n };
  },
  get baseURL() {
    return `https://localhost:${this.port}`;
  },
  /** Direct URL of the run's database (specs check what was written; the app goes via the proxy). */
  get databaseUrl() {
    const url = new URL(process.env.PG_ADMIN_URL ?? "postgres://postgres@127.0.0.1:5432/postgres");
    url.pathname = `/${this.databaseName}`;
    return url.toString();
  },
  get databaseName() {
    return `myaccount_e2e_${this.runId}`;
  },
  get dataDir() {
    return `.test-data/e2e-${this.runId}`;
  },
};

export const chromiumArgs = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];

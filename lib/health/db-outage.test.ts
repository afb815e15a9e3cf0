import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startDbProxy, type DbProxy } from "@/e2e/support/db-proxy";
import { PG_ADMIN_URL } from "@/lib/test/pg-admin";
import { isDatabaseUnavailable } from "@/db/availability";
import { abandonOnReadTimeout } from "@/db/client";

describe("isDatabaseUnavailable", () => {
  it("counts a query that got no reply at all (pg's query_timeout) as an outage", () => {
    expect(isDatabaseUnavailable(new Error("Query read timeout"))).toBe(true);
    expect(isDatabaseUnavailable(new Error("Failed query", { cause: new Error("Query read timeout") }))).toBe(true);
  });

  it("does not count the server's own statement timeout (it answered) as an outage", () => {
    const err = Object.assign(new Error("canceling statement due to statement timeout"), { code: "57014" });
    expect(isDatabaseUnavailable(err)).toBe(false);
  });
});

// A network that drops packets silently, through the fault test's proxy (scripts/faults.ts).
describe.skipIf(process.env.TEST_DB !== "postgres")("a connection whose reply never came", () => {
  const READ_TIMEOUT_MS = 400;
  let proxy: DbProxy;
  let pool: pg.Pool;

  beforeAll(async () => {
    const admin = new URL(PG_ADMIN_URL);
    proxy = await startDbProxy({ listenPort: 0, target: { host: admin.hostname, port: Number(admin.port || 5432) } });
    admin.host = `127.0.0.1:${proxy.port()}`;
    pool = new pg.Pool({
      connectionString: admin.toString(),
      max: 1,
      connectionTimeoutMillis: 1000,
      query_timeout: READ_TIMEOUT_MS,
    });
    pool.on("error", () => {});
    pool.on("connect", abandonOnReadTimeout);
  });

  afterAll(async () => {
    proxy.restore();
    await pool.end();
    await proxy.close();
  });

  it("is closed at once: what was queued behind it fails now, and the pool's next connection works", async () => {
    const client = await pool.connect();
    await client.query("begin");
    proxy.cut("drop");
    await expect(client.query("select 1")).rejects.toThrow("Query read timeout");
    // A transaction's ROLLBACK comes next on the same connection: without the fix it waits behind
    // the lost reply for a whole read timeout of its own.
    const started = performance.now();
    await expect(client.query("rollback")).rejects.toThrow();
    expect(performance.now() - started).toBeLessThan(READ_TIMEOUT_MS / 2);
    client.release();
    proxy.restore();
    const started2 = performance.now();
    expect((await pool.query<{ n: number }>("select 1 as n")).rows[0].n).toBe(1);
    expect(performance.now() - started2).toBeLessThan(READ_TIMEOUT_MS);
  });
});

/**
 * Playwright's webServer command: prepares a database of the run's own, then runs the real
 * server.ts (production build) against it. On Postgres the app connects through a TCP proxy the
 * outage test can cut. On exit the run's database is dropped.
 */
import { rmSync } from "node:fs";
import path from "node:path";
import { PG_ADMIN_URL, createDatabase, dropTestDatabase } from "../../lib/test/pg-admin";
import { appServerEnv, spawnServer } from "./app-server";
import { e2e } from "./config";
import { startDbProxy } from "./db-proxy";

const env = appServerEnv({ port: e2e.port, httpPort: e2e.httpPort, dataDir: e2e.dataDir, databaseUrl: "" });

let cleanup = async () => {};
rmSync(e2e.dataDir, { recursive: true, force: true });

if (e2e.db === "postgres") {
  const db = await createDatabase(e2e.databaseName);
  const target = new URL(PG_ADMIN_URL);
  const proxy = await startDbProxy({
    listenPort: e2e.proxyPort,
    controlPort: e2e.proxyControlPort,
    target: { host: target.hostname, port: Number(target.port || 5432) },
  });
  const viaProxy = new URL(db.url);
  viaProxy.host = `127.0.0.1:${e2e.proxyPort}`;
  env.DATABASE_URL = viaProxy.toString();
  env.SEED_DEMO = "always";
  env.PG_CONNECT_TIMEOUT_MS = "1500";
  // Specs connect directly (not through the proxy) to check what was written.
  console.log(`[e2e] database ${db.name}`);
  cleanup = async () => {
    await proxy.close();
    await dropTestDatabase(db.name);
  };
}

const child = spawnServer(env);
let stopping = false;
const stop = () => {
  if (stopping) return;
  stopping = true;
  child.kill("SIGTERM");
};
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
child.on("exit", (code) => void onExit(code));
async function onExit(code: number | null) {
  await cleanup().catch((err) => console.error("[e2e] cleanup failed:", err));
  rmSync(e2e.dataDir, { recursive: true, force: true });
  rmSync(path.join("e2e", ".auth", e2e.runId), { recursive: true, force: true });
  process.exit(stopping ? 0 : (code ?? 1));
}

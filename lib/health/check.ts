import "server-only";
import { dbHandle, pingDatabase } from "@/db/client";

type HealthReport = {
  status: "ok" | "unavailable";
  app: "up";
  database: "up" | "down";
  driver: "pglite" | "postgres";
  checkedInMs: number;
};

/** Liveness of the app and reachability of its database (one ping, at most two seconds). */
export async function checkHealth(): Promise<HealthReport> {
  const started = Date.now();
  const up = await pingDatabase(2000);
  return {
    status: up ? "ok" : "unavailable",
    app: "up",
    database: up ? "up" : "down",
    driver: dbHandle().driver,
    checkedInMs: Date.now() - started,
  };
}

import { dbHandle } from "@/db/client";
import { noteDatabaseError, noteDatabaseUp } from "@/db/outage";

export const dynamic = "force-dynamic";

/** Liveness of the app and reachability of its database: 200 when both are fine, else 503. */
export async function GET() {
  const started = Date.now();
  let database: "up" | "down" = "up";
  try {
    await Promise.race([
      dbHandle().ping(),
      new Promise((_, reject) => setTimeout(() => reject(new Error("Connection timeout")), 2000)),
    ]);
    noteDatabaseUp();
  } catch (err) {
    noteDatabaseError(err);
    database = "down";
  }
  const ok = database === "up";
  return Response.json(
    {
      status: ok ? "ok" : "unavailable",
      app: "up",
      database,
      driver: dbHandle().driver,
      checkedInMs: Date.now() - started,
    },
    { status: ok ? 200 : 503, headers: { "Cache-Control": "no-store" } },
  );
}

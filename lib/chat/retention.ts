import "server-only";
import { eq } from "drizzle-orm";
import { db } from "@/db/client";
import { supportSettings } from "@/db/schema";
import { deleteExpiredChats } from "./conversations";

const HOUR_MS = 60 * 60 * 1000;

/** One pass: closed chats older than the admin's retention period go, with messages and proposals. */
export async function purgeExpiredChats(): Promise<number> {
  const [s] = await db
    .select({ days: supportSettings.retentionDays })
    .from(supportSettings)
    .where(eq(supportSettings.id, 1));
  return deleteExpiredChats(s?.days ?? 365);
}

/**
 * Runs the purge at start and hourly. Every instance runs it; a delete by age is idempotent, so
 * two instances at once simply share the rows, and none needs to be "the" scheduler.
 */
export function startChatRetention(): () => void {
  const run = () =>
    void purgeExpiredChats()
      .then((n) => n && console.log(`[chat] deleted ${n} chat(s) past the retention period`))
      .catch((err) => console.error("[chat] retention purge failed:", (err as Error).message));
  run();
  const timer = setInterval(run, HOUR_MS);
  timer.unref();
  return () => clearInterval(timer);
}

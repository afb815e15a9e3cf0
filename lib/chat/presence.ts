import "server-only";
import { and, eq, gt, sql } from "drizzle-orm";
import { db } from "@/db/client";
import { chatPresence } from "@/db/schema";

/**
 * A rep counts as online while a `/console/chats` tab's stream keeps touching their row (every
 * heartbeat, 15 s) and they have not chosen "Away". Three missed heartbeats and they are offline,
 * so a closed laptop does not leave customers waiting on nobody.
 */
export const PRESENCE_FRESH_SECONDS = 45;

/**
 * When this instance last touched each rep's row, as the database wrote it (text keeps the
 * microseconds). Another instance's console tab touches the same row; leaving compares against
 * this so that closing a tab here does not take offline a rep whose console is open elsewhere.
 */
const g = globalThis as unknown as { __myaccountPresenceTouches?: Map<string, string> };
const touches = (g.__myaccountPresenceTouches ??= new Map());

export async function touchPresence(staffId: string): Promise<void> {
  const [row] = await db
    .insert(chatPresence)
    .values({ staffId })
    .onConflictDoUpdate({ target: chatPresence.staffId, set: { lastSeenAt: sql`now()` } })
    .returning({ at: sql<string>`${chatPresence.lastSeenAt}::text` });
  if (row) touches.set(staffId, row.at);
}

/**
 * The last console tab of this rep on this instance closed: offline now, "Away" kept for next
 * time — unless another instance touched the row since this one did (a console open there).
 * If this instance touched last, the other instance's next heartbeat (≤ 15 s) brings them back.
 */
export async function leavePresence(staffId: string): Promise<void> {
  const mine = touches.get(staffId);
  touches.delete(staffId);
  await db
    .update(chatPresence)
    .set({ lastSeenAt: sql`'epoch'::timestamptz` })
    .where(
      and(
        eq(chatPresence.staffId, staffId),
        mine ? sql`${chatPresence.lastSeenAt} <= ${mine}::timestamptz` : undefined,
      ),
    );
}

export async function setAway(staffId: string, away: boolean): Promise<void> {
  await db
    .insert(chatPresence)
    .values({ staffId, away })
    .onConflictDoUpdate({ target: chatPresence.staffId, set: { away, lastSeenAt: sql`now()` } });
}

export async function isAway(staffId: string): Promise<boolean> {
  const [row] = await db
    .select({ away: chatPresence.away })
    .from(chatPresence)
    .where(eq(chatPresence.staffId, staffId));
  return row?.away ?? false;
}

export async function repsOnline(): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(chatPresence)
    .where(
      and(
        eq(chatPresence.away, false),
        gt(chatPresence.lastSeenAt, sql`now() - make_interval(secs => ${PRESENCE_FRESH_SECONDS})`),
      ),
    );
  return Number(row?.n ?? 0);
}

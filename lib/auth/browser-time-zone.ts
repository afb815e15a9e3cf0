import "server-only";
import { and, eq, isNull } from "drizzle-orm";
import { db } from "@/db/client";
import { users } from "@/db/schema";
import { forgetSessions } from "./sessions";

/**
 * The zone the browser reported at sign-in becomes the person's, but only while they have none:
 * a zone they chose (or one adopted before) is never overwritten by a laptop on a trip. The caller
 * already knows the column is empty, so a sign-in costs this UPDATE once per person, not each time.
 */
export async function adoptBrowserTimeZone(userId: string, timeZone: string): Promise<void> {
  await db
    .update(users)
    .set({ timeZone })
    .where(and(eq(users.id, userId), isNull(users.timeZone)));
  // Sessions remembered on the embedded database carry the zone: read it afresh.
  forgetSessions(userId);
}

import "server-only";
import { and, eq, inArray, isNull, ne, sql } from "drizzle-orm";
import { db } from "@/db/client";
import { sessions } from "@/db/schema";
import { fail, ok, type Outcome } from "@/lib/actions/result";
import { recordAudit } from "@/lib/audit/record";
import { forgetSessions, revokeOtherSessions, revokeSession } from "./sessions";

/** The signed-in person, on the session they are using, from where. */
export type SessionActor = { userId: string; sessionId: string; ip: string };

/**
 * Ends the session in use ("Sign out"), audited in the same transaction. The session cookie is
 * Auth.js's to clear, by the caller.
 */
export async function signOutSession(actor: SessionActor): Promise<void> {
  await db.transaction(async (tx) => {
    await revokeSession(tx, actor.userId, actor.sessionId, "signed out");
    await recordAudit(tx, {
      actorId: actor.userId,
      subjectUserId: actor.userId,
      action: "auth.sign_out",
      ip: actor.ip,
    });
  });
}

/**
 * Ends a group of the device list (same browser, system and address) in one step: every listed
 * session that is the person's and still active, never the one in use (that is "Sign out").
 * One audit row, naming the sessions, like a single device's.
 */
export async function signOutDeviceGroup(actor: SessionActor, sessionIds: string[]): Promise<Outcome> {
  const ids = [...new Set(sessionIds)].filter((id) => id !== actor.sessionId);
  if (!ids.length) return fail("deviceAlreadySignedOut");
  const revoked = await db.transaction(async (tx) => {
    const rows = await tx
      .update(sessions)
      .set({ revokedAt: sql`now()`, revokedReason: "signed out from device list" })
      .where(
        and(
          inArray(sessions.id, ids),
          eq(sessions.userId, actor.userId),
          ne(sessions.id, actor.sessionId),
          isNull(sessions.revokedAt),
        ),
      )
      .returning({ id: sessions.id });
    forgetSessions(actor.userId);
    if (rows.length) {
      await recordAudit(tx, {
        actorId: actor.userId,
        subjectUserId: actor.userId,
        action: "auth.device_signed_out",
        detail: rows.length === 1 ? { sessionId: rows[0].id } : { sessionIds: rows.map((r) => r.id) },
        ip: actor.ip,
      });
    }
    return rows.length;
  });
  if (!revoked) return fail("deviceAlreadySignedOut");
  return ok(
    undefined,
    revoked === 1 ? "The device was signed out." : `The device was signed out (${revoked} sessions).`,
  );
}

/** Ends every session of the person except the one in use. */
export async function signOutEverywhereElse(actor: SessionActor): Promise<Outcome> {
  const count = await db.transaction(async (tx) => {
    const n = await revokeOtherSessions(tx, actor.userId, actor.sessionId, "signed out everywhere else");
    await recordAudit(tx, {
      actorId: actor.userId,
      subjectUserId: actor.userId,
      action: "auth.signed_out_everywhere_else",
      detail: { sessions: n },
      ip: actor.ip,
    });
    return n;
  });
  return ok(
    undefined,
    count === 0 ? "No other devices were signed in." : `Signed out ${count} other device${count === 1 ? "" : "s"}.`,
  );
}

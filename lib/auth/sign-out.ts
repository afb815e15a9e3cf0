import "server-only";
import { db } from "@/db/client";
import { fail, ok, type Outcome } from "@/lib/actions/result";
import { recordAudit } from "@/lib/audit/record";
import { revokeOtherSessions, revokeSession } from "./sessions";

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

/** Ends one of the person's sessions from the device list; refused when it had already ended. */
export async function signOutDevice(actor: SessionActor, deviceSessionId: string): Promise<Outcome> {
  const revoked = await db.transaction(async (tx) => {
    const done = await revokeSession(tx, actor.userId, deviceSessionId, "signed out from device list");
    if (done) {
      await recordAudit(tx, {
        actorId: actor.userId,
        subjectUserId: actor.userId,
        action: "auth.device_signed_out",
        detail: { sessionId: deviceSessionId },
        ip: actor.ip,
      });
    }
    return done;
  });
  return revoked ? ok(undefined, "The device was signed out.") : fail("deviceAlreadySignedOut");
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

import "server-only";
import { eq } from "drizzle-orm";
import { db } from "@/db/client";
import { users, type Role } from "@/db/schema";
import { recordAudit } from "@/lib/audit/record";
import { withKnownDevice } from "@/lib/auth/known-device";
import { createSession } from "@/lib/auth/sessions";
import { passkeySignInLimits, releaseAttempt, reserveAttempt, retryAfter } from "@/lib/auth/throttle";
import { verifyPasskeyAssertion } from "./passkeys";

export type PasskeySignInOutcome =
  | {
      ok: true;
      userId: string;
      sessionId: string;
      role: Role;
      /** The device cookie to set: a passkey sign-in is a successful sign-in, so the browser is known. */
      deviceCookie: string | null;
    }
  | { ok: false; reason: "invalid" }
  | { ok: false; reason: "rate_limited"; retryAfterSeconds: number };

/** Seconds this address must still wait before trying a passkey again (read-only, for the message). */
export function passkeySignInWait(ip: string): Promise<number> {
  return retryAfter(passkeySignInLimits(ip));
}

/**
 * "Sign in with a passkey": a discoverable credential is the whole sign-in (it is something the
 * person has, unlocked by something they are or know on their device), so the session is full
 * from the start, staff included. Failures are counted per client address, reserve-first.
 */
export async function signInWithPasskey(
  response: unknown,
  meta: { ip: string; userAgent: string; deviceCookie?: string },
): Promise<PasskeySignInOutcome> {
  const limits = passkeySignInLimits(meta.ip);
  const wait = await reserveAttempt(limits);
  if (wait > 0) return { ok: false, reason: "rate_limited", retryAfterSeconds: wait };
  const verified = await verifyPasskeyAssertion("sign_in", response, {});
  const [user] = verified
    ? await db
        .select({ id: users.id, role: users.role, disabledAt: users.disabledAt, passwordHash: users.passwordHash })
        .from(users)
        .where(eq(users.id, verified.userId))
    : [];
  // A disabled staff account answers like an unknown passkey.
  if (!verified || !user || user.disabledAt) {
    if (user) {
      await recordAudit(db, {
        actorId: null,
        subjectUserId: user.id,
        action: "auth.sign_in_failed",
        detail: { method: "passkey" },
        ip: meta.ip,
      });
    }
    return { ok: false, reason: "invalid" };
  }
  // Hands this attempt's place back; the address's other failures stay counted.
  await releaseAttempt(limits);
  const sessionId = await db.transaction(async (tx) => {
    const id = await createSession(tx, {
      userId: user.id,
      userAgent: meta.userAgent,
      ip: meta.ip,
      stage: "full",
      verifiedBy: "passkey",
    });
    await recordAudit(tx, {
      actorId: user.id,
      subjectUserId: user.id,
      action: "auth.sign_in",
      detail: { sessionId: id, verifiedBy: "passkey", passkeyId: verified.passkeyId },
      ip: meta.ip,
    });
    return id;
  });
  return {
    ok: true,
    userId: user.id,
    sessionId,
    role: user.role,
    deviceCookie: withKnownDevice(meta.deviceCookie, user),
  };
}

import "server-only";
import { db } from "@/db/client";
import type { Role, SessionStage } from "@/db/schema";
import { recordAudit } from "@/lib/audit/record";
import { hasSecondFactor } from "@/lib/two-step/factors";
import { verifyPassword } from "./password-hash";
import { createSession } from "./sessions";
import { releaseAttempt, reserveAttempt, retryAfter, signInLimits } from "./throttle";
import { findUserBySignInName } from "./user-lookup";

type SignInAttempt = { identifier: string; password: string; ip: string; userAgent: string };
export type SignInOutcome =
  | { ok: true; userId: string; sessionId: string; role: string; stage: SessionStage }
  | { ok: false; reason: "invalid" }
  | { ok: false; reason: "rate_limited"; retryAfterSeconds: number };

/** The throttle key for an identifier: the account when it exists, else the name typed. */
function accountThrottleKey(user: { id: string } | null, identifier: string): string {
  return user ? user.id : `unknown:${identifier.trim().toLowerCase()}`;
}

/**
 * Before a sign-in is handed to Auth.js: the seconds this name or address must still wait (0 when
 * it may go ahead; read-only, so the form can say when to try again) and the role of the account
 * it names, if any, for where to land afterwards.
 */
export async function signInWait(identifier: string, ip: string): Promise<{ seconds: number; role: Role | null }> {
  const user = await findUserBySignInName(identifier);
  const seconds = await retryAfter(signInLimits({ account: accountThrottleKey(user, identifier), ip }));
  return { seconds, role: user?.role ?? null };
}

/**
 * Checks a username-or-account-number and password. Rate limits are consulted first, so a
 * limited attempt never reaches the (deliberately slow) password hash. On success a session row
 * is created and audited: full for a password-only customer, else partial (second step or staff
 * enrolment), which every page and action treats as signed out until it is completed.
 */
export async function verifyCredentials(attempt: SignInAttempt): Promise<SignInOutcome> {
  const user = await findUserBySignInName(attempt.identifier);
  const limits = signInLimits({ account: accountThrottleKey(user, attempt.identifier), ip: attempt.ip });
  // Counted before the hash, atomically: parallel attempts cannot all slip under the limit.
  const wait = await reserveAttempt(limits);
  if (wait > 0) return { ok: false, reason: "rate_limited", retryAfterSeconds: wait };

  const valid = await verifyPassword(user?.passwordHash ?? null, attempt.password);
  // A disabled staff account answers exactly like a wrong password (after the same hash).
  if (!user || !valid || user.disabledAt) {
    if (user) {
      await recordAudit(db, { actorId: null, subjectUserId: user.id, action: "auth.sign_in_failed", ip: attempt.ip });
    }
    return { ok: false, reason: "invalid" };
  }
  // One good password clears the account's count, but only hands back this attempt's place in the
  // address's count: it must not reset an attacker's budget for every other account.
  await releaseAttempt(limits, [limits[1].key]);
  // With a second factor the password opens only the second-step page; staff without one only the
  // enrolment page (they must enrol before the console opens). Decided here, from the database.
  const stage: SessionStage = (await hasSecondFactor(user.id))
    ? "second_step"
    : user.role !== "customer"
      ? "enrol"
      : "full";
  const sessionId = await db.transaction(async (tx) => {
    const id = await createSession(tx, { userId: user.id, userAgent: attempt.userAgent, ip: attempt.ip, stage });
    await recordAudit(tx, {
      actorId: user.id,
      subjectUserId: user.id,
      // "auth.sign_in" means signed in; a partial session is audited as the half it is, and the
      // sign-in itself once the second step (lib/two-step/second-step.ts) or enrolment completes it.
      action: stage === "full" ? "auth.sign_in" : "auth.password_ok_second_step_pending",
      detail: stage === "full" ? { sessionId: id, verifiedBy: "password" } : { sessionId: id, stage },
      ip: attempt.ip,
    });
    return id;
  });
  return { ok: true, userId: user.id, sessionId, role: user.role, stage };
}

import "server-only";
import { db } from "@/db/client";
import type { Role, SessionStage } from "@/db/schema";
import { recordAudit } from "@/lib/audit/record";
import { hasSecondFactor } from "@/lib/two-step/factors";
import { verifyPassword } from "./password-hash";
import { createSession } from "./sessions";
import { knownDeviceOf, withKnownDevice } from "./known-device";
import { alertOwnerOfAttack } from "./attack-alert";
import { releaseAttempt, reserve, retryAfter, signInLimits } from "./throttle";
import { findUserBySignInName } from "./user-lookup";
import type { Later } from "@/lib/mail/later";

type SignInAttempt = {
  identifier: string;
  password: string;
  ip: string;
  userAgent: string;
  /** The browser's known-device cookie (lib/auth/known-device.ts), if it sent one. */
  deviceCookie?: string;
  /**
   * Where the bookkeeping of a wrong password (its audit row, the owner's alert) runs: the app
   * passes `afterAnswer`, so a known account's failure answers in the same time as an unknown
   * name's (which has nothing to record); by default it runs before returning.
   */
  later?: Later;
};
export type SignInOutcome =
  | {
      ok: true;
      userId: string;
      sessionId: string;
      role: string;
      stage: SessionStage;
      /** The device cookie to set: this browser is now a known device of the account. */
      deviceCookie: string | null;
    }
  | { ok: false; reason: "invalid" }
  | { ok: false; reason: "rate_limited"; retryAfterSeconds: number };

/**
 * The limits for an attempt: keyed by the account's id when the name matches one (so its
 * username in any casing and its account number share one count), else by the name typed; a
 * browser proving it is a known device of that account gets its own count instead.
 */
function limitsFor(
  user: { id: string; passwordHash: string | null } | null,
  attempt: { identifier: string; ip: string; deviceCookie?: string },
) {
  const account = user ? user.id : `unknown:${attempt.identifier.trim().toLowerCase()}`;
  const device = user ? knownDeviceOf(attempt.deviceCookie, user) : null;
  return signInLimits({ account, ip: attempt.ip, device });
}

/**
 * Before a sign-in is handed to Auth.js: the seconds this name or address must still wait (0 when
 * it may go ahead; read-only, so the form can say when to try again) and the role of the account
 * it names, if any, for where to land afterwards.
 */
export async function signInWait(
  identifier: string,
  ip: string,
  deviceCookie?: string,
): Promise<{ seconds: number; role: Role | null }> {
  const user = await findUserBySignInName(identifier);
  const seconds = await retryAfter(limitsFor(user, { identifier, ip, deviceCookie }));
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
  const limits = limitsFor(user, attempt);
  // Counted before the hash, atomically: parallel attempts cannot all slip under the limit.
  const { wait, counts } = await reserve(limits);
  if (wait > 0) return { ok: false, reason: "rate_limited", retryAfterSeconds: wait };

  const valid = await verifyPassword(user?.passwordHash ?? null, attempt.password);
  // A disabled staff account answers exactly like a wrong password (after the same hash).
  if (!user || !valid || user.disabledAt) {
    if (user) {
      const record = async () => {
        await recordAudit(db, { actorId: null, subjectUserId: user.id, action: "auth.sign_in_failed", ip: attempt.ip });
        // The failure that uses up the account's free ones (from anywhere) tells the owner, once.
        const accountLimit = limits.find((l) => l.key.startsWith("account:"));
        if (accountLimit && "free" in accountLimit && counts[accountLimit.key] === accountLimit.free) {
          await alertOwnerOfAttack(user.id, { failures: accountLimit.free, ip: attempt.ip });
        }
      };
      if (attempt.later) attempt.later(record);
      else await record();
    }
    return { ok: false, reason: "invalid" };
  }
  // One good password clears the account's counts, but only hands back this attempt's place in
  // the address's count: it must not reset an attacker's budget for every other account.
  await releaseAttempt(
    limits,
    limits.map((l) => l.key).filter((k) => !k.startsWith("ip:")),
  );
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
  return {
    ok: true,
    userId: user.id,
    sessionId,
    role: user.role,
    stage,
    deviceCookie: withKnownDevice(attempt.deviceCookie, user),
  };
}

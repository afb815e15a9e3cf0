import "server-only";
import { cookies } from "next/headers";
import { db } from "@/db/client";
import type { Role } from "@/db/schema";
import { fail, ok, type Outcome } from "@/lib/actions/result";
import { recordAudit } from "@/lib/audit/record";
import { SESSION_COOKIE, sessionIdFromToken } from "@/lib/auth/session-cookie";
import { completeSession, findPartialSession, revokeSession, type PartialSession } from "@/lib/auth/sessions";
import { releaseAttempt, reserveAttempt, secondStepLimits } from "@/lib/auth/throttle";
import { authSecret } from "@/lib/env";
import { verifyPasskeyAssertion } from "./passkeys";
import { redeemRecoveryCode } from "./recovery-codes";
import { checkAuthenticatorCode } from "./totp";

export type SecondStepMethod = "authenticator" | "passkey" | "recovery_code";

/**
 * The partly signed-in session behind this request's session cookie. `hadCookie` tells a lapsed
 * second step (say "took too long") from a visitor who never signed in (say nothing).
 */
export async function partialSessionFromCookie(): Promise<{ partial: PartialSession | null; hadCookie: boolean }> {
  const token = (await cookies()).get(SESSION_COOKIE)?.value;
  const secret = authSecret();
  if (!token || !secret) return { partial: null, hadCookie: false };
  const sid = await sessionIdFromToken(token, secret);
  return { partial: sid ? await findPartialSession(sid) : null, hadCookie: true };
}

/**
 * Finishes a partial "second_step" session with one of the person's factors. Every answer,
 * right or wrong, is counted first against the account (reserve-first, like passwords), so
 * parallel guesses cannot slip under the limit; a right answer clears the count. On success the
 * session becomes full (verified_by "password+<method>") and the sign-in is audited.
 */
export async function finishSecondStep(
  partial: PartialSession,
  input: { method: SecondStepMethod; code?: string; response?: unknown },
  meta: { ip: string },
): Promise<Outcome<{ role: Role }>> {
  if (partial.stage !== "second_step") return fail("twoStepSignInExpired");
  const limits = secondStepLimits(partial.userId);
  const wait = await reserveAttempt(limits);
  if (wait > 0) return fail({ code: "tooManyAttempts", of: "secondStep", retryAfterSeconds: wait });

  const refusal = await checkFactor(partial, input);
  if (refusal) {
    await recordAudit(db, {
      actorId: partial.userId,
      subjectUserId: partial.userId,
      action: "auth.second_step_failed",
      detail: { sessionId: partial.sessionId, method: input.method, reason: refusal },
      ip: meta.ip,
    });
    return fail(refusal);
  }
  await releaseAttempt(
    limits,
    limits.map((l) => l.key),
  );
  const verifiedBy = `password+${input.method}`;
  const completed = await db.transaction(async (tx) => {
    // Once only: a second tab finishing the same session finds it full already.
    if (!(await completeSession(tx, partial.sessionId, verifiedBy))) return false;
    await recordAudit(tx, {
      actorId: partial.userId,
      subjectUserId: partial.userId,
      action: "auth.sign_in",
      detail: { sessionId: partial.sessionId, verifiedBy },
      ip: meta.ip,
    });
    return true;
  });
  if (!completed) return fail("twoStepSignInExpired");
  return ok({ role: partial.role });
}

type FactorRefusal = "twoStepCodeWrong" | "twoStepCodeUsed" | "recoveryCodeWrong" | "passkeyFailed";

async function checkFactor(
  partial: PartialSession,
  input: { method: SecondStepMethod; code?: string; response?: unknown },
): Promise<FactorRefusal | null> {
  switch (input.method) {
    case "authenticator": {
      const code = (input.code ?? "").replace(/\s+/g, "");
      if (!/^\d{6}$/.test(code)) return "twoStepCodeWrong";
      const result = await checkAuthenticatorCode(partial.userId, code);
      return result === "ok" ? null : result === "replayed" ? "twoStepCodeUsed" : "twoStepCodeWrong";
    }
    case "recovery_code":
      return (await redeemRecoveryCode(partial.userId, input.code ?? "")) ? null : "recoveryCodeWrong";
    case "passkey": {
      // Bound to this partial session and its user: an assertion made for another sign-in, or by
      // another person's passkey, does not finish this one.
      const verified = await verifyPasskeyAssertion("second_step", input.response, {
        userId: partial.userId,
        sessionId: partial.sessionId,
      });
      return verified && verified.userId === partial.userId ? null : "passkeyFailed";
    }
  }
}

/** "Cancel and sign out": the partial session ends here (the caller clears the cookie). */
export async function cancelPartialSession(partial: PartialSession, meta: { ip: string }): Promise<void> {
  await db.transaction(async (tx) => {
    await revokeSession(tx, partial.userId, partial.sessionId, "second step cancelled");
    await recordAudit(tx, {
      actorId: partial.userId,
      subjectUserId: partial.userId,
      action: "auth.second_step_cancelled",
      detail: { sessionId: partial.sessionId, stage: partial.stage },
      ip: meta.ip,
    });
  });
}

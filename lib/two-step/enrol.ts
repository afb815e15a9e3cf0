import "server-only";
import { eq } from "drizzle-orm";
import { db, type Tx } from "@/db/client";
import { users } from "@/db/schema";
import { fail, ok, type Outcome } from "@/lib/actions/result";
import { recordAudit } from "@/lib/audit/record";
import { completeSession, type PartialSession } from "@/lib/auth/sessions";
import { releaseAttempt, reserveAttempt, secondStepLimits } from "@/lib/auth/throttle";
import { appUrl } from "@/lib/env";
import { queueMail } from "@/lib/mail/outbox";
import { issueRecoveryLink } from "@/lib/recovery/tokens";
import { passkeyRegistrationOptions, savePasskey } from "./passkeys";
import { issueRecoveryCodes } from "./recovery-codes";
import { beginAuthenticatorEnrolment, confirmAuthenticatorEnrolment } from "./totp";

// Staff enrolment at sign-in (/login/enrol): a staff member whose account has no second factor
// signs in with the password into a partial "enrol" session, which can do nothing but this.

/** Only staff in the enrolment stage (a customer there cannot exist; refused anyway). */
function enrolling(partial: PartialSession | null): partial is PartialSession {
  return Boolean(partial && partial.stage === "enrol" && partial.role !== "customer");
}

async function person(userId: string) {
  const [row] = await db
    .select({ username: users.username, email: users.email, firstName: users.firstName, lastName: users.lastName })
    .from(users)
    .where(eq(users.id, userId));
  return row;
}

export type AuthenticatorStart = { secret: string; uri: string; qrSvg: string };

/** A fresh secret (stored unconfirmed) to scan or type into an authenticator app. */
export async function startStaffAuthenticator(partial: PartialSession | null): Promise<Outcome<AuthenticatorStart>> {
  if (!enrolling(partial)) return fail("twoStepSignInExpired");
  const who = await person(partial.userId);
  const started = await beginAuthenticatorEnrolment(partial.userId, who?.username ?? "staff");
  if (!started.ok) return fail(started.code);
  return ok({ secret: started.secret, uri: started.uri, qrSvg: started.qrSvg });
}

/** Thrown inside the transaction when the session lapsed meanwhile: nothing of the enrolment stays. */
class EnrolmentLapsed extends Error {}

/**
 * The first code confirms the app; then recovery codes are issued, the session becomes full and
 * the staff member is told by mail. Wrong codes count against the account like second-step codes.
 */
export async function confirmStaffAuthenticator(
  partial: PartialSession | null,
  code: string,
  meta: { ip: string },
): Promise<Outcome<{ recoveryCodes: string[] }>> {
  if (!enrolling(partial)) return fail("twoStepSignInExpired");
  const limits = secondStepLimits(partial.userId);
  const wait = await reserveAttempt(limits);
  if (wait > 0) return fail({ code: "tooManyAttempts", of: "secondStep", retryAfterSeconds: wait });
  const outcome = await runEnrolment(async (tx) => {
    const confirmed = await confirmAuthenticatorEnrolment(tx, partial.userId, code);
    if (confirmed === "wrong") return fail("twoStepCodeWrong");
    if (confirmed === "none") return fail("authenticatorEnrolmentExpired");
    return ok(await completeEnrolment(tx, partial, "authenticator", meta));
  });
  if (outcome.ok)
    await releaseAttempt(
      limits,
      limits.map((l) => l.key),
    );
  return outcome;
}

export async function staffPasskeyOptions(partial: PartialSession | null) {
  if (!enrolling(partial)) return fail("twoStepSignInExpired");
  const who = await person(partial.userId);
  const userName = who?.username ?? partial.userId;
  return ok(
    await passkeyRegistrationOptions({
      userId: partial.userId,
      userName,
      displayName: `${who?.firstName ?? ""} ${who?.lastName ?? ""}`.trim() || userName,
      sessionId: partial.sessionId,
    }),
  );
}

export async function saveStaffPasskey(
  partial: PartialSession | null,
  input: { response: unknown; name?: string },
  meta: { ip: string },
): Promise<Outcome<{ recoveryCodes: string[] }>> {
  if (!enrolling(partial)) return fail("twoStepSignInExpired");
  return runEnrolment(async (tx) => {
    const saved = await savePasskey(tx, {
      userId: partial.userId,
      sessionId: partial.sessionId,
      name: input.name || "Passkey",
      response: input.response,
    });
    if (!saved.ok) return fail(saved.code);
    return ok(await completeEnrolment(tx, partial, "passkey", meta));
  });
}

async function runEnrolment<T>(work: (tx: Tx) => Promise<Outcome<T>>): Promise<Outcome<T>> {
  try {
    return await db.transaction(async (tx) => {
      const outcome = await work(tx);
      // A refusal inside must not keep anything it wrote (a half-confirmed app): roll back.
      if (!outcome.ok) throw new Refused(outcome);
      return outcome;
    });
  } catch (err) {
    if (err instanceof Refused) return err.outcome as Outcome<T>;
    if (err instanceof EnrolmentLapsed) return fail("twoStepSignInExpired");
    throw err;
  }
}

class Refused extends Error {
  constructor(readonly outcome: Outcome<unknown>) {
    super("refused");
  }
}

async function completeEnrolment(
  tx: Tx,
  partial: PartialSession,
  method: "authenticator" | "passkey",
  meta: { ip: string },
): Promise<{ recoveryCodes: string[] }> {
  const verifiedBy = `password+${method}`;
  if (!(await completeSession(tx, partial.sessionId, verifiedBy))) throw new EnrolmentLapsed();
  const recoveryCodes = await issueRecoveryCodes(tx, partial.userId);
  await recordAudit(tx, {
    actorId: partial.userId,
    subjectUserId: partial.userId,
    action: "two_step.enrolled",
    detail: { sessionId: partial.sessionId, method, atSignIn: true },
    ip: meta.ip,
  });
  await recordAudit(tx, {
    actorId: partial.userId,
    subjectUserId: partial.userId,
    action: "auth.sign_in",
    detail: { sessionId: partial.sessionId, verifiedBy },
    ip: meta.ip,
  });
  const [who] = await tx.select({ email: users.email }).from(users).where(eq(users.id, partial.userId));
  if (who?.email) {
    const notMeLink = await issueRecoveryLink(tx, { userId: partial.userId, kind: "not_me", eventAt: new Date() });
    await queueMail(tx, { to: who.email, ...staffEnrolledMail(method, notMeLink) });
  }
  return { recoveryCodes };
}

/** Like the other security alerts (lib/mail/templates.ts): what happened, then "This wasn't me". */
function staffEnrolledMail(method: "authenticator" | "passkey", notMeLink: string) {
  const what = method === "passkey" ? "a passkey" : "an authenticator app";
  return {
    subject: "Two-step sign-in was set up on your MyAccount staff account",
    text: `Two-step sign-in was just set up on your MyAccount staff account with ${what}, and ten recovery codes were issued. From now on you sign in with your password and ${what}.

If this wasn't you, use this link. It signs out every device on your account, removes the sign-in methods added since, and lets you choose a new password right away (it works once, for 7 days):
${notMeLink}

You can also contact your administrator, or us:
${appUrl()}/contact`,
  };
}

import "server-only";
import { eq } from "drizzle-orm";
import { db } from "@/db/client";
import { passwordResets, users } from "@/db/schema";
import { fail, ok, type Outcome } from "@/lib/actions/result";
import { recordAudit } from "@/lib/audit/record";
import { appUrl } from "@/lib/env";
import { afterAnswer, type Later } from "@/lib/mail/later";
import { reserveMail } from "@/lib/mail/limits";
import { queueMail } from "@/lib/mail/outbox";
import { passwordResetMail } from "@/lib/mail/templates";
import { maskEmail } from "@/lib/profile/email-change";
import { refuseCommonPassword } from "./common-passwords";
import { storeNewPassword } from "./password-change";
import { hashPassword } from "./password-hash";
import { withKnownDevice } from "./known-device";
import { hashToken, issueToken, redeemable, usedNow } from "./single-use-token";
import { liftAccountLimits, reserveAttempt, resetRequestLimits } from "./throttle";
import { findUserBySignInName } from "./user-lookup";

const RESET_TTL_MINUTES = 30;

/** The one answer to a reset request, whether or not an account matched. */
export const RESET_REQUESTED_MESSAGE = `If that matches an account, we've sent a link to the e-mail address on file. It works once, for ${RESET_TTL_MINUTES} minutes.`;

/**
 * What the forgot-password form calls. The answer is the same whether or not the account exists,
 * and so is the work done before it: the lookup, the limits, the token and the mail all run after
 * answering (`later`), so the response time tells nothing either.
 */
export function answerResetRequest(identifier: string, meta: { ip: string }, later: Later = afterAnswer): void {
  later(() => requestPasswordReset(identifier, meta));
}

/**
 * Starts a password reset. Only a registered account with an e-mail address gets a mail, carrying
 * a single-use token; nothing tells the caller whether one was sent.
 */
export async function requestPasswordReset(identifier: string, meta: { ip: string }): Promise<void> {
  const user = await findUserBySignInName(identifier, { orEmail: true });
  // Limited per address and per account, silently: the answer must stay the same either way.
  if ((await reserveAttempt(resetRequestLimits(meta.ip, user?.id ?? null))) > 0) return;
  if (!user?.email) return;
  const to = user.email;
  // Per requester and per recipient too, silently: the mail is just not queued.
  if ((await reserveMail({ ip: meta.ip }, to)) > 0) return;
  const { token, tokenHash, expiresAt } = issueToken(RESET_TTL_MINUTES * 60_000);
  await db.transaction(async (tx) => {
    await tx.insert(passwordResets).values({ userId: user.id, tokenHash, expiresAt });
    await recordAudit(tx, {
      actorId: null,
      subjectUserId: user.id,
      action: "auth.password_reset_requested",
      ip: meta.ip,
    });
    await queueMail(tx, { to, ...passwordResetMail(`${appUrl()}/reset-password?token=${token}`) });
  });
}

/**
 * A customer service rep sends the customer a reset link (the customer asked; lib/console/customer-act.ts).
 * The link goes only to the e-mail address on file: the rep never sees it, nor sets a password.
 * Audited with the rep as actor and the reason; the same per-account limit as a self-service request.
 */
export async function sendPasswordResetFor(
  userId: string,
  actor: { actorId: string; ip: string; reason: string },
): Promise<Outcome<{ sentTo: string }>> {
  const [user] = await db.select({ email: users.email, role: users.role }).from(users).where(eq(users.id, userId));
  if (user?.role !== "customer") return fail("accessNoCustomer");
  if (!user.email) return fail("resetNoEmailOnFile");
  const to = user.email;
  const accountLimit = resetRequestLimits(actor.ip, userId).filter((l) => l.key.startsWith("reset-account:"));
  if ((await reserveAttempt(accountLimit)) > 0) return fail("resetTooManyForCustomer");
  const { token, tokenHash, expiresAt } = issueToken(RESET_TTL_MINUTES * 60_000);
  await db.transaction(async (tx) => {
    await tx.insert(passwordResets).values({ userId, tokenHash, expiresAt });
    await recordAudit(tx, {
      actorId: actor.actorId,
      subjectUserId: userId,
      action: "auth.password_reset_requested",
      detail: { reason: actor.reason },
      ip: actor.ip,
    });
    await queueMail(tx, { to, ...passwordResetMail(`${appUrl()}/reset-password?token=${token}`) });
  });
  return ok(
    { sentTo: maskEmail(to) },
    `A password reset link was sent to the customer's e-mail address (${maskEmail(to)}).`,
  );
}

/** What a reset link can still do, read without using it up (the page says so before the form). */
export type ResetLinkState = "usable" | "used" | "expired" | "unknown";

export async function resetLinkState(token: string): Promise<ResetLinkState> {
  const [row] = await db
    .select({ usedAt: passwordResets.usedAt, expiresAt: passwordResets.expiresAt })
    .from(passwordResets)
    .where(eq(passwordResets.tokenHash, hashToken(token)))
    .limit(1);
  if (!row) return "unknown";
  if (row.usedAt) return "used";
  return row.expiresAt.getTime() <= Date.now() ? "expired" : "usable";
}

/**
 * Completes a reset: the token must be unused and unexpired; all sessions are signed out. On
 * success the page moves on to sign-in, which says so. The reset lifts the account's sign-in
 * counts and makes the resetting browser a known device (`deviceCookie`, for the caller to set):
 * earlier failures from elsewhere never hold it out. The new password hash ends every other
 * browser's device cookie.
 */
export async function resetPassword(
  input: { token: string; password: string },
  meta: { ip: string; deviceCookie?: string },
): Promise<Outcome<{ deviceCookie: string | null }>> {
  const refused = refuseCommonPassword(input.password);
  if (refused) return refused;
  const passwordHash = await hashPassword(input.password);
  return db.transaction(async (tx) => {
    const [reset] = await tx
      .update(passwordResets)
      .set(usedNow)
      .where(redeemable(passwordResets, input.token))
      .returning({ userId: passwordResets.userId });
    if (!reset) return fail("resetLinkUsed");
    await storeNewPassword(tx, reset.userId, passwordHash, null, {
      ip: meta.ip,
      actorId: reset.userId,
      action: "auth.password_reset",
    });
    await liftAccountLimits(tx, reset.userId);
    return ok({ deviceCookie: withKnownDevice(meta.deviceCookie, { id: reset.userId, passwordHash }) });
  });
}

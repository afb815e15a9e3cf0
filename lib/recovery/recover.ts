import "server-only";
import { and, eq, gt, isNull, sql } from "drizzle-orm";
import { db, type Tx } from "@/db/client";
import { emailChangeRequests, passwordResets, recoveryTokens, users } from "@/db/schema";
import { fail, ok, type Outcome } from "@/lib/actions/result";
import { recordAudit } from "@/lib/audit/record";
import { revokeOtherSessions } from "@/lib/auth/sessions";
import { hashToken, issueToken, usedNow } from "@/lib/auth/single-use-token";
import { isEmailTaken } from "@/lib/auth/user-lookup";
import { maskEmail } from "@/lib/profile/email-change";
import { removeFactorsAddedSince as removeFactorsAddedSinceEvent } from "@/lib/two-step/factors";
import type { RecoveryKind } from "./tokens";

/** The reset link recovery hands out: as short-lived as a mailed one (lib/auth/password-reset.ts). */
const RESET_TTL_MINUTES = 30;

function redeemableRecovery(token: string, kind: RecoveryKind) {
  return and(
    eq(recoveryTokens.tokenHash, hashToken(token)),
    eq(recoveryTokens.kind, kind),
    isNull(recoveryTokens.usedAt),
    gt(recoveryTokens.expiresAt, sql`now()`),
  );
}

/**
 * Whoever made the alerted change may also have added a sign-in factor (a passkey on their own
 * device, their authenticator app, a fresh set of recovery codes): everything added at or after
 * `eventAt` goes, so the recovered account does not let them straight back in. Factors the owner
 * had before the event stay.
 */
async function removeFactorsAddedSince(tx: Tx, userId: string, eventAt: Date) {
  return removeFactorsAddedSinceEvent(tx, userId, eventAt);
}

/**
 * What both recovery links do once: every session ends (so whoever changed the account is out),
 * any pending e-mail change and outstanding reset link is ended, factors added since the event go,
 * the old password stops working, and a fresh reset token is issued. The token is returned instead of mailed: the person just
 * proved they read this mailbox by following the link, and a second mail would only slow them
 * down while an intruder may still know the password.
 */
async function lockOutAndStartReset(tx: Tx, userId: string, eventAt: Date, reason: string) {
  const signedOut = await revokeOtherSessions(tx, userId, null, reason);
  // The old password stops working now, not when the new one is chosen: whoever made the alerted
  // change may know it, and the owner might close the tab before finishing the reset (they can
  // still start one from /forgot-password).
  await tx
    .update(users)
    .set({ passwordHash: null, updatedAt: sql`now()` })
    .where(eq(users.id, userId));
  await tx
    .update(emailChangeRequests)
    .set({ cancelledAt: sql`now()` })
    .where(
      and(
        eq(emailChangeRequests.userId, userId),
        isNull(emailChangeRequests.usedAt),
        isNull(emailChangeRequests.cancelledAt),
      ),
    );
  await tx
    .update(passwordResets)
    .set(usedNow)
    .where(and(eq(passwordResets.userId, userId), isNull(passwordResets.usedAt)));
  const factorsRemoved = await removeFactorsAddedSince(tx, userId, eventAt);
  const { token, tokenHash, expiresAt } = issueToken(RESET_TTL_MINUTES * 60_000);
  await tx.insert(passwordResets).values({ userId, tokenHash, expiresAt });
  return { resetToken: token, signedOut, factorsRemoved };
}

/**
 * "This wasn't me" from a security alert: in one step, signs out every device, cancels a pending
 * e-mail change and starts a password reset. Single use; audited.
 */
export function recoverAccount(token: string, meta: { ip: string }): Promise<Outcome<{ resetToken: string }>> {
  return db.transaction(async (tx) => {
    const [used] = await tx
      .update(recoveryTokens)
      .set(usedNow)
      .where(redeemableRecovery(token, "not_me"))
      .returning({ userId: recoveryTokens.userId, eventAt: recoveryTokens.eventAt });
    if (!used) return fail("recoveryLinkUsed");
    const { resetToken, signedOut, factorsRemoved } = await lockOutAndStartReset(
      tx,
      used.userId,
      used.eventAt,
      "not me",
    );
    await recordAudit(tx, {
      actorId: used.userId,
      subjectUserId: used.userId,
      action: "account.recovered",
      detail: { eventAt: used.eventAt.toISOString(), sessionsSignedOut: signedOut, factorsRemoved },
      ip: meta.ip,
    });
    return ok({ resetToken });
  });
}

/**
 * The undo link in the mail to the old address after an e-mail change: puts that address back
 * (refused when another account uses it now), cancels pending e-mail changes, signs out every
 * session and starts a password reset. Single use, 7 days, bound to the address it was sent to.
 */
export async function undoEmailChange(token: string, meta: { ip: string }): Promise<Outcome<{ resetToken: string }>> {
  try {
    return await undoInTransaction(token, meta);
  } catch (err) {
    // Another account took the address between our check and the update: the unique index decides.
    const code =
      (err as { code?: string; cause?: { code?: string } }).code ?? (err as { cause?: { code?: string } }).cause?.code;
    if (code === "23505") return fail("emailUndoTaken");
    throw err;
  }
}

function undoInTransaction(token: string, meta: { ip: string }): Promise<Outcome<{ resetToken: string }>> {
  return db.transaction(async (tx) => {
    // Read and lock first: a refusal (the address is taken) must leave the link usable.
    const [row] = await tx
      .select({
        id: recoveryTokens.id,
        userId: recoveryTokens.userId,
        oldEmail: recoveryTokens.oldEmail,
        eventAt: recoveryTokens.eventAt,
      })
      .from(recoveryTokens)
      .where(redeemableRecovery(token, "email_undo"))
      .for("update");
    if (!row?.oldEmail) return fail("recoveryLinkUsed");
    if (await isEmailTaken(tx, row.oldEmail, row.userId)) return fail("emailUndoTaken");
    const [used] = await tx
      .update(recoveryTokens)
      .set(usedNow)
      .where(and(eq(recoveryTokens.id, row.id), isNull(recoveryTokens.usedAt)))
      .returning({ id: recoveryTokens.id });
    if (!used) return fail("recoveryLinkUsed");
    const [before] = await tx.select({ email: users.email }).from(users).where(eq(users.id, row.userId));
    await tx
      .update(users)
      .set({
        email: row.oldEmail,
        emailVersion: sql`${users.emailVersion} + 1`,
        version: sql`${users.version} + 1`,
        updatedAt: sql`now()`,
      })
      .where(eq(users.id, row.userId));
    const { resetToken, signedOut, factorsRemoved } = await lockOutAndStartReset(
      tx,
      row.userId,
      row.eventAt,
      "e-mail change undone",
    );
    await recordAudit(tx, {
      actorId: row.userId,
      subjectUserId: row.userId,
      action: "email.change_undone",
      detail: {
        restoredEmail: maskEmail(row.oldEmail),
        ...(before?.email ? { replacedEmail: maskEmail(before.email) } : {}),
        sessionsSignedOut: signedOut,
        factorsRemoved,
      },
      ip: meta.ip,
    });
    return ok({ resetToken }, `Your e-mail address is ${row.oldEmail} again.`);
  });
}

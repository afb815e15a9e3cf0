import "server-only";
import { and, eq, isNull, sql } from "drizzle-orm";
import { db, type Tx } from "@/db/client";
import { emailChangeRequests, users } from "@/db/schema";
import { fail, ok, type Outcome } from "@/lib/actions/result";
import { recordAudit } from "@/lib/audit/record";
import { checkCurrentPassword } from "@/lib/auth/current-password";
import type { ActiveSession } from "@/lib/auth/sessions";
import { confirmSensitiveChange } from "@/lib/two-step/fresh";
import { issueToken, redeemable, usedNow } from "@/lib/auth/single-use-token";
import { isEmailTaken } from "@/lib/auth/user-lookup";
import { appUrl } from "@/lib/env";
import { reserveMail } from "@/lib/mail/limits";
import { queueMail } from "@/lib/mail/outbox";
import { emailChangeRequestedMail, emailChangedMail, verifyNewEmailMail } from "@/lib/mail/templates";
import { issueRecoveryLink } from "@/lib/recovery/tokens";
import { pendingEmailChange } from "./queries";
import { claimSection, type ProfileActor } from "./sections";

const EMAIL_CHANGE_TTL_HOURS = 24;

/** "jane.doe@example.com" → "j•••e@example.com": enough to recognise, not to harvest. */
export function maskEmail(email: string): string {
  const [local, domain] = email.split("@");
  if (!domain) return "•••";
  return `${local.length <= 2 ? local[0] : `${local[0]}•••${local[local.length - 1]}`}@${domain}`;
}

/** Ends any pending request of the user (a new one, a cancel, or a resend supersedes it). */
async function cancelPending(tx: Tx, userId: string) {
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
}

/**
 * Stores a new request and mails its confirmation link to the new address. Registration uses it
 * too (lib/auth/register.ts): the address typed there is pending the same way, with its own words.
 */
export async function sendConfirmationLink(
  tx: Tx,
  userId: string,
  newEmail: string,
  mail: (link: string) => { subject: string; text: string } = verifyNewEmailMail,
) {
  const { token, tokenHash, expiresAt } = issueToken(EMAIL_CHANGE_TTL_HOURS * 3600_000);
  await tx.insert(emailChangeRequests).values({ userId, newEmail, tokenHash, expiresAt });
  await queueMail(tx, { to: newEmail, ...mail(`${appUrl()}/verify-email?token=${token}`) });
}

/**
 * Starts an e-mail change: needs the current password (or, given the person's session, a fresh
 * passkey confirmation of it, lib/two-step/fresh.ts); sends a verification link to the new
 * address and a notice to the old one. The old address stays the sign-in and contact address
 * until the link is followed.
 */
export async function requestEmailChange(
  actor: ProfileActor,
  input: { version: number; newEmail: string; currentPassword: string },
  session?: Pick<ActiveSession, "userId" | "reauthenticatedAt" | "reauthenticatedBy">,
): Promise<Outcome<{ version: number }>> {
  const refused =
    session && session.userId === actor.userId
      ? await confirmSensitiveChange(session, input.currentPassword)
      : await checkCurrentPassword(actor.userId, input.currentPassword);
  if (refused) return refused;
  return startEmailChange(actor, input);
}

/**
 * The e-mail change a customer service rep requests for the customer (lib/console/customer-act.ts),
 * who cannot know the customer's password: the same link to the new address and notice to the old
 * one, so the address still changes only when the customer follows the link.
 */
export function requestEmailChangeForCustomer(
  actor: ProfileActor & { reason: string },
  input: { version: number; newEmail: string },
): Promise<Outcome<{ version: number }>> {
  return startEmailChange(actor, input);
}

async function startEmailChange(
  actor: ProfileActor,
  input: { version: number; newEmail: string },
): Promise<Outcome<{ version: number }>> {
  const [user] = await db.select({ email: users.email }).from(users).where(eq(users.id, actor.userId));
  if (user.email && user.email.toLowerCase() === input.newEmail.toLowerCase()) {
    return fail("invalidInput", { newEmail: ["emailUnchanged"] });
  }
  // The link goes to an address the requester typed: limited per requester and per recipient, so
  // nobody can flood a third party's inbox with confirmation mails.
  const wait = await reserveMail({ userId: actor.actorId }, input.newEmail);
  if (wait > 0) return fail({ code: "mailLimit", retryAfterSeconds: wait });
  return db.transaction(async (tx) => {
    if (await isEmailTaken(tx, input.newEmail, actor.userId)) return fail("invalidInput", { newEmail: ["emailTaken"] });
    const version = await claimSection(tx, actor.userId, "email", input.version);
    if (version === null) return fail("staleSection");
    await cancelPending(tx, actor.userId);
    await sendConfirmationLink(tx, actor.userId, input.newEmail);
    if (user.email) {
      const notMeLink = await issueRecoveryLink(tx, { userId: actor.userId, kind: "not_me", eventAt: new Date() });
      await queueMail(tx, { to: user.email, ...emailChangeRequestedMail(maskEmail(input.newEmail), notMeLink) });
    }
    await recordAudit(tx, {
      actorId: actor.actorId,
      subjectUserId: actor.userId,
      action: "email.change_requested",
      detail: { newEmail: maskEmail(input.newEmail), ...(actor.reason && { reason: actor.reason }) },
      ip: actor.ip,
    });
    return ok(
      { version },
      `We sent a confirmation link to ${input.newEmail}. Your e-mail address changes when you follow it.`,
    );
  });
}

/** Sends a fresh link for the pending change (the previous link stops working). */
export async function resendEmailChange(actor: ProfileActor): Promise<Outcome> {
  const before = await pendingEmailChange(actor.userId);
  if (!before) return fail("noPendingEmailChange");
  const wait = await reserveMail({ userId: actor.actorId }, before.newEmail);
  if (wait > 0) return fail({ code: "mailLimit", retryAfterSeconds: wait });
  return db.transaction(async (tx) => {
    const pending = await pendingEmailChange(actor.userId, tx);
    if (!pending) return fail("noPendingEmailChange");
    await cancelPending(tx, actor.userId);
    await sendConfirmationLink(tx, actor.userId, pending.newEmail);
    return ok(undefined, `We sent a new confirmation link to ${pending.newEmail}.`);
  });
}

export function cancelEmailChange(actor: ProfileActor): Promise<Outcome> {
  return db.transaction(async (tx) => {
    const pending = await pendingEmailChange(actor.userId, tx);
    if (!pending) return fail("noPendingEmailChange");
    await cancelPending(tx, actor.userId);
    await recordAudit(tx, {
      actorId: actor.actorId,
      subjectUserId: actor.userId,
      action: "email.change_cancelled",
      ...(actor.reason && { detail: { reason: actor.reason } }),
      ip: actor.ip,
    });
    return ok(undefined, "The e-mail change was cancelled. We keep using your current address.");
  });
}

/**
 * Follows a verification link: single use, unexpired, and the address must still be free.
 * The new address becomes the sign-in and contact address; the old one gets a notice with an
 * undo link (lib/recovery/recover.ts).
 */
export async function confirmEmailChange(token: string, meta: { ip: string }): Promise<Outcome<{ email: string }>> {
  try {
    return await confirmInTransaction(token, meta);
  } catch (err) {
    // Two accounts confirming the same address at once: the unique index decides, kindly.
    if (
      (err as { code?: string; cause?: { code?: string } }).code === "23505" ||
      (err as { cause?: { code?: string } }).cause?.code === "23505"
    ) {
      return fail("emailTakenSinceRequested");
    }
    throw err;
  }
}

function confirmInTransaction(token: string, meta: { ip: string }): Promise<Outcome<{ email: string }>> {
  return db.transaction(async (tx) => {
    const [request] = await tx
      .update(emailChangeRequests)
      .set(usedNow)
      .where(and(redeemable(emailChangeRequests, token), isNull(emailChangeRequests.cancelledAt)))
      .returning({ userId: emailChangeRequests.userId, newEmail: emailChangeRequests.newEmail });
    if (!request) return fail("emailLinkUsed");
    if (await isEmailTaken(tx, request.newEmail, request.userId)) return fail("emailTakenSinceRequested");
    const [before] = await tx.select({ email: users.email }).from(users).where(eq(users.id, request.userId));
    await tx
      .update(users)
      .set({
        email: request.newEmail,
        emailVersion: sql`${users.emailVersion} + 1`,
        version: sql`${users.version} + 1`,
        updatedAt: sql`now()`,
      })
      .where(eq(users.id, request.userId));
    await recordAudit(tx, {
      actorId: request.userId,
      subjectUserId: request.userId,
      action: "profile.updated",
      detail: { section: "email", fields: ["email"], newEmail: maskEmail(request.newEmail) },
      ip: meta.ip,
    });
    if (before?.email) {
      // The undo is bound to the address it is mailed to: following it puts exactly that one back.
      const undoLink = await issueRecoveryLink(tx, {
        userId: request.userId,
        kind: "email_undo",
        eventAt: new Date(),
        oldEmail: before.email,
      });
      await queueMail(tx, { to: before.email, ...emailChangedMail(maskEmail(request.newEmail), undoLink) });
    }
    return ok({ email: request.newEmail }, `Your e-mail address is now ${request.newEmail}.`);
  });
}

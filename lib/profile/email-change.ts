import "server-only";
import { randomBytes } from "node:crypto";
import { and, desc, eq, gt, isNull, ne, sql } from "drizzle-orm";
import { db, type Tx } from "@/db/client";
import { emailChangeRequests, users } from "@/db/schema";
import { fail, ok, type ActionResult } from "@/lib/actions/result";
import { recordAudit } from "@/lib/audit/record";
import { checkCurrentPassword, hashToken } from "@/lib/auth/passwords";
import { appUrl } from "@/lib/env";
import { queueMail } from "@/lib/mail/outbox";
import { emailChangeRequestedMail, emailChangedMail, verifyNewEmailMail } from "@/lib/mail/templates";
import { pendingEmailChange } from "./queries";
import { CONFLICT_MESSAGE, claimSection, type ProfileActor } from "./sections";

export const EMAIL_CHANGE_TTL_HOURS = 24;
const TAKEN = "That e-mail address is already used by another account";

/** "jane.doe@example.com" → "j•••e@example.com": enough to recognise, not to harvest. */
export function maskEmail(email: string): string {
  const [local, domain] = email.split("@");
  if (!domain) return "•••";
  return `${local.length <= 2 ? local[0] : `${local[0]}•••${local[local.length - 1]}`}@${domain}`;
}

async function emailTaken(tx: Tx, email: string, exceptUserId: string): Promise<boolean> {
  const [row] = await tx
    .select({ id: users.id })
    .from(users)
    .where(and(sql`lower(${users.email}) = lower(${email})`, ne(users.id, exceptUserId)))
    .limit(1);
  return Boolean(row);
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

async function issueToken(tx: Tx, userId: string, newEmail: string) {
  const token = randomBytes(32).toString("base64url");
  await tx.insert(emailChangeRequests).values({
    userId,
    newEmail,
    tokenHash: hashToken(token),
    expiresAt: new Date(Date.now() + EMAIL_CHANGE_TTL_HOURS * 3600_000),
  });
  await queueMail(tx, { to: newEmail, ...verifyNewEmailMail(`${appUrl()}/verify-email?token=${token}`) });
}

/**
 * Starts an e-mail change: needs the current password; sends a verification link to the new
 * address and a notice to the old one. The old address stays the sign-in and contact address
 * until the link is followed.
 */
export async function requestEmailChange(
  actor: ProfileActor,
  input: { version: number; newEmail: string; currentPassword: string },
): Promise<ActionResult<{ version: number }>> {
  const refused = await checkCurrentPassword(actor.userId, input.currentPassword);
  if (refused) return refused;
  const [user] = await db.select({ email: users.email }).from(users).where(eq(users.id, actor.userId));
  if (user.email && user.email.toLowerCase() === input.newEmail.toLowerCase()) {
    return fail("Please correct the highlighted fields.", { newEmail: ["That is already your e-mail address"] });
  }
  return db.transaction(async (tx) => {
    if (await emailTaken(tx, input.newEmail, actor.userId))
      return fail("Please correct the highlighted fields.", { newEmail: [TAKEN] });
    const version = await claimSection(tx, actor.userId, "email", input.version);
    if (version === null) return { ok: false, formError: CONFLICT_MESSAGE, conflict: true };
    await cancelPending(tx, actor.userId);
    await issueToken(tx, actor.userId, input.newEmail);
    if (user.email) await queueMail(tx, { to: user.email, ...emailChangeRequestedMail(maskEmail(input.newEmail)) });
    await recordAudit(tx, {
      actorId: actor.actorId,
      subjectUserId: actor.userId,
      action: "email.change_requested",
      detail: { newEmail: maskEmail(input.newEmail) },
      ip: actor.ip,
    });
    return ok(
      { version },
      `We sent a confirmation link to ${input.newEmail}. Your e-mail address changes when you follow it.`,
    );
  });
}

/** Sends a fresh link for the pending change (the previous link stops working). */
export function resendEmailChange(actor: ProfileActor): Promise<ActionResult<undefined>> {
  return db.transaction(async (tx) => {
    const pending = await pendingEmailChange(actor.userId, tx);
    if (!pending) return fail("There is no e-mail change waiting for confirmation.");
    await cancelPending(tx, actor.userId);
    await issueToken(tx, actor.userId, pending.newEmail);
    return ok(undefined, `We sent a new confirmation link to ${pending.newEmail}.`);
  });
}

export function cancelEmailChange(actor: ProfileActor): Promise<ActionResult<undefined>> {
  return db.transaction(async (tx) => {
    const pending = await pendingEmailChange(actor.userId, tx);
    if (!pending) return fail("There is no e-mail change waiting for confirmation.");
    await cancelPending(tx, actor.userId);
    await recordAudit(tx, {
      actorId: actor.actorId,
      subjectUserId: actor.userId,
      action: "email.change_cancelled",
      ip: actor.ip,
    });
    return ok(undefined, "The e-mail change was cancelled. We keep using your current address.");
  });
}

/**
 * Follows a verification link: single use, unexpired, and the address must still be free.
 * The new address becomes the sign-in and contact address; the old one gets a notice.
 */
export async function confirmEmailChange(
  token: string,
  meta: { ip: string },
): Promise<ActionResult<{ email: string }>> {
  try {
    return await confirmInTransaction(token, meta);
  } catch (err) {
    // Two accounts confirming the same address at once: the unique index decides, kindly.
    if (
      (err as { code?: string; cause?: { code?: string } }).code === "23505" ||
      (err as { cause?: { code?: string } }).cause?.code === "23505"
    ) {
      return fail(`${TAKEN}. Start the change again with another address.`);
    }
    throw err;
  }
}

function confirmInTransaction(token: string, meta: { ip: string }): Promise<ActionResult<{ email: string }>> {
  return db.transaction(async (tx) => {
    const [request] = await tx
      .update(emailChangeRequests)
      .set({ usedAt: sql`now()` })
      .where(
        and(
          eq(emailChangeRequests.tokenHash, hashToken(token)),
          isNull(emailChangeRequests.usedAt),
          isNull(emailChangeRequests.cancelledAt),
          gt(emailChangeRequests.expiresAt, sql`now()`),
        ),
      )
      .returning({ userId: emailChangeRequests.userId, newEmail: emailChangeRequests.newEmail });
    if (!request)
      return fail(
        "This confirmation link has expired, was cancelled or was already used. Start the change again from Edit Profile.",
      );
    if (await emailTaken(tx, request.newEmail, request.userId))
      return fail(`${TAKEN}. Start the change again with another address.`);
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
    if (before?.email) await queueMail(tx, { to: before.email, ...emailChangedMail(maskEmail(request.newEmail)) });
    return ok({ email: request.newEmail }, `Your e-mail address is now ${request.newEmail}.`);
  });
}

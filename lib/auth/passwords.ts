import "server-only";
import { createHash, randomBytes } from "node:crypto";
import { and, eq, gt, isNull, or, sql } from "drizzle-orm";
import { db } from "@/db/client";
import { passwordResets, users } from "@/db/schema";
import { recordAudit } from "@/lib/audit/record";
import { fail, ok, type ActionResult } from "@/lib/actions/result";
import { appUrl } from "@/lib/env";
import { queueMail } from "@/lib/mail/outbox";
import { passwordChangedMail, passwordResetMail } from "@/lib/mail/templates";
import { isCommonPassword } from "./common-passwords";
import { hashPassword, verifyPassword } from "./password";
import { revokeOtherSessions } from "./sessions";
import { passwordCheckLimits, releaseAttempt, reserveAttempt, resetRequestLimits, tooManyAttempts } from "./throttle";

export const RESET_TTL_MINUTES = 30;
export const RESET_REQUESTED_MESSAGE =
  "If that matches an account, we've sent a link to the e-mail address on file. It works once, for 30 minutes.";

const COMMON_PASSWORD = ["This password is too common — it appears in lists of breached passwords"];

export function hashToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

/**
 * Starts a password reset. The answer is the same whether or not the account exists; only a
 * registered account with an e-mail address gets a mail, carrying a single-use token whose hash
 * (not the token) is stored.
 */
export async function requestPasswordReset(identifier: string, meta: { ip: string }): Promise<void> {
  const name = identifier.trim();
  const [user] = await db
    .select({ id: users.id, email: users.email })
    .from(users)
    .where(
      or(
        sql`lower(${users.username}) = lower(${name})`,
        eq(users.accountNumber, name),
        sql`lower(${users.email}) = lower(${name})`,
      ),
    )
    .limit(1);
  // Limited per address and per account, silently: the answer must stay the same either way.
  if ((await reserveAttempt(resetRequestLimits(meta.ip, user?.id ?? null))) > 0) return;
  if (!user?.email) return;
  const token = randomBytes(32).toString("base64url");
  await db.transaction(async (tx) => {
    await tx.insert(passwordResets).values({
      userId: user.id,
      tokenHash: hashToken(token),
      expiresAt: new Date(Date.now() + RESET_TTL_MINUTES * 60_000),
    });
    await recordAudit(tx, {
      actorId: null,
      subjectUserId: user.id,
      action: "auth.password_reset_requested",
      ip: meta.ip,
    });
    await queueMail(tx, { to: user.email!, ...passwordResetMail(`${appUrl()}/reset-password?token=${token}`) });
  });
}

/**
 * Stores a new password hash (made by the caller before its transaction: hashing is slow, and on
 * PGlite an open transaction holds the whole database), signs out the other sessions and ends every
 * reset link still outstanding.
 */
async function setPassword(
  tx: Parameters<Parameters<typeof db.transaction>[0]>[0],
  userId: string,
  passwordHash: string,
  keepSessionId: string | null,
  meta: { ip: string; actorId: string; action: string },
) {
  const [user] = await tx
    .update(users)
    .set({
      passwordHash,
      passwordChangedAt: sql`now()`,
      version: sql`${users.version} + 1`,
      updatedAt: sql`now()`,
    })
    .where(eq(users.id, userId))
    .returning({ email: users.email });
  const signedOut = await revokeOtherSessions(tx, userId, keepSessionId, "password changed");
  await tx
    .update(passwordResets)
    .set({ usedAt: sql`now()` })
    .where(and(eq(passwordResets.userId, userId), isNull(passwordResets.usedAt)));
  await recordAudit(tx, {
    actorId: meta.actorId,
    subjectUserId: userId,
    action: meta.action,
    detail: { otherSessionsSignedOut: signedOut },
    ip: meta.ip,
  });
  if (user?.email) await queueMail(tx, { to: user.email, ...passwordChangedMail() });
}

/** Completes a reset: the token must be unused and unexpired; all sessions are signed out. */
export async function resetPassword(
  input: { token: string; password: string },
  meta: { ip: string },
): Promise<ActionResult<undefined>> {
  if (isCommonPassword(input.password))
    return fail("Please choose a different password.", { password: COMMON_PASSWORD });
  const passwordHash = await hashPassword(input.password);
  return db.transaction(async (tx) => {
    // Marking the token used in the same statement that finds it makes it single-use even when
    // two requests race with the same link.
    const [reset] = await tx
      .update(passwordResets)
      .set({ usedAt: sql`now()` })
      .where(
        and(
          eq(passwordResets.tokenHash, hashToken(input.token)),
          isNull(passwordResets.usedAt),
          gt(passwordResets.expiresAt, sql`now()`),
        ),
      )
      .returning({ userId: passwordResets.userId });
    if (!reset) {
      return fail("This reset link has expired or was already used. Ask for a new one below.");
    }
    await setPassword(tx, reset.userId, passwordHash, null, {
      ip: meta.ip,
      actorId: reset.userId,
      action: "auth.password_reset",
    });
    return ok(undefined, "Your password was changed. Sign in with your new password.");
  });
}

/** Changes the signed-in user's password; every other device is signed out. */
export async function changePassword(
  input: { currentPassword: string; password: string },
  session: { userId: string; sessionId: string },
  meta: { ip: string },
): Promise<ActionResult<undefined>> {
  const check = await checkCurrentPassword(session.userId, input.currentPassword);
  if (check) return check;
  if (isCommonPassword(input.password))
    return fail("Please choose a different password.", { password: COMMON_PASSWORD });
  const passwordHash = await hashPassword(input.password);
  await db.transaction((tx) =>
    setPassword(tx, session.userId, passwordHash, session.sessionId, {
      ip: meta.ip,
      actorId: session.userId,
      action: "auth.password_changed",
    }),
  );
  return ok(undefined, "Your password was changed. Your other devices were signed out.");
}

/**
 * Checks a signed-in user's current password before a sensitive change. Wrong answers are
 * limited per user, so a stolen session cannot be used to guess the password. Returns the refusal,
 * or null when the password is right.
 */
export async function checkCurrentPassword(
  userId: string,
  currentPassword: string,
): Promise<ActionResult<never> | null> {
  const limits = passwordCheckLimits(userId);
  const wait = await reserveAttempt(limits);
  if (wait > 0) return fail(tooManyAttempts(wait, "password attempts"));
  const [user] = await db.select({ passwordHash: users.passwordHash }).from(users).where(eq(users.id, userId));
  if (!user || !(await verifyPassword(user.passwordHash, currentPassword))) {
    return fail("Please correct the highlighted fields.", { currentPassword: ["The current password is incorrect"] });
  }
  await releaseAttempt(limits);
  return null;
}

import "server-only";
import { and, eq, isNull, sql } from "drizzle-orm";
import { db, type Tx } from "@/db/client";
import { passwordResets, users } from "@/db/schema";
import { ok, type Outcome } from "@/lib/actions/result";
import { recordAudit } from "@/lib/audit/record";
import { queueMail } from "@/lib/mail/outbox";
import { passwordChangedMail } from "@/lib/mail/templates";
import { issueRecoveryLink } from "@/lib/recovery/tokens";
import { refuseCommonPassword } from "./common-passwords";
import { confirmSensitiveChange } from "@/lib/two-step/fresh";
import { hashPassword } from "./password-hash";
import { revokeOtherSessions } from "./sessions";
import { usedNow } from "./single-use-token";

/**
 * Stores a new password hash (made by the caller before its transaction: hashing is slow, and on
 * PGlite an open transaction holds the whole database), signs out the other sessions, ends every
 * reset link still outstanding, audits it and tells the person by mail. Every password change —
 * by the person or by reset link — goes through here.
 */
export async function storeNewPassword(
  tx: Tx,
  userId: string,
  passwordHash: string,
  keepSessionId: string | null,
  meta: { ip: string; actorId: string; action: "auth.password_changed" | "auth.password_reset" },
): Promise<void> {
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
    .set(usedNow)
    .where(and(eq(passwordResets.userId, userId), isNull(passwordResets.usedAt)));
  await recordAudit(tx, {
    actorId: meta.actorId,
    subjectUserId: userId,
    action: meta.action,
    detail: { otherSessionsSignedOut: signedOut },
    ip: meta.ip,
  });
  if (user?.email) {
    const notMeLink = await issueRecoveryLink(tx, { userId, kind: "not_me", eventAt: new Date() });
    await queueMail(tx, { to: user.email, ...passwordChangedMail(notMeLink) });
  }
}

/**
 * Changes the signed-in user's password; every other device is signed out. Needs the current
 * password, or a passkey confirmation of this session within 5 minutes (lib/two-step/fresh.ts).
 */
export async function changePassword(
  input: { currentPassword: string; password: string },
  session: { userId: string; sessionId: string; reauthenticatedAt?: Date; reauthenticatedBy?: string },
  meta: { ip: string },
): Promise<Outcome> {
  const confirmation = {
    userId: session.userId,
    reauthenticatedAt: session.reauthenticatedAt ?? new Date(0),
    reauthenticatedBy: session.reauthenticatedBy ?? "password",
  };
  const refused =
    (await confirmSensitiveChange(confirmation, input.currentPassword)) ?? refuseCommonPassword(input.password);
  if (refused) return refused;
  const passwordHash = await hashPassword(input.password);
  await db.transaction((tx) =>
    storeNewPassword(tx, session.userId, passwordHash, session.sessionId, {
      ip: meta.ip,
      actorId: session.userId,
      action: "auth.password_changed",
    }),
  );
  return ok(undefined, "Your password was changed. Your other devices were signed out.");
}

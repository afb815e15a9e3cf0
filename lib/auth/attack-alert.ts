import "server-only";
import { and, eq, gt, sql } from "drizzle-orm";
import { db } from "@/db/client";
import { auditEvents, users } from "@/db/schema";
import { recordAudit } from "@/lib/audit/record";
import { env } from "@/lib/env";
import { queueMail } from "@/lib/mail/outbox";
import { signInAttackMail } from "@/lib/mail/templates";

/**
 * Tells the owner their account is being guessed at: one mail, not one per attempt. Called when a
 * failure uses up the account's free failures; at most one per LOGIN_ALERT_HOURS, remembered as an
 * audit row (which the owner's activity page also shows), with the account's row locked so two
 * instances crossing the threshold together send one.
 */
export async function alertOwnerOfAttack(userId: string, meta: { failures: number; ip: string }): Promise<boolean> {
  return db.transaction(async (tx) => {
    const [user] = await tx
      .select({ email: users.email, closedAt: users.closedAt })
      .from(users)
      .where(eq(users.id, userId))
      .for("update");
    if (!user?.email || user.closedAt) return false;
    const [recent] = await tx
      .select({ id: auditEvents.id })
      .from(auditEvents)
      .where(
        and(
          eq(auditEvents.subjectUserId, userId),
          eq(auditEvents.action, "auth.attack_alert_sent"),
          gt(auditEvents.createdAt, sql`now() - make_interval(hours => ${env().LOGIN_ALERT_HOURS})`),
        ),
      )
      .limit(1);
    if (recent) return false;
    await recordAudit(tx, {
      actorId: null,
      subjectUserId: userId,
      action: "auth.attack_alert_sent",
      detail: { failures: meta.failures },
      ip: meta.ip,
    });
    await queueMail(tx, { to: user.email, ...signInAttackMail(meta.failures) });
    return true;
  });
}

import "server-only";
import { and, eq, gt, isNull, sql } from "drizzle-orm";
import { db, type DbOrTx } from "@/db/client";
import { recoveryTokens } from "@/db/schema";
import { hashToken, issueToken } from "@/lib/auth/single-use-token";
import { appUrl } from "@/lib/env";

/** How long "This wasn't me" and the e-mail undo work: long enough to notice a mail after a week away. */
export const RECOVERY_TTL_DAYS = 7;

export type RecoveryKind = "not_me" | "email_undo";

/** The public page each kind of link opens (GET only shows what will happen; the button posts). */
export const recoveryPath: Record<RecoveryKind, string> = {
  not_me: "/not-me",
  email_undo: "/undo-email",
};

/**
 * Stores a recovery token (its hash only, like every mailed link) and returns the link for the
 * mail. `eventAt` is when the alerted change happened; `oldEmail` binds an undo to the address it
 * puts back.
 */
export async function issueRecoveryLink(
  tx: DbOrTx,
  input: { userId: string; kind: RecoveryKind; eventAt: Date; oldEmail?: string },
): Promise<string> {
  const { token, tokenHash, expiresAt } = issueToken(RECOVERY_TTL_DAYS * 24 * 3600_000);
  await tx.insert(recoveryTokens).values({
    userId: input.userId,
    kind: input.kind,
    tokenHash,
    oldEmail: input.oldEmail ?? null,
    eventAt: input.eventAt,
    expiresAt,
  });
  return `${appUrl()}${recoveryPath[input.kind]}?token=${token}`;
}

/**
 * Whether a link can still be used, for the page a GET shows: reads, never marks anything (mail
 * scanners follow links). The address an undo puts back is returned so the page can name it.
 */
export async function peekRecoveryToken(
  token: string,
  kind: RecoveryKind,
): Promise<{ oldEmail: string | null } | null> {
  const [row] = await db
    .select({ oldEmail: recoveryTokens.oldEmail })
    .from(recoveryTokens)
    .where(
      and(
        eq(recoveryTokens.tokenHash, hashToken(token)),
        eq(recoveryTokens.kind, kind),
        isNull(recoveryTokens.usedAt),
        gt(recoveryTokens.expiresAt, sql`now()`),
      ),
    );
  return row ?? null;
}

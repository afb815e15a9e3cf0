import "server-only";
import { and, asc, count, eq, gte, isNotNull, isNull, min, or, sql } from "drizzle-orm";
import { db, type DbOrTx } from "@/db/client";
import { authenticatorApps, passkeys, recoveryCodes, webauthnChallenges } from "@/db/schema";

/**
 * A second factor is a passkey or a switched-on authenticator app. Recovery codes are not one on
 * their own: they only stand in for a factor the person has.
 */
export async function hasSecondFactor(userId: string, tx: DbOrTx = db): Promise<boolean> {
  const result = await tx.execute<{ found: boolean }>(sql`select exists (
    select 1 from ${passkeys} where ${passkeys.userId} = ${userId}
    union all
    select 1 from ${authenticatorApps} where ${authenticatorApps.userId} = ${userId} and ${authenticatorApps.confirmedAt} is not null
  ) as found`);
  return result.rows[0]?.found === true;
}

export type FactorSummary = {
  passkeys: { id: string; name: string; createdAt: Date; lastUsedAt: Date | null; backedUp: boolean }[];
  authenticator: { confirmedAt: Date; lastUsedAt: Date | null } | null;
  recoveryCodes: { unused: number; issuedAt: Date } | null;
};

/** Names and dates only, never secrets: the security page, the data download. */
export async function factorSummary(userId: string, tx: DbOrTx = db): Promise<FactorSummary> {
  const [keys, apps, codes] = await Promise.all([
    tx
      .select({
        id: passkeys.id,
        name: passkeys.name,
        createdAt: passkeys.createdAt,
        lastUsedAt: passkeys.lastUsedAt,
        backedUp: passkeys.backedUp,
      })
      .from(passkeys)
      .where(eq(passkeys.userId, userId))
      .orderBy(asc(passkeys.createdAt), asc(passkeys.id)),
    tx
      .select({ confirmedAt: authenticatorApps.confirmedAt, lastUsedAt: authenticatorApps.lastUsedAt })
      .from(authenticatorApps)
      .where(and(eq(authenticatorApps.userId, userId), isNotNull(authenticatorApps.confirmedAt))),
    tx
      .select({
        total: count(),
        unused: sql<number>`count(*) filter (where ${recoveryCodes.usedAt} is null)`.mapWith(Number),
        issuedAt: min(recoveryCodes.createdAt),
      })
      .from(recoveryCodes)
      .where(eq(recoveryCodes.userId, userId)),
  ]);
  const app = apps[0];
  const set = codes[0];
  return {
    passkeys: keys,
    authenticator: app?.confirmedAt ? { confirmedAt: app.confirmedAt, lastUsedAt: app.lastUsedAt } : null,
    recoveryCodes: set && set.total > 0 && set.issuedAt ? { unused: set.unused, issuedAt: toDate(set.issuedAt) } : null,
  };
}

// min() over a timestamp comes back as the driver's text on some drivers.
function toDate(value: Date | string): Date {
  return value instanceof Date ? value : new Date(value);
}

/**
 * Recovery ("This wasn't me", the e-mail undo link): removes every factor added at or after
 * `since` — passkeys and recovery codes by created_at, the authenticator by its confirmation time
 * (created_at is set to it on confirmation) — plus any pending authenticator enrolment, which an
 * intruder may have started. `authenticator` is true only when a switched-on one was removed.
 */
export async function removeFactorsAddedSince(
  tx: DbOrTx,
  userId: string,
  since: Date,
): Promise<{ passkeys: number; authenticator: boolean; recoveryCodes: number }> {
  const removedKeys = await tx
    .delete(passkeys)
    .where(and(eq(passkeys.userId, userId), gte(passkeys.createdAt, since)))
    .returning({ id: passkeys.id });
  const removedApps = await tx
    .delete(authenticatorApps)
    .where(
      and(
        eq(authenticatorApps.userId, userId),
        or(
          isNull(authenticatorApps.confirmedAt),
          gte(authenticatorApps.createdAt, since),
          gte(authenticatorApps.confirmedAt, since),
        ),
      ),
    )
    .returning({ confirmedAt: authenticatorApps.confirmedAt });
  const removedCodes = await tx
    .delete(recoveryCodes)
    .where(and(eq(recoveryCodes.userId, userId), gte(recoveryCodes.createdAt, since)))
    .returning({ id: recoveryCodes.id });
  return {
    passkeys: removedKeys.length,
    authenticator: removedApps.some((a) => a.confirmedAt !== null),
    recoveryCodes: removedCodes.length,
  };
}

/** Admin reset, account closure: every factor and every WebAuthn ceremony in flight goes. */
export async function removeAllFactors(tx: DbOrTx, userId: string): Promise<void> {
  await tx.delete(passkeys).where(eq(passkeys.userId, userId));
  await tx.delete(authenticatorApps).where(eq(authenticatorApps.userId, userId));
  await tx.delete(recoveryCodes).where(eq(recoveryCodes.userId, userId));
  await tx.delete(webauthnChallenges).where(eq(webauthnChallenges.userId, userId));
}

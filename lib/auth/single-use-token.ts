import "server-only";
import { createHash, randomBytes } from "node:crypto";
import { and, eq, gt, isNull, sql } from "drizzle-orm";
import type { PgColumn } from "drizzle-orm/pg-core";

/**
 * The links we mail (password reset, e-mail confirmation) carry a random token. Only its hash is
 * stored, so a database leak hands out no working link; it works once, until it expires.
 */
export function hashToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

/** A fresh token for a link, and what to store about it. */
export function issueToken(ttlMs: number): { token: string; tokenHash: string; expiresAt: Date } {
  const token = randomBytes(32).toString("base64url");
  return { token, tokenHash: hashToken(token), expiresAt: new Date(Date.now() + ttlMs) };
}

/** The columns every table of single-use tokens has. */
type TokenColumns = { tokenHash: PgColumn; usedAt: PgColumn; expiresAt: PgColumn };

/**
 * Finds a token's row only while it can still be used: hash matches, unused, unexpired. Use it in
 * the UPDATE that sets `usedAt` (`usedNow`): marking the token used in the same statement that
 * finds it makes it single-use even when two requests race with the same link.
 */
export function redeemable(table: TokenColumns, token: string) {
  return and(eq(table.tokenHash, hashToken(token)), isNull(table.usedAt), gt(table.expiresAt, sql`now()`));
}

export const usedNow = { usedAt: sql`now()` };

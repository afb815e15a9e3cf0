import "server-only";
import { createHash, randomInt, timingSafeEqual } from "node:crypto";
import { and, eq, isNull, sql } from "drizzle-orm";
import { db, type DbOrTx } from "@/db/client";
import { recoveryCodes } from "@/db/schema";

export const RECOVERY_CODE_COUNT = 10;
/** Lower-case letters and digits without the look-alikes 0/o, 1/l/i: 31 symbols, 12 of them ≈ 59 bits. */
const ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789";
const CODE_LENGTH = 12;
const CODE_PATTERN = new RegExp(`^[${ALPHABET}]{${CODE_LENGTH}}$`);

/** What the person may type: any case, spaces and hyphens anywhere. */
function normalise(code: string): string {
  return code.toLowerCase().replace(/[\s-]+/g, "");
}

function hash(normalised: string): string {
  return createHash("sha256").update(normalised).digest("hex");
}

function newCode(): string {
  let code = "";
  for (let i = 0; i < CODE_LENGTH; i++) code += ALPHABET[randomInt(ALPHABET.length)];
  return code;
}

/**
 * Replaces the person's whole set (the old codes stop working in the same transaction) and returns
 * the new codes in clear, "xxxx-xxxx-xxxx": they are shown once and only their SHA-256 is kept.
 * Plain SHA-256 is enough here (unlike passwords): 59 random bits cannot be guessed offline.
 */
export async function issueRecoveryCodes(tx: DbOrTx, userId: string): Promise<string[]> {
  const codes = new Set<string>();
  while (codes.size < RECOVERY_CODE_COUNT) codes.add(newCode());
  await tx.delete(recoveryCodes).where(eq(recoveryCodes.userId, userId));
  await tx.insert(recoveryCodes).values([...codes].map((c) => ({ userId, codeHash: hash(c) })));
  return [...codes].map((c) => `${c.slice(0, 4)}-${c.slice(4, 8)}-${c.slice(8)}`);
}

/**
 * Uses one recovery code. Every unused hash of the person is compared in constant time with no
 * early exit, so the time taken says nothing about which stored code (or how much of one) matched;
 * the UPDATE that marks it used only succeeds while it is still unused, so a code racing itself
 * works once. Input that cannot be a code (wrong length or letters) is refused without a query:
 * the format is public, so answering it faster leaks nothing.
 */
export async function redeemRecoveryCode(userId: string, code: string): Promise<boolean> {
  const normalised = normalise(code);
  if (!CODE_PATTERN.test(normalised)) return false;
  const candidate = Buffer.from(hash(normalised), "hex");
  const rows = await db
    .select({ id: recoveryCodes.id, codeHash: recoveryCodes.codeHash })
    .from(recoveryCodes)
    .where(and(eq(recoveryCodes.userId, userId), isNull(recoveryCodes.usedAt)));
  let matchId: string | null = null;
  for (const row of rows) {
    const stored = Buffer.from(row.codeHash, "hex");
    const equal = stored.length === candidate.length && timingSafeEqual(stored, candidate);
    if (equal && matchId === null) matchId = row.id;
  }
  if (matchId === null) return false;
  const used = await db
    .update(recoveryCodes)
    .set({ usedAt: sql`now()` })
    .where(and(eq(recoveryCodes.id, matchId), isNull(recoveryCodes.usedAt)))
    .returning({ id: recoveryCodes.id });
  return used.length === 1;
}

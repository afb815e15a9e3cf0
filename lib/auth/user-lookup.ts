import "server-only";
import { and, eq, ne, or, sql } from "drizzle-orm";
import { db, type DbOrTx } from "@/db/client";
import { users } from "@/db/schema";

// Finding people by what they type. Usernames and e-mail addresses compare without case (the
// unique indexes are on lower(...)); account numbers are digits and compare as typed.

/**
 * The user a sign-in name names: a username or an account number, and with `orEmail` (forgotten
 * password) an e-mail address too. Surrounding spaces are ignored.
 */
export async function findUserBySignInName(identifier: string, options: { orEmail?: boolean } = {}) {
  const name = identifier.trim();
  const [row] = await db
    .select({
      id: users.id,
      role: users.role,
      passwordHash: users.passwordHash,
      email: users.email,
      disabledAt: users.disabledAt,
      timeZone: users.timeZone,
    })
    .from(users)
    .where(
      or(
        sql`lower(${users.username}) = lower(${name})`,
        eq(users.accountNumber, name),
        options.orEmail ? sql`lower(${users.email}) = lower(${name})` : undefined,
      ),
    )
    .limit(1);
  return row ?? null;
}

/** Whether an account (other than `exceptUserId`) already uses this e-mail address. */
export async function isEmailTaken(tx: DbOrTx, email: string, exceptUserId?: string): Promise<boolean> {
  const [row] = await tx
    .select({ id: users.id })
    .from(users)
    .where(and(sql`lower(${users.email}) = lower(${email})`, exceptUserId ? ne(users.id, exceptUserId) : undefined))
    .limit(1);
  return Boolean(row);
}

/** Whether an account already uses this username. */
export async function isUsernameTaken(tx: DbOrTx, username: string): Promise<boolean> {
  const [row] = await tx
    .select({ id: users.id })
    .from(users)
    .where(sql`lower(${users.username}) = lower(${username})`)
    .limit(1);
  return Boolean(row);
}

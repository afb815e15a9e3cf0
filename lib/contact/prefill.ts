import "server-only";
import { eq } from "drizzle-orm";
import { db } from "@/db/client";
import { users, type Role } from "@/db/schema";
import type { ContactDefaults } from "./schema";

export const EMPTY_CONTACT_DEFAULTS: ContactDefaults = { name: "", email: "", accountNumber: "" };

/**
 * The signed-in customer's name, e-mail and account number, so they need not type them. Staff
 * get an empty form: a request they send is not about an account of theirs.
 */
export async function contactDefaultsFor(session: { userId: string; role: Role } | null): Promise<ContactDefaults> {
  if (!session || session.role !== "customer") return EMPTY_CONTACT_DEFAULTS;
  const [user] = await db
    .select({
      firstName: users.firstName,
      lastName: users.lastName,
      email: users.email,
      accountNumber: users.accountNumber,
    })
    .from(users)
    .where(eq(users.id, session.userId));
  if (!user) return EMPTY_CONTACT_DEFAULTS;
  return {
    name: `${user.firstName} ${user.lastName}`.trim(),
    email: user.email ?? "",
    accountNumber: user.accountNumber ?? "",
  };
}

/** The account a request is linked to: a signed-in customer's, from the session only. */
export function contactSenderId(session: { userId: string; role: Role } | null): string | null {
  return session?.role === "customer" ? session.userId : null;
}

import "server-only";
import { and, eq, sql } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { users } from "@/db/schema";

export type Section = "name" | "address" | "phone" | "email" | "payment";

const versionKey = {
  name: "nameVersion",
  address: "addressVersion",
  phone: "phoneVersion",
  email: "emailVersion",
  payment: "paymentVersion",
} as const satisfies Record<Section, keyof typeof users.$inferSelect>;

/**
 * What each section is called in a sentence: "Your phone number was updated" (mail), "Phone
 * number updated" (account activity, which capitalises it).
 */
export const sectionLabels = {
  name: "name",
  address: "service and billing address",
  phone: "phone number",
  email: "e-mail address",
  payment: "payment method",
} as const satisfies Record<Section, string>;

/**
 * The optimistic-concurrency gate of every profile save: bumps the section's version only if it
 * still equals the version the form was loaded with. The UPDATE takes the row lock, so of N
 * saves racing on one version exactly one gets a row back; the others see 0 rows and are refused.
 * Returns the new version, or null when the form was stale (refused as "staleSection").
 */
export async function claimSection(
  tx: DbOrTx,
  userId: string,
  section: Section,
  expected: number,
): Promise<number | null> {
  const column = users[versionKey[section]];
  const rows = await tx
    .update(users)
    .set({ [versionKey[section]]: sql`${column} + 1`, version: sql`${users.version} + 1`, updatedAt: sql`now()` })
    .where(and(eq(users.id, userId), eq(column, expected)))
    .returning({ version: column });
  return rows[0]?.version ?? null;
}

/** Who is changing whose profile, from where (a rep acting for a customer carries a reason). */
export type ProfileActor = {
  userId: string;
  actorId: string;
  ip: string;
  reason?: string;
  /** More for the audit row, e.g. `{ chatId, proposedBy }` for a change approved in a chat. */
  detail?: Record<string, unknown>;
};

/** Field names whose value differs; values themselves never go into the audit log. */
export function changedFields<T extends Record<string, unknown>>(before: T, after: Partial<T>): string[] {
  return Object.keys(after).filter((k) => (after[k] ?? "") !== (before[k] ?? ""));
}

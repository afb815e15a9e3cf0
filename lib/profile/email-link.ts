import "server-only";
import { and, isNull } from "drizzle-orm";
import { db } from "@/db/client";
import { emailChangeRequests } from "@/db/schema";
import { redeemable } from "@/lib/auth/single-use-token";

/**
 * The address a confirmation link would make the account's, while the link still works. Read
 * only: opening a link (as mail scanners do) must change nothing, so the page names the address
 * and the button's POST does the change (confirmEmailChange).
 */
export async function addressAwaitingConfirmation(token: string): Promise<string | null> {
  const [row] = await db
    .select({ newEmail: emailChangeRequests.newEmail })
    .from(emailChangeRequests)
    .where(and(redeemable(emailChangeRequests, token), isNull(emailChangeRequests.cancelledAt)))
    .limit(1);
  return row?.newEmail ?? null;
}

import "server-only";
import { and, eq, gt, inArray, sql } from "drizzle-orm";
import { db } from "@/db/client";
import { staffAccessGrants, users, type Role } from "@/db/schema";
import { fail, ok, type Outcome } from "@/lib/actions/result";
import { capabilities } from "@/lib/auth/capabilities";
import { recordAudit } from "@/lib/audit/record";
import { lawfulReferenceExists } from "@/lib/lawful/register";
import { GRANT_MINUTES, describeAccessReason, type AccessReason } from "./schema";

/** Staff who may open a customer's personal data, from the role table. */
export const accessRoles = capabilities["customers.view"];

export type StaffActor = { userId: string; role: Role };

/** The audit action of every opening of a customer's data; the customer reads it in /account/activity. */
export const CUSTOMER_VIEWED = "staff.customer_viewed";

export type GrantInput = {
  reason: AccessReason;
  reasonText: string;
  reference: string;
  /** The chat the customer asked in, when the reason is a chat ("… (chat #12)"). */
  chatId?: number | null;
};

function mayOpenCustomerData(role: Role): boolean {
  return (accessRoles as readonly Role[]).includes(role);
}

/**
 * Reason-before-access: writes the audit row (who, whose, why) and then the grant, in one
 * transaction, before any personal field is read. The grant is for this customer only and lasts
 * GRANT_MINUTES; a new reason is needed for another customer or after it ends.
 */
export async function grantCustomerAccess(
  staff: StaffActor,
  customerId: string,
  input: GrantInput,
  ip: string,
): Promise<Outcome<{ expiresAt: Date }>> {
  if (!mayOpenCustomerData(staff.role)) return fail("forbidden");
  // Only the role is read here: whether the id names a customer, not anything about them.
  const [subject] = await db.select({ role: users.role }).from(users).where(eq(users.id, customerId));
  if (subject?.role !== "customer") return fail("accessNoCustomer");
  // "Lawful request" must name an entry of the register (lib/lawful), so every such opening can be
  // traced to a recorded request; a typo or an invented reference opens nothing.
  if (input.reason === "lawful" && !(await lawfulReferenceExists(input.reference))) {
    return fail("lawfulReferenceUnknown", { reference: ["lawfulReferenceUnknownField"] });
  }
  const reference = input.reference || (input.chatId ? `chat #${input.chatId}` : "");
  const expiresAt = await db.transaction(async (tx) => {
    await recordAudit(tx, {
      actorId: staff.userId,
      subjectUserId: customerId,
      action: CUSTOMER_VIEWED,
      // Not `reason`: the activity page prints that key on its own line; this one is in the sentence.
      detail: {
        accessReason: input.reason,
        accessReasonText: describeAccessReason(input.reason, input.reasonText, input.chatId),
        ...(input.reasonText && { reasonText: input.reasonText }),
        ...(reference && { reference }),
        ...(input.chatId && { chatId: input.chatId }),
      },
      ip,
    });
    const [grant] = await tx
      .insert(staffAccessGrants)
      .values({
        staffId: staff.userId,
        customerId,
        reason: input.reason,
        reasonText: input.reasonText,
        reference,
        expiresAt: sql`now() + make_interval(mins => ${GRANT_MINUTES})`,
      })
      .returning({ expiresAt: staffAccessGrants.expiresAt });
    return grant.expiresAt;
  });
  return ok({ expiresAt });
}

/**
 * The unexpired grant of this staff member for this customer, or null. Checked before every read
 * of the customer's personal data; a staff member whose role has since changed holds none.
 */
export async function requireCustomerAccess(
  staffId: string,
  customerId: string,
): Promise<{ expiresAt: Date; reason: string; reasonText: string; reference: string } | null> {
  const [grant] = await db
    .select({
      expiresAt: staffAccessGrants.expiresAt,
      reason: staffAccessGrants.reason,
      // What acting on the customer's behalf records as its reason (lib/console/customer-act.ts).
      reasonText: staffAccessGrants.reasonText,
      reference: staffAccessGrants.reference,
    })
    .from(staffAccessGrants)
    .innerJoin(users, eq(users.id, staffAccessGrants.staffId))
    .where(
      and(
        eq(staffAccessGrants.staffId, staffId),
        eq(staffAccessGrants.customerId, customerId),
        gt(staffAccessGrants.expiresAt, sql`now()`),
        inArray(users.role, [...accessRoles]),
      ),
    )
    .orderBy(sql`${staffAccessGrants.expiresAt} desc`)
    .limit(1);
  return grant ?? null;
}

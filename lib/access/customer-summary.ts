import "server-only";
import { and, eq } from "drizzle-orm";
import { db } from "@/db/client";
import { chatConversations, subscriptions, users } from "@/db/schema";
import { fail, ok, type Outcome } from "@/lib/actions/result";
import { recentActivity } from "@/lib/audit/activity";
import { maskEmail } from "@/lib/profile/email-change";
import { grantCustomerAccess, requireCustomerAccess, type StaffActor } from "./grants";
import type { AccessReasonInput } from "./schema";

/** "+13035550123" → "(•••) •••-0123": enough to confirm with the customer, not to call them. */
export function maskPhone(e164: string | null): string | null {
  if (!e164) return null;
  const digits = e164.replace(/\D/g, "");
  return digits.length >= 4 ? `(•••) •••-${digits.slice(-4)}` : "•••";
}

export type CustomerSummary = {
  firstName: string;
  lastName: string;
  accountNumber: string | null;
  maskedEmail: string | null;
  maskedPhone: string | null;
  offersOptIn: boolean;
  activity: { id: number; when: Date; what: string }[];
  grantExpiresAt: Date;
};

/** The side panel of a chat: a customer's summary (under a grant), or what a visitor typed. */
export type SidePanel =
  | { kind: "customer"; conversationId: number; summary: CustomerSummary }
  | { kind: "needsReason"; conversationId: number }
  | {
      kind: "visitor";
      conversationId: number;
      name: string;
      maskedEmail: string | null;
      accountNumber: string | null;
      topic: string;
    };

/**
 * A customer's name, account number, masked contact details and last 10 account-activity items,
 * only while the staff member holds an unexpired grant for exactly this customer.
 */
export async function getCustomerSummary(staffId: string, customerId: string): Promise<Outcome<CustomerSummary>> {
  const grant = await requireCustomerAccess(staffId, customerId);
  if (!grant) return fail("accessReasonRequired");
  const [person] = await db
    .select({
      firstName: users.firstName,
      lastName: users.lastName,
      accountNumber: users.accountNumber,
      email: users.email,
      phone: users.phone,
    })
    .from(users)
    .where(eq(users.id, customerId));
  if (!person) return fail("accessNoCustomer");
  const [offers] = await db
    .select({ status: subscriptions.status })
    .from(subscriptions)
    .where(and(eq(subscriptions.userId, customerId), eq(subscriptions.topicId, "offers")));
  return ok({
    firstName: person.firstName,
    lastName: person.lastName,
    accountNumber: person.accountNumber,
    maskedEmail: person.email ? maskEmail(person.email) : null,
    maskedPhone: maskPhone(person.phone),
    offersOptIn: offers?.status === "granted",
    activity: await recentActivity(customerId, 10),
    grantExpiresAt: grant.expiresAt,
  });
}

/** Whose chat it is; only the rep it is assigned to may ask. */
async function chatParty(staff: StaffActor, conversationId: number) {
  const [chat] = await db
    .select({
      customerId: chatConversations.customerId,
      repId: chatConversations.repId,
      visitorName: chatConversations.visitorName,
      visitorEmail: chatConversations.visitorEmail,
      visitorAccountNumber: chatConversations.visitorAccountNumber,
      topic: chatConversations.topic,
    })
    .from(chatConversations)
    .where(eq(chatConversations.id, conversationId));
  if (!chat || chat.repId !== staff.userId) return null;
  return chat;
}

/** The side panel as it can be shown now: without a grant a customer's chat asks for the reason first. */
export async function chatSidePanel(staff: StaffActor, conversationId: number): Promise<Outcome<SidePanel>> {
  const chat = await chatParty(staff, conversationId);
  if (!chat) return fail("chatNotYours");
  if (!chat.customerId) {
    // A visitor has no account: the panel shows what they typed when starting the chat.
    return ok({
      kind: "visitor",
      conversationId,
      name: chat.visitorName ?? "",
      maskedEmail: chat.visitorEmail ? maskEmail(chat.visitorEmail) : null,
      accountNumber: chat.visitorAccountNumber || null,
      topic: chat.topic,
    });
  }
  const summary = await getCustomerSummary(staff.userId, chat.customerId);
  if (!summary.ok) {
    return summary.error === "accessReasonRequired" ? ok({ kind: "needsReason", conversationId }) : summary;
  }
  return ok({ kind: "customer", conversationId, summary: summary.data });
}

/** Opens the customer's side panel with a stated reason: the grant (and its audit row) first, then the read. */
export async function openChatSidePanel(
  staff: StaffActor,
  conversationId: number,
  reason: AccessReasonInput,
  ip: string,
): Promise<Outcome<SidePanel>> {
  const chat = await chatParty(staff, conversationId);
  if (!chat) return fail("chatNotYours");
  if (chat.customerId) {
    const granted = await grantCustomerAccess(staff, chat.customerId, { ...reason, chatId: conversationId }, ip);
    if (!granted.ok) return granted;
  }
  return chatSidePanel(staff, conversationId);
}

import "server-only";
import { and, desc, eq, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { db } from "@/db/client";
import { chatConversations, contactRequests, staffAccessGrants, users } from "@/db/schema";
import { isUserId } from "@/lib/actions/customer-action";
import { fail, type Outcome } from "@/lib/actions/result";
import { grantCustomerAccess, requireCustomerAccess, type StaffActor } from "@/lib/access/grants";
import { describeAccessReason, type AccessReasonInput } from "@/lib/access/schema";
import { recentActivity } from "@/lib/audit/activity";
import { contactRequestNumber } from "@/lib/contact/schema";
import { excerptOf } from "@/lib/contact/queries";
import { getPreferences, type TopicChoice } from "@/lib/preferences/queries";
import { getProfile, type ProfileView } from "@/lib/profile/queries";

/** The grant as the page and the on-behalf actions use it: until when, and why in the customer's words. */
export type GrantInWords = { expiresAt: Date; reason: string; reasonInWords: string };

/**
 * The reason of a grant as the customer reads it ("Customer request by phone", "Other: …"); a
 * grant made from a chat's side panel names its chat. A lawful request's reference stays with staff.
 */
export function grantReasonInWords(grant: { reason: string; reasonText: string; reference: string }): string {
  const chat = grant.reason === "chat" ? /^chat #(\d+)$/.exec(grant.reference) : null;
  return describeAccessReason(grant.reason, grant.reasonText, chat ? Number(chat[1]) : null);
}

/** The staff member's live grant for this customer, with its reason in words, or null. */
export async function grantInWords(staffId: string, customerId: string): Promise<GrantInWords | null> {
  const grant = await requireCustomerAccess(staffId, customerId);
  return grant && { expiresAt: grant.expiresAt, reason: grant.reason, reasonInWords: grantReasonInWords(grant) };
}

/** Whether the id names a customer record: the role is all that is read (no personal field). */
export async function isCustomerId(customerId: string): Promise<boolean> {
  if (!isUserId(customerId)) return false;
  const [row] = await db.select({ role: users.role }).from(users).where(eq(users.id, customerId));
  return row?.role === "customer";
}

export type CustomerChat = {
  id: number;
  topic: string;
  status: "waiting" | "active" | "closed";
  startedAt: Date;
  closedAt: Date | null;
  repFirstName: string | null;
};

export type CustomerContactRequest = {
  id: number;
  requestNumber: string;
  topic: string;
  excerpt: string;
  status: "open" | "handled";
  createdAt: Date;
};

/** Everything the customer page shows under a grant. Never a password hash, token or full payment number. */
export type CustomerRecord = {
  customerId: string;
  profile: ProfileView;
  preferences: TopicChoice[];
  activity: { id: number; when: Date; what: string }[];
  chats: CustomerChat[];
  contactRequests: CustomerContactRequest[];
  grant: GrantInWords;
};

/** What the customer page may show now. */
export type CustomerPage = { kind: "notFound" } | { kind: "needsReason" } | { kind: "open"; record: CustomerRecord };

const rep = alias(users, "rep");

/** The customer's support chats, newest first (the transcript itself is opened, and audited, on its own page). */
async function chatsOf(customerId: string, limit = 10): Promise<CustomerChat[]> {
  const rows = await db
    .select({
      id: chatConversations.id,
      topic: chatConversations.topic,
      status: chatConversations.status,
      startedAt: chatConversations.createdAt,
      closedAt: chatConversations.closedAt,
      repFirstName: rep.firstName,
    })
    .from(chatConversations)
    .leftJoin(rep, eq(rep.id, chatConversations.repId))
    .where(eq(chatConversations.customerId, customerId))
    .orderBy(desc(chatConversations.createdAt), desc(chatConversations.id))
    .limit(limit);
  return rows.map((r) => ({ ...r, repFirstName: r.repFirstName ?? null }));
}

/** The Contact Us requests the customer sent while signed in, newest first, the message cut to an excerpt. */
async function contactRequestsOf(customerId: string, limit = 10): Promise<CustomerContactRequest[]> {
  const rows = await db
    .select({
      id: contactRequests.id,
      topic: contactRequests.topic,
      head: sql<string>`left(${contactRequests.message}, 280)`,
      status: contactRequests.status,
      createdAt: contactRequests.createdAt,
    })
    .from(contactRequests)
    .where(eq(contactRequests.userId, customerId))
    .orderBy(desc(contactRequests.createdAt), desc(contactRequests.id))
    .limit(limit);
  return rows.map(({ head, ...r }) => ({ ...r, requestNumber: contactRequestNumber(r.id), excerpt: excerptOf(head) }));
}

/**
 * The customer page for a staff member: 404 for an id that is not a customer's, the reason form
 * without a live grant (nothing personal is read), the record with one. The grant is checked
 * before the first personal field is selected.
 */
export async function customerPageFor(staff: StaffActor, customerId: string): Promise<CustomerPage> {
  if (!(await isCustomerId(customerId))) return { kind: "notFound" };
  const grant = await grantInWords(staff.userId, customerId);
  if (!grant) return { kind: "needsReason" };
  const [profile, preferences, activity, chats, requests] = await Promise.all([
    getProfile(customerId),
    getPreferences(customerId),
    recentActivity(customerId, 10),
    chatsOf(customerId),
    contactRequestsOf(customerId),
  ]);
  if (!profile) return { kind: "notFound" };
  return {
    kind: "open",
    record: { customerId, profile, preferences, activity, chats, contactRequests: requests, grant },
  };
}

/**
 * Opens a customer with a stated reason: the audit row and the 30-minute grant (one transaction,
 * lib/access/grants.ts) before anything personal is read.
 */
export async function openCustomer(
  staff: StaffActor,
  customerId: string,
  reason: AccessReasonInput,
  ip: string,
): Promise<Outcome<{ expiresAt: Date }>> {
  if (!isUserId(customerId)) return fail("accessNoCustomer");
  return grantCustomerAccess(staff, customerId, reason, ip);
}

export type RecentCustomer = {
  customerId: string;
  firstName: string;
  lastName: string;
  accountNumber: string | null;
  lastOpenedAt: Date;
  /** The staff member's grant for this customer is still running. */
  active: boolean;
};

/**
 * The customers this staff member opened recently, the latest first, from their own grants: name,
 * account number (what a search result shows too), when they last opened them and whether that
 * access is still running. For the console's home page.
 */
export async function recentCustomersOf(staffId: string, limit = 10): Promise<RecentCustomer[]> {
  if (!isUserId(staffId)) return [];
  const lastOpenedAt = sql<Date>`max(${staffAccessGrants.createdAt})`.mapWith(staffAccessGrants.createdAt);
  const rows = await db
    .select({
      customerId: staffAccessGrants.customerId,
      firstName: users.firstName,
      lastName: users.lastName,
      accountNumber: users.accountNumber,
      lastOpenedAt,
      active: sql<boolean>`bool_or(${staffAccessGrants.expiresAt} > now())`,
    })
    .from(staffAccessGrants)
    .innerJoin(users, eq(users.id, staffAccessGrants.customerId))
    .where(and(eq(staffAccessGrants.staffId, staffId), eq(users.role, "customer")))
    .groupBy(staffAccessGrants.customerId, users.firstName, users.lastName, users.accountNumber)
    .orderBy(desc(lastOpenedAt), staffAccessGrants.customerId)
    .limit(Math.max(1, Math.min(limit, 50)));
  return rows.map((r) => ({ ...r, active: Boolean(r.active) }));
}

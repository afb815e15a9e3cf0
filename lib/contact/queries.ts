import "server-only";
import { and, asc, desc, eq, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { db } from "@/db/client";
import { contactRequests, users } from "@/db/schema";
import { fail, ok, type Outcome } from "@/lib/actions/result";
import { recordAudit } from "@/lib/audit/record";
import { maskEmail } from "@/lib/profile/email-change";
import { contactRequestNumber } from "./schema";

export type ContactRequestStatus = "open" | "handled";

/** One row of the reps' list: contact details masked, the message cut to an excerpt. */
export type ContactRequestSummary = {
  id: number;
  /** "#123", as the customer's confirmation and acknowledgement mail call it. */
  requestNumber: string;
  name: string;
  /** "d•••a@example.com": enough to recognise, not to harvest. */
  emailMasked: string;
  topic: string;
  excerpt: string;
  createdAt: Date;
  /** Sent by a signed-in customer (linked to their account) rather than a visitor. */
  signedIn: boolean;
  status: ContactRequestStatus;
  handledAt: Date | null;
  /** The first name of the staff member who marked it handled. */
  handledByName: string | null;
};

/** Who marks a request handled: a staff member from their session. */
export type ContactStaffActor = { userId: string; ip: string };

export const EXCERPT_LENGTH = 140;

/** The message on one line, cut at a word near EXCERPT_LENGTH characters. */
export function excerptOf(message: string): string {
  const oneLine = message.replace(/\s+/g, " ").trim();
  if (oneLine.length <= EXCERPT_LENGTH) return oneLine;
  const cut = oneLine.slice(0, EXCERPT_LENGTH);
  const space = cut.lastIndexOf(" ");
  return `${(space > EXCERPT_LENGTH / 2 ? cut.slice(0, space) : cut).trimEnd()}…`;
}

const handler = alias(users, "handler");

/**
 * Contact Us requests for the rep console: open ones oldest first (the longest waiting on top),
 * handled ones newest first.
 */
export async function listContactRequests(opts: {
  status: ContactRequestStatus;
  limit: number;
}): Promise<ContactRequestSummary[]> {
  const rows = await db
    .select({
      id: contactRequests.id,
      userId: contactRequests.userId,
      name: contactRequests.name,
      email: contactRequests.email,
      topic: contactRequests.topic,
      // Only the start of the message leaves the database for a list.
      head: sql<string>`left(${contactRequests.message}, ${EXCERPT_LENGTH * 2})`,
      createdAt: contactRequests.createdAt,
      status: contactRequests.status,
      handledAt: contactRequests.handledAt,
      handledByName: handler.firstName,
    })
    .from(contactRequests)
    .leftJoin(handler, eq(handler.id, contactRequests.handledBy))
    .where(eq(contactRequests.status, opts.status))
    .orderBy(
      opts.status === "open" ? asc(contactRequests.createdAt) : desc(contactRequests.handledAt),
      asc(contactRequests.id),
    )
    .limit(Math.max(1, Math.min(opts.limit, 200)));
  return rows.map((r) => ({
    id: r.id,
    requestNumber: contactRequestNumber(r.id),
    name: r.name,
    emailMasked: maskEmail(r.email),
    topic: r.topic,
    excerpt: excerptOf(r.head),
    createdAt: r.createdAt,
    signedIn: r.userId !== null,
    status: r.status,
    handledAt: r.handledAt,
    handledByName: r.handledByName ?? null,
  }));
}

/** The reps' queue of Contact Us requests: open ones, the longest waiting first. */
export async function listOpenContactRequests(limit = 50): Promise<ContactRequestSummary[]> {
  return listContactRequests({ status: "open", limit });
}

/** How many requests wait for a rep (for a badge beside the chats). */
export async function countOpenContactRequests(): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(contactRequests)
    .where(eq(contactRequests.status, "open"));
  return Number(row.n);
}

/**
 * A rep marks a request handled (they replied by e-mail or phone), audited in the same
 * transaction. Only an open request can be: a second click, or a second rep, is refused.
 */
export async function markContactRequestHandled(
  staff: ContactStaffActor,
  id: number,
): Promise<Outcome<{ id: number; requestNumber: string }>> {
  return db.transaction(async (tx) => {
    const [row] = await tx
      .update(contactRequests)
      .set({ status: "handled", handledBy: staff.userId, handledAt: sql`now()` })
      .where(and(eq(contactRequests.id, id), eq(contactRequests.status, "open")))
      .returning({ id: contactRequests.id });
    if (!row) {
      const [exists] = await tx
        .select({ id: contactRequests.id })
        .from(contactRequests)
        .where(eq(contactRequests.id, id));
      return fail(exists ? "contactRequestAlreadyHandled" : "contactRequestNotFound");
    }
    // Marking handled is the rep's work, not a change to the customer's account: no subject user.
    await recordAudit(tx, {
      actorId: staff.userId,
      subjectUserId: null,
      action: "contact.handled",
      detail: { requestId: id },
      ip: staff.ip,
    });
    const requestNumber = contactRequestNumber(id);
    return ok({ id, requestNumber }, `Request ${requestNumber} is marked as handled.`);
  });
}

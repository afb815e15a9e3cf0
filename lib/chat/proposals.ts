import "server-only";
import { and, eq, sql } from "drizzle-orm";
import { db } from "@/db/client";
import { chatProposals } from "@/db/schema";
import { fail, ok, type Outcome } from "@/lib/actions/result";
import { recordConsent } from "@/lib/preferences/consent";
import { getProfile } from "@/lib/profile/queries";
import { updateAddresses, updatePhone } from "@/lib/profile/update";
import { formatUsPhone, normalizeUsPhone, US_STATES } from "@/lib/profile/us";
import { appendEvent, conversationFor, type Participant } from "./conversations";
import type { ProposalInput } from "./schema";

type Staff = Extract<Participant, { kind: "staff" }>;
type Customer = Extract<Participant, { kind: "customer" }>;

/** What the customer reads on the card: the new value, in full (it is their own data). */
function summarize(input: ProposalInput): string {
  switch (input.field) {
    case "phone":
      return `Phone number: ${formatUsPhone(normalizeUsPhone(input.phone) ?? input.phone)}`;
    case "address":
      return `Service address: ${[input.line1, input.line2, `${input.city}, ${input.state.toUpperCase()} ${input.zip}`]
        .filter(Boolean)
        .join(", ")}`;
    case "offers":
      return `Special offers by e-mail: ${input.optIn === "yes" ? "Yes" : "No"}`;
  }
}

/**
 * A rep proposes a change in a chat; nothing changes until the customer approves it in the chat
 * (the change is then theirs, made through the same functions as Edit Profile, and the audit row
 * names the rep who proposed it).
 */
export async function proposeChange(staff: Staff, input: ProposalInput): Promise<Outcome<{ proposalId: number }>> {
  if (input.field === "phone" && !normalizeUsPhone(input.phone)) {
    return fail("invalidInput", { phone: ["proposalBadPhone"] });
  }
  if (input.field === "address" && !(input.state.toUpperCase() in US_STATES)) {
    return fail("invalidInput", { state: ["proposalBadState"] });
  }
  return db.transaction(async (tx) => {
    const c = await conversationFor(tx, staff, input.conversationId, true);
    if (!c) return fail("chatNotYours");
    if (c.status !== "active") return fail("chatClosed");
    if (!c.customerId) return fail("proposalNotForVisitor");
    const { conversationId, ...payload } = input;
    const [row] = await tx
      .insert(chatProposals)
      .values({ conversationId, customerId: c.customerId, repId: staff.userId, field: input.field, payload })
      .returning({ id: chatProposals.id });
    await appendEvent(tx, conversationId, {
      kind: "proposal",
      author: "rep",
      authorId: staff.userId,
      body: `${staff.firstName} proposes a change — ${summarize(input)}. Nothing changes unless you approve it.`,
      data: { proposalId: row.id, field: input.field, summary: summarize(input), status: "pending" },
    });
    return ok({ proposalId: row.id });
  });
}

export async function withdrawProposal(staff: Staff, proposalId: number): Promise<Outcome<null>> {
  return db.transaction(async (tx) => {
    const [p] = await tx
      .update(chatProposals)
      .set({ status: "withdrawn", answeredAt: sql`now()` })
      .where(
        and(
          eq(chatProposals.id, proposalId),
          eq(chatProposals.repId, staff.userId),
          eq(chatProposals.status, "pending"),
        ),
      )
      .returning();
    if (!p) return fail("proposalNotPending");
    await appendEvent(tx, p.conversationId, {
      kind: "proposal_answer",
      author: "rep",
      authorId: staff.userId,
      body: "The representative withdrew the proposed change.",
      data: { proposalId, status: "withdrawn" },
    });
    return ok(null);
  });
}

/**
 * The customer's answer. "Approve" applies the change at the customer's own authority through the
 * Edit Profile functions (same validation, same audit row and "profile updated" mail), claiming
 * the proposal first so that a double click applies it once.
 */
export async function answerProposal(
  customer: Customer,
  input: { proposalId: number; answer: "approve" | "decline" },
  ctx: { ip: string; userAgent: string },
): Promise<Outcome<null>> {
  const status = input.answer === "approve" ? "approved" : "declined";
  const [p] = await db
    .update(chatProposals)
    .set({ status, answeredAt: sql`now()` })
    .where(
      and(
        eq(chatProposals.id, input.proposalId),
        eq(chatProposals.customerId, customer.userId),
        eq(chatProposals.status, "pending"),
      ),
    )
    .returning();
  if (!p) return fail("proposalNotPending");
  const chat = await conversationFor(db, customer, p.conversationId);

  let applied: Outcome<unknown> = ok(null);
  if (status === "approved") {
    const actor = {
      userId: customer.userId,
      actorId: customer.userId,
      ip: ctx.ip,
      detail: { chatId: p.conversationId, proposedBy: p.repId ?? "a representative" },
    };
    const payload = p.payload as Record<string, string>;
    const profile = await getProfile(customer.userId);
    if (p.field === "phone" && profile) {
      applied = await updatePhone(actor, { version: profile.phone.version, phone: payload.phone });
    } else if (p.field === "address" && profile) {
      const a = profile.address;
      applied = await updateAddresses(actor, {
        version: profile.address.version,
        serviceLine1: payload.line1,
        serviceLine2: payload.line2 ?? "",
        serviceCity: payload.city,
        serviceState: payload.state.toUpperCase(),
        serviceZip: payload.zip,
        // The billing address stays as it is (or keeps following the service address).
        billingSameAsService: a.billingSameAsService,
        billingLine1: a.billingLine1,
        billingLine2: a.billingLine2,
        billingCity: a.billingCity,
        billingState: a.billingState,
        billingZip: a.billingZip,
      });
    } else if (p.field === "offers") {
      await db.transaction((tx) =>
        recordConsent(tx, {
          userId: customer.userId,
          topicId: "offers",
          action: payload.optIn === "yes" ? "granted" : "withdrawn",
          source: "chat",
          actorId: customer.userId,
          ip: ctx.ip,
          userAgent: ctx.userAgent,
        }),
      );
    }
  }
  if (!applied.ok) {
    // Not applied after all (the profile changed under it): say so in the chat, keep it honest.
    await db.update(chatProposals).set({ status: "declined" }).where(eq(chatProposals.id, p.id));
  }
  if (chat) {
    await db.transaction((tx) =>
      appendEvent(tx, p.conversationId, {
        kind: "proposal_answer",
        author: "customer",
        authorId: customer.userId,
        body: !applied.ok
          ? "The change could not be applied; please try again."
          : status === "approved"
            ? "You approved the change; it has been saved."
            : "You declined the change; nothing was changed.",
        data: { proposalId: p.id, status: applied.ok ? status : "failed" },
      }),
    );
  }
  return applied.ok
    ? ok(null, status === "approved" ? "The change was saved." : "Nothing was changed.")
    : fail("unexpected");
}

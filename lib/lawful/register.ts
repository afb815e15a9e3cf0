import "server-only";
import { and, count, desc, eq, inArray, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { db, type DbOrTx } from "@/db/client";
import { auditEvents, lawfulRequestCustomers, lawfulRequests, users } from "@/db/schema";
import { fail, ok, type Outcome } from "@/lib/actions/result";
import { recordAudit } from "@/lib/audit/record";
import { parseAccountNumbers, type LawfulRequestInput } from "./schema";

/** The audit action each affected customer reads in their account activity (lib/audit/activity.ts). */
export const LAWFUL_DISCLOSED = "lawful.disclosed";
/** The admin's own row for every entry; the only row of a restricted one (no customer subject). */
export const LAWFUL_RECORDED = "lawful.recorded";

export type LawfulActor = { userId: string; ip: string };

function isUniqueViolation(err: unknown): boolean {
  const e = err as { code?: string; cause?: { code?: string } };
  return e.code === "23505" || e.cause?.code === "23505";
}

function referenceTaken() {
  return fail("invalidInput", { reference: ["lawfulReferenceTaken"] });
}

/** Whether a register reference exists (the reason-before-access form's "Lawful request" names one). */
export async function lawfulReferenceExists(reference: string, tx: DbOrTx = db): Promise<boolean> {
  const [row] = await tx
    .select({ id: lawfulRequests.id })
    .from(lawfulRequests)
    .where(eq(lawfulRequests.reference, reference.trim()))
    .limit(1);
  return !!row;
}

/**
 * Records one entry of the register: the request, its affected customers and the audit rows, in
 * one transaction. Every affected customer gets a `lawful.disclosed` row they read in their
 * account activity and data download, unless notice is legally restricted: then the only trace is
 * the admin's `lawful.recorded` row (with the restriction's basis) and the link rows, neither of
 * which anything shows the customer. Entries are never changed: a correction is a new entry.
 *
 * What the customer reads: the authority, the legal basis, what was disclosed and when the request
 * arrived. The register reference stays with staff, as it does in the reason-before-access
 * sentence (lib/access/schema.ts); `requestId` lets staff find the entry from the customer's row.
 */
export async function recordLawfulRequest(
  actor: LawfulActor,
  input: LawfulRequestInput,
): Promise<Outcome<{ id: number; reference: string; customers: number }>> {
  const accounts = parseAccountNumbers(input.accounts);
  const found = await db
    .select({ id: users.id, accountNumber: users.accountNumber })
    .from(users)
    .where(and(eq(users.role, "customer"), inArray(users.accountNumber, accounts)));
  const known = new Set(found.map((f) => f.accountNumber));
  const unknown = accounts.filter((a) => !known.has(a));
  if (unknown.length) {
    return fail("invalidInput", { accounts: [{ code: "lawfulUnknownAccounts", accounts: unknown }] });
  }
  // Checked first for a clear answer; the unique index decides when two admins race.
  if (await lawfulReferenceExists(input.reference)) return referenceTaken();

  const restrictionBasis = input.restricted ? input.restrictionBasis : "";
  try {
    const id = await db.transaction(async (tx) => {
      const [entry] = await tx
        .insert(lawfulRequests)
        .values({
          authority: input.authority,
          legalBasis: input.legalBasis,
          reference: input.reference,
          disclosed: input.disclosed,
          receivedOn: input.receivedOn,
          restricted: input.restricted,
          restrictionBasis,
          recordedBy: actor.userId,
        })
        .returning({ id: lawfulRequests.id });
      await tx.insert(lawfulRequestCustomers).values(found.map((c) => ({ requestId: entry.id, customerId: c.id })));
      await recordAudit(tx, {
        actorId: actor.userId,
        subjectUserId: null,
        action: LAWFUL_RECORDED,
        detail: {
          requestId: entry.id,
          reference: input.reference,
          authority: input.authority,
          customers: found.length,
          restricted: input.restricted,
          ...(input.restricted && { restrictionBasis }),
        },
        ip: actor.ip,
      });
      if (!input.restricted) {
        // One multi-row insert: an entry may name up to 100 customers.
        await tx.insert(auditEvents).values(
          found.map((c) => ({
            actorId: actor.userId,
            subjectUserId: c.id,
            action: LAWFUL_DISCLOSED,
            detail: {
              requestId: entry.id,
              authority: input.authority,
              legalBasis: input.legalBasis,
              disclosed: input.disclosed,
              receivedOn: input.receivedOn,
            },
            ip: actor.ip,
          })),
        );
      }
      return entry.id;
    });
    const message = input.restricted
      ? `Recorded ${input.reference} for ${found.length} ${found.length === 1 ? "customer" : "customers"}. Notice is restricted: they are not shown it.`
      : `Recorded ${input.reference} for ${found.length} ${found.length === 1 ? "customer" : "customers"}. Each sees it in their account activity.`;
    return ok({ id, reference: input.reference, customers: found.length }, message);
  } catch (err) {
    if (isUniqueViolation(err)) return referenceTaken();
    throw err;
  }
}

const recorder = alias(users, "recorder");

export type LawfulRegisterEntry = {
  id: number;
  authority: string;
  legalBasis: string;
  reference: string;
  disclosed: string;
  receivedOn: string;
  restricted: boolean;
  restrictionBasis: string;
  recordedBy: string;
  createdAt: Date;
  accountNumbers: string[];
};

export const REGISTER_PAGE_SIZE = 50;

/** The register, newest first, a page at a time, with each entry's account numbers. */
export async function listLawfulRequests(page = 1): Promise<{ entries: LawfulRegisterEntry[]; total: number }> {
  const offset = (Math.max(1, page) - 1) * REGISTER_PAGE_SIZE;
  const rows = await db
    .select({
      id: lawfulRequests.id,
      authority: lawfulRequests.authority,
      legalBasis: lawfulRequests.legalBasis,
      reference: lawfulRequests.reference,
      disclosed: lawfulRequests.disclosed,
      receivedOn: lawfulRequests.receivedOn,
      restricted: lawfulRequests.restricted,
      restrictionBasis: lawfulRequests.restrictionBasis,
      createdAt: lawfulRequests.createdAt,
      recorderFirst: recorder.firstName,
      recorderLast: recorder.lastName,
      recorderUsername: recorder.username,
    })
    .from(lawfulRequests)
    .leftJoin(recorder, eq(recorder.id, lawfulRequests.recordedBy))
    .orderBy(desc(lawfulRequests.createdAt), desc(lawfulRequests.id))
    .limit(REGISTER_PAGE_SIZE)
    .offset(offset);
  const [{ total }] = await db.select({ total: count() }).from(lawfulRequests);
  const links = rows.length
    ? await db
        .select({ requestId: lawfulRequestCustomers.requestId, accountNumber: users.accountNumber })
        .from(lawfulRequestCustomers)
        .innerJoin(users, eq(users.id, lawfulRequestCustomers.customerId))
        .where(
          inArray(
            lawfulRequestCustomers.requestId,
            rows.map((r) => r.id),
          ),
        )
        .orderBy(sql`${users.accountNumber}`)
    : [];
  return {
    total,
    entries: rows.map((r) => ({
      id: r.id,
      authority: r.authority,
      legalBasis: r.legalBasis,
      reference: r.reference,
      disclosed: r.disclosed,
      receivedOn: r.receivedOn,
      restricted: r.restricted,
      restrictionBasis: r.restrictionBasis,
      createdAt: r.createdAt,
      recordedBy:
        r.recorderFirst === null
          ? "(staff account deleted)"
          : `${`${r.recorderFirst} ${r.recorderLast}`.trim() || r.recorderUsername || "Staff"}${r.recorderUsername ? ` (${r.recorderUsername})` : ""}`,
      accountNumbers: links.filter((l) => l.requestId === r.id).map((l) => l.accountNumber ?? "—"),
    })),
  };
}

/** What a customer may read of the disclosures about them: the entries not restricted from notice. */
export async function disclosuresAbout(customerId: string) {
  return db
    .select({
      receivedOn: lawfulRequests.receivedOn,
      recordedAt: lawfulRequests.createdAt,
      authority: lawfulRequests.authority,
      legalBasis: lawfulRequests.legalBasis,
      disclosed: lawfulRequests.disclosed,
    })
    .from(lawfulRequestCustomers)
    .innerJoin(lawfulRequests, eq(lawfulRequests.id, lawfulRequestCustomers.requestId))
    .where(and(eq(lawfulRequestCustomers.customerId, customerId), eq(lawfulRequests.restricted, false)))
    .orderBy(lawfulRequests.createdAt, lawfulRequests.id);
}

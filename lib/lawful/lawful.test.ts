import { and, eq, inArray, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { z } from "zod/mini";
import { db } from "@/db/client";
import { auditEvents, lawfulRequestCustomers, lawfulRequests } from "@/db/schema";
import { grantCustomerAccess } from "@/lib/access/grants";
import { runSecureAction } from "@/lib/actions/door";
import { listActivity } from "@/lib/audit/activity";
import { createSession, findActiveSession } from "@/lib/auth/sessions";
import type { RequestContext } from "@/lib/http/request-context";
import { messages, say } from "@/lib/messages";
import { buildDataExport } from "@/lib/privacy/export";
import { createUser, randomName } from "@/lib/test/factories";
import { lawfulActions } from "./actions";
import { LAWFUL_DISCLOSED, LAWFUL_RECORDED, listLawfulRequests, recordLawfulRequest } from "./register";
import { lawfulRequestSchema, parseAccountNumbers, type LawfulRequestInput } from "./schema";

const https: RequestContext = { proto: "https", clientIp: "203.0.113.9", userAgent: "test" };

async function admin() {
  const user = await createUser({ role: "admin" });
  return { userId: user.id, ip: "203.0.113.9" };
}

function entry(accounts: string[], extra: Partial<LawfulRequestInput> = {}): LawfulRequestInput {
  return {
    authority: "Denver Police Department",
    legalBasis: "Subpoena 26-CR-0042",
    reference: `LR-${randomName("t")}`,
    receivedOn: "2026-11-20",
    disclosed: "Name and service address",
    accounts: accounts.join("\n"),
    restricted: false,
    restrictionBasis: "",
    ...extra,
  };
}

async function auditRowsOf(requestId: number) {
  return db
    .select({ action: auditEvents.action, subject: auditEvents.subjectUserId, detail: auditEvents.detail })
    .from(auditEvents)
    .where(sql`${auditEvents.detail}->>'requestId' = ${String(requestId)}`);
}

describe("lawful-request register", () => {
  it("lawful: records an entry, its customers and one disclosure row per customer, which each customer reads", async () => {
    const actor = await admin();
    const a = await createUser();
    const b = await createUser({ registered: false });
    const input = entry([a.accountNumber, `${b.accountNumber}, ${a.accountNumber}`]);
    const res = await recordLawfulRequest(actor, input);
    expect(res).toMatchObject({ ok: true, data: { reference: input.reference, customers: 2 } });
    if (!res.ok) return;
    const links = await db
      .select()
      .from(lawfulRequestCustomers)
      .where(eq(lawfulRequestCustomers.requestId, res.data.id));
    expect(links.map((l) => l.customerId).sort()).toEqual([a.id, b.id].sort());

    const rows = await auditRowsOf(res.data.id);
    expect(
      rows
        .filter((r) => r.action === LAWFUL_DISCLOSED)
        .map((r) => r.subject)
        .sort(),
    ).toEqual([a.id, b.id].sort());
    expect(rows.filter((r) => r.action === LAWFUL_RECORDED)).toEqual([
      expect.objectContaining({ subject: null, detail: expect.objectContaining({ reference: input.reference }) }),
    ]);
    // The customer's row carries what they may read, not the register reference.
    const mine = rows.find((r) => r.subject === a.id)!;
    expect(mine.detail).toMatchObject({ authority: input.authority, legalBasis: input.legalBasis });
    expect(JSON.stringify(mine.detail)).not.toContain(input.reference);

    const { items } = await listActivity(a.id, 1);
    expect(items[0].what).toBe(
      "Information about you was disclosed to Denver Police Department — Subpoena 26-CR-0042: Name and service address",
    );
    const data = await buildDataExport(a.id);
    expect(data!.lawfulDisclosures).toEqual([
      expect.objectContaining({
        authority: input.authority,
        legalBasis: input.legalBasis,
        disclosed: input.disclosed,
        receivedOn: "2026-11-20",
      }),
    ]);
    expect(data!.activity.map((x) => x.action)).toContain(LAWFUL_DISCLOSED);

    const { entries } = await listLawfulRequests();
    const listed = entries.find((e) => e.id === res.data.id)!;
    expect(listed.accountNumbers.sort()).toEqual([a.accountNumber, b.accountNumber].sort());
    expect(listed.recordedBy).toContain("Test Person");
  });

  it("lawful: a restricted entry shows the customer nothing and keeps its basis in one audit row", async () => {
    const actor = await admin();
    const c = await createUser();
    const input = entry([c.accountNumber], {
      restricted: true,
      restrictionBasis: "Court order 26-0001, §4 non-disclosure",
    });
    const res = await recordLawfulRequest(actor, input);
    expect(res.ok).toBe(true);
    if (!res.ok) return;
    const rows = await auditRowsOf(res.data.id);
    expect(rows).toEqual([
      {
        action: LAWFUL_RECORDED,
        subject: null,
        detail: expect.objectContaining({ restricted: true, restrictionBasis: input.restrictionBasis, customers: 1 }),
      },
    ]);
    expect((await listActivity(c.id, 1)).items.map((i) => i.what)).not.toContainEqual(
      expect.stringContaining("disclosed"),
    );
    const data = await buildDataExport(c.id);
    expect(data!.lawfulDisclosures).toEqual([]);
    expect(JSON.stringify(data)).not.toContain(input.authority);

    // A later, unrestricted entry about the same customer is shown; the restricted one still is not.
    const open = entry([c.accountNumber], { authority: "State Attorney General", disclosed: "Billing history" });
    expect((await recordLawfulRequest(actor, open)).ok).toBe(true);
    const after = await buildDataExport(c.id);
    expect(after!.lawfulDisclosures.map((d) => d.authority)).toEqual(["State Attorney General"]);
    expect(JSON.stringify(after)).not.toContain(input.authority);
  });

  it("lawful: restricted needs its basis; fields are limited; account numbers are checked", () => {
    const restricted = z.safeParse(lawfulRequestSchema, {
      ...entry(["2000000001"]),
      restricted: "on",
      restrictionBasis: " ",
    });
    expect(restricted.success).toBe(false);
    expect(JSON.stringify(restricted.error?.issues)).toContain("restrictionBasis");
    expect(
      z.safeParse(lawfulRequestSchema, { ...entry(["2000000001"]), restricted: "on", restrictionBasis: "Order" })
        .success,
    ).toBe(true);

    const tooLong = z.safeParse(lawfulRequestSchema, { ...entry(["2000000001"]), authority: "x".repeat(201) });
    expect(tooLong.error?.issues[0]).toMatchObject({ path: ["authority"], message: "Use at most 200 characters" });
    const bad = z.safeParse(lawfulRequestSchema, entry(["2000000001", "12ab"]));
    expect(bad.error?.issues[0]).toMatchObject({
      path: ["accounts"],
      message: "An account number has 10 digits; not: 12ab",
    });
    const many = Array.from({ length: 101 }, (_, i) => String(3_000_000_000 + i));
    expect(z.safeParse(lawfulRequestSchema, entry(many)).error?.issues[0].message).toContain("At most 100 customers");
    const future = z.safeParse(lawfulRequestSchema, { ...entry(["2000000001"]), receivedOn: "2999-01-01" });
    expect(future.error?.issues[0].message).toBe("The date received can't be in the future");
    expect(z.safeParse(lawfulRequestSchema, { ...entry(["2000000001"]), receivedOn: "2026-02-30" }).success).toBe(
      false,
    );
    expect(parseAccountNumbers(" 1, 2;3\n\n1 ")).toEqual(["1", "2", "3"]);
  });

  it("lawful: unknown account numbers are named and nothing is written", async () => {
    const actor = await admin();
    const c = await createUser();
    const staff = await createUser({ role: "rep" });
    const input = entry([c.accountNumber, "9999999901", "9999999902"]);
    const res = await recordLawfulRequest(actor, input);
    expect(res).toMatchObject({ ok: false, error: "invalidInput" });
    if (res.ok) return;
    expect(say(res.fieldErrors!.accounts[0])).toBe("No customer has these account numbers: 9999999901, 9999999902");
    // A staff member's record is not a customer, even if it had an account number.
    const staffOnly = await recordLawfulRequest(actor, entry([staff.accountNumber ?? "9999999903"]));
    expect(staffOnly.ok).toBe(false);
    const stored = await db.select().from(lawfulRequests).where(eq(lawfulRequests.reference, input.reference));
    expect(stored).toEqual([]);
    expect(await db.select().from(auditEvents).where(eq(auditEvents.subjectUserId, c.id))).toEqual([]);
  });

  it("lawful: a reference is used once; the first entry is unchanged", async () => {
    const actor = await admin();
    const c = await createUser();
    const first = entry([c.accountNumber]);
    expect((await recordLawfulRequest(actor, first)).ok).toBe(true);
    const again = await recordLawfulRequest(actor, { ...first, authority: "Someone else" });
    expect(again).toMatchObject({
      ok: false,
      error: "invalidInput",
      fieldErrors: { reference: ["lawfulReferenceTaken"] },
    });
    const rows = await db.select().from(lawfulRequests).where(eq(lawfulRequests.reference, first.reference));
    expect(rows.map((r) => r.authority)).toEqual([first.authority]);
    // The register is append-only: the trigger refuses a change.
    await expect(
      db.update(lawfulRequests).set({ authority: "edited" }).where(eq(lawfulRequests.reference, first.reference)),
    ).rejects.toThrow();
  });

  it("door: a customer, a rep and a marketer are refused, and nothing is written; an admin records", async () => {
    const c = await createUser();
    for (const role of ["customer", "rep", "marketing", "admin"] as const) {
      const user = await createUser({ role });
      const sessionId = await createSession(db, { userId: user.id, userAgent: "test", ip: "203.0.113.9" });
      const deps = { request: async () => https, session: () => findActiveSession(sessionId) };
      // As the browser posts it: an unticked checkbox is absent.
      const { restricted: _r, ...input } = entry([c.accountNumber]);
      const result = await runSecureAction(
        lawfulActions.record.options,
        lawfulActions.record.handler as never,
        input as Record<string, unknown>,
        deps,
      );
      const stored = await db.select().from(lawfulRequests).where(eq(lawfulRequests.reference, input.reference));
      const audit = await db.select().from(auditEvents).where(eq(auditEvents.actorId, user.id));
      if (role === "admin") {
        expect(result).toMatchObject({ ok: true, data: { values: { reference: "", accounts: "" } } });
        expect(stored).toHaveLength(1);
      } else {
        expect(result).toMatchObject({ ok: false, formError: messages.forbidden, code: "forbidden" });
        expect(stored).toEqual([]);
        expect(audit).toEqual([]);
      }
    }
    const { rows } = await db.execute<{ n: number }>(
      sql`select count(*)::int as n from audit_events where subject_user_id = ${c.id}`,
    );
    expect(rows[0].n).toBe(1);
  });
});

describe("lawful request as a reason for access", () => {
  it("access: a lawful-request reason must name a register entry", async () => {
    const actor = await admin();
    const rep = await createUser({ role: "rep" });
    const c = await createUser();
    const staff = { userId: rep.id, role: "rep" as const };
    const reason = { reason: "lawful" as const, reasonText: "", reference: "LR-NOT-RECORDED" };
    expect(await grantCustomerAccess(staff, c.id, reason, "")).toMatchObject({
      ok: false,
      error: "lawfulReferenceUnknown",
      fieldErrors: { reference: ["lawfulReferenceUnknownField"] },
    });
    const viewed = await db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.subjectUserId, c.id), inArray(auditEvents.action, ["staff.customer_viewed"])));
    expect(viewed).toEqual([]);

    const recorded = entry([c.accountNumber]);
    expect((await recordLawfulRequest(actor, recorded)).ok).toBe(true);
    expect(await grantCustomerAccess(staff, c.id, { ...reason, reference: recorded.reference }, "")).toMatchObject({
      ok: true,
    });
  });
});

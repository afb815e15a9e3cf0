import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { db } from "@/db/client";
import { auditEvents } from "@/db/schema";
import { createUser } from "@/lib/test/factories";
import { parseCsv } from "@/lib/test/csv";
import { recordAudit } from "./record";
import {
  AUDIT_EXPORT_COLUMNS,
  listAuditLog,
  listKnownActions,
  openAuditExport,
  parseAuditFilters,
  shortDetail,
  type AuditFilters,
} from "./log";

const ip = "198.51.100.30";

function filters(f: Partial<AuditFilters> = {}): AuditFilters {
  const parsed = parseAuditFilters(f);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  return parsed.filters;
}

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  let out = "";
  for await (const chunk of stream) out += String(chunk);
  return out;
}

async function auditCount() {
  const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(auditEvents);
  return row.n;
}

describe("audit log", () => {
  it("log: filters by actor (username or e-mail), customer, action and dates, newest first, keyset-paged", async () => {
    const rep = await createUser({ role: "rep" });
    const customer = await createUser();
    const other = await createUser();
    for (let i = 0; i < 7; i++) {
      await recordAudit(db, {
        actorId: rep.id,
        subjectUserId: i % 2 ? customer.id : other.id,
        action: "staff.customer_viewed",
        detail: { n: i, token: "never-shown" },
        ip,
      });
    }
    // Many rows in the same microsecond must still page without loss or repeats.
    await db.insert(auditEvents).values(
      Array.from({ length: 5 }, (_, n) => ({
        actorId: rep.id,
        subjectUserId: customer.id,
        action: "profile.updated",
        detail: { n: 100 + n },
        createdAt: new Date("2026-01-15T12:00:00.000Z"),
      })),
    );

    const byUsername = await listAuditLog(filters({ actor: rep.username.toUpperCase() }));
    expect(byUsername.rows).toHaveLength(12);
    const byEmail = await listAuditLog(filters({ actor: rep.email }));
    expect(byEmail.rows.map((r) => r.id)).toEqual(byUsername.rows.map((r) => r.id));
    // Newest first.
    const times = byUsername.rows.map((r) => r.createdAt.getTime());
    expect([...times].sort((a, b) => b - a)).toEqual(times);
    expect(byUsername.rows[0]).toMatchObject({
      actionWords: "Opened a customer's details",
      actor: { username: rep.username, role: "rep" },
    });
    expect(byUsername.rows.every((r) => !r.detail.includes("never-shown"))).toBe(true);

    const forCustomer = await listAuditLog(filters({ customer: customer.accountNumber, actor: rep.username }));
    expect(forCustomer.rows).toHaveLength(3 + 5);
    expect(forCustomer.rows.every((r) => r.subject?.accountNumber === customer.accountNumber)).toBe(true);

    const byAction = await listAuditLog(filters({ actor: rep.username, action: "profile.updated" }));
    expect(byAction.rows).toHaveLength(5);
    const inJanuary = await listAuditLog(filters({ actor: rep.username, from: "2026-01-15", to: "2026-01-15" }));
    expect(inJanuary.rows).toHaveLength(5);
    const dayBefore = await listAuditLog(filters({ actor: rep.username, from: "2026-01-01", to: "2026-01-14" }));
    expect(dayBefore.rows).toHaveLength(0);

    // Pages of 2: every row once, in order.
    const seen: number[] = [];
    let before = "";
    for (let guard = 0; guard < 20; guard++) {
      const page = await listAuditLog(filters({ actor: rep.username, before }), 2);
      seen.push(...page.rows.map((r) => r.id));
      if (!page.next) break;
      before = page.next;
    }
    expect(seen).toEqual(byUsername.rows.map((r) => r.id));

    const nobody = await listAuditLog(filters({ actor: "nobody-like-this" }));
    expect(nobody).toMatchObject({ rows: [], unmatched: "actor" });
    expect((await listKnownActions()).some((a) => a.value === "profile.updated")).toBe(true);
  });

  it("log: invalid filters are refused with a message beside each field", () => {
    const bad = parseAuditFilters({
      actor: "x".repeat(10_000),
      customer: "12ab",
      action: "DROP TABLE",
      from: "2026-02-30",
      to: "yesterday",
    });
    expect(bad.ok).toBe(false);
    if (bad.ok) return;
    expect(bad.errors).toMatchObject({
      actor: "Use at most 254 characters",
      customer: "Enter an account number (6–12 digits)",
      action: "Choose an action from the list",
      from: "Enter a real date as YYYY-MM-DD",
    });
    expect(bad.errors.to).toBeTruthy();
    const reversed = parseAuditFilters({ from: "2026-03-02", to: "2026-03-01" });
    expect(reversed).toMatchObject({ ok: false, errors: { to: "The end date must be on or after the start date" } });
    expect(parseAuditFilters({ before: "2026-01-01T00:00:00Z_1; drop" })).toMatchObject({ ok: false });
    expect(parseAuditFilters({ actor: ["a", "b"] as unknown as string })).toMatchObject({
      ok: true,
      filters: { actor: "a" },
    });
  });

  it("log: the detail line leaves out secrets and is short", () => {
    const line = shortDetail({
      from: "rep",
      to: "admin",
      resetToken: "abc",
      password: "x",
      sessionId: "d6f1c6a2-0000-4000-8000-000000000000",
      note: "y".repeat(500),
    });
    expect(line).toMatch(/^from: rep; to: admin; note: y+…$/);
    expect(line).not.toMatch(/abc|password|session|d6f1c6a2/);
    expect(line.length).toBeLessThanOrEqual(200);
  });

  it("export: admins get the filtered rows as formula-safe CSV, and the export is audited", async () => {
    const admin = await createUser({ role: "admin" });
    const customer = await createUser();
    await recordAudit(db, {
      actorId: admin.id,
      subjectUserId: customer.id,
      action: "profile.updated",
      detail: { section: '=HYPERLINK("http://evil")', note: '+1, "quoted"\nline' },
      ip,
    });
    const params = new URLSearchParams({ customer: customer.accountNumber, action: "profile.updated" });
    const opened = await openAuditExport({ userId: admin.id, role: "admin" }, params, ip);
    expect(opened.ok).toBe(true);
    if (!opened.ok) return;
    const rows = parseCsv(await readAll(opened.stream));
    expect(rows[0]).toEqual([...AUDIT_EXPORT_COLUMNS]);
    expect(rows).toHaveLength(2);
    const row = Object.fromEntries(AUDIT_EXPORT_COLUMNS.map((c, i) => [c, rows[1][i]]));
    expect(row).toMatchObject({
      actor_username: admin.username,
      customer_account: customer.accountNumber,
      action: "profile.updated",
      action_in_words: "Profile updated",
      ip,
    });
    // Commas, quotes and line breaks survive the round trip (jsonb orders the keys).
    expect(row.detail).toBe('note: +1, "quoted"\nline; section: =HYPERLINK("http://evil")');
    const [audit] = await db
      .select()
      .from(auditEvents)
      .where(eq(auditEvents.actorId, admin.id))
      .orderBy(sql`${auditEvents.id} asc`)
      .offset(1)
      .limit(1);
    expect(audit).toMatchObject({
      action: "audit.exported",
      detail: { customer: customer.accountNumber, action: "profile.updated" },
    });
  });

  it("export: a formula in any cell gets an apostrophe", async () => {
    const admin = await createUser({ role: "admin" });
    await recordAudit(db, { actorId: admin.id, subjectUserId: null, action: "test.formula", detail: {}, ip: "=1+1" });
    const opened = await openAuditExport(
      { userId: admin.id, role: "admin" },
      new URLSearchParams({ actor: admin.email, action: "test.formula" }),
      ip,
    );
    if (!opened.ok) throw new Error(opened.code);
    const rows = parseCsv(await readAll(opened.stream));
    expect(rows[1][AUDIT_EXPORT_COLUMNS.indexOf("ip")]).toBe("'=1+1");
  });

  it("export: signed out, customer, rep and marketing are refused (each refusal of someone signed in audited); bad filters too", async () => {
    expect(await openAuditExport(null, new URLSearchParams(), ip)).toEqual({ ok: false, code: "auditExportSignedOut" });
    for (const role of ["customer", "rep", "marketing"] as const) {
      const u = await createUser({ role });
      const before = await auditCount();
      expect(
        await openAuditExport({ userId: u.id, role }, new URLSearchParams({ action: "staff.disabled" }), ip),
      ).toEqual({
        ok: false,
        code: "auditExportForbidden",
      });
      expect(await auditCount()).toBe(before + 1);
      const rows = await db.select().from(auditEvents).where(eq(auditEvents.actorId, u.id));
      expect(rows.map((r) => r.action)).toEqual(["audit.export_denied"]);
    }
    const admin = await createUser({ role: "admin" });
    expect(
      await openAuditExport(
        { userId: admin.id, role: "admin" },
        new URLSearchParams({ from: "2026-05-01", to: "2026-04-01" }),
        ip,
      ),
    ).toEqual({ ok: false, code: "auditExportBadFilter" });
  });
});

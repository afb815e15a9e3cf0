import { and, eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { z } from "zod/mini";
import { db } from "@/db/client";
import { auditEvents, chatConversations, staffAccessGrants, users } from "@/db/schema";
import { listActivity } from "@/lib/audit/activity";
import { createUser } from "@/lib/test/factories";
import { chatSidePanel, getCustomerSummary, openChatSidePanel } from "./customer-summary";
import { CUSTOMER_VIEWED, grantCustomerAccess, requireCustomerAccess } from "./grants";
import { accessReasonSchema } from "./schema";

const byChat = { reason: "chat", reasonText: "", reference: "" } as const;

async function staffMember(role: "rep" | "admin" | "marketing" = "rep") {
  const u = await createUser({ role });
  return { userId: u.id, role };
}

async function viewsOf(customerId: string) {
  return db
    .select({ actorId: auditEvents.actorId, detail: auditEvents.detail, createdAt: auditEvents.createdAt })
    .from(auditEvents)
    .where(and(eq(auditEvents.subjectUserId, customerId), eq(auditEvents.action, CUSTOMER_VIEWED)));
}

describe("reason-before-access", () => {
  it("access: nothing is read without a grant, and the grant is audited in the same transaction", async () => {
    const rep = await staffMember();
    const customer = await createUser();
    await db.update(users).set({ phone: "+13035550123" }).where(eq(users.id, customer.id));

    const before = await getCustomerSummary(rep.userId, customer.id);
    expect(before).toMatchObject({ ok: false, error: "accessReasonRequired" });
    expect(await viewsOf(customer.id)).toHaveLength(0);

    const granted = await grantCustomerAccess(rep, customer.id, { ...byChat, chatId: 77 }, "203.0.113.5");
    expect(granted.ok).toBe(true);
    const views = await viewsOf(customer.id);
    expect(views).toHaveLength(1);
    expect(views[0].actorId).toBe(rep.userId);
    expect(views[0].detail).toMatchObject({ accessReason: "chat", chatId: 77, reference: "chat #77" });
    // now() is the transaction's start: equal times mean the audit row and the grant committed together.
    const [grant] = await db
      .select({ createdAt: staffAccessGrants.createdAt, expiresAt: staffAccessGrants.expiresAt })
      .from(staffAccessGrants)
      .where(eq(staffAccessGrants.customerId, customer.id));
    expect(grant.createdAt.getTime()).toBe(views[0].createdAt.getTime());
    expect(grant.expiresAt.getTime() - grant.createdAt.getTime()).toBe(30 * 60 * 1000);

    const summary = await getCustomerSummary(rep.userId, customer.id);
    expect(summary.ok).toBe(true);
    if (!summary.ok) return;
    expect(summary.data.accountNumber).toBe(customer.accountNumber);
    expect(summary.data.maskedEmail).toMatch(/^u•••.@example\.test$/);
    expect(summary.data.maskedEmail).not.toContain(customer.username);
    expect(summary.data.maskedPhone).toBe("(•••) •••-0123");
    expect(summary.data.activity[0].what).toBe(
      "A customer service representative viewed your profile — Customer request by chat (chat #77)",
    );
  });

  it("access: the customer reads who looked and why in their account activity", async () => {
    const rep = await staffMember();
    const customer = await createUser();
    await grantCustomerAccess(rep, customer.id, { reason: "other", reasonText: "Returned mail", reference: "" }, "");
    const { items } = await listActivity(customer.id, 1);
    expect(items[0]).toMatchObject({
      what: "A customer service representative viewed your profile — Other: Returned mail",
      who: "Test (customer service)",
      reason: null,
    });
  });

  it("access: an expired grant is refused", async () => {
    const rep = await staffMember();
    const customer = await createUser();
    await grantCustomerAccess(rep, customer.id, byChat, "");
    expect(await requireCustomerAccess(rep.userId, customer.id)).not.toBeNull();
    await db
      .update(staffAccessGrants)
      .set({ expiresAt: sql`now() - interval '1 second'` })
      .where(eq(staffAccessGrants.customerId, customer.id));
    expect(await requireCustomerAccess(rep.userId, customer.id)).toBeNull();
    expect(await getCustomerSummary(rep.userId, customer.id)).toMatchObject({
      ok: false,
      error: "accessReasonRequired",
    });
  });

  it("access: a grant for customer A does not open customer B, nor serve another staff member", async () => {
    const rep = await staffMember();
    const other = await staffMember();
    const a = await createUser();
    const b = await createUser();
    await grantCustomerAccess(rep, a.id, byChat, "");
    expect(await requireCustomerAccess(rep.userId, b.id)).toBeNull();
    expect(await getCustomerSummary(rep.userId, b.id)).toMatchObject({ ok: false, error: "accessReasonRequired" });
    expect(await getCustomerSummary(other.userId, a.id)).toMatchObject({ ok: false, error: "accessReasonRequired" });
  });

  it("access: marketing and customers are refused, and nothing is written", async () => {
    const customer = await createUser();
    const marketing = await staffMember("marketing");
    const someone = await createUser();
    expect(await grantCustomerAccess(marketing, customer.id, byChat, "")).toMatchObject({
      ok: false,
      error: "forbidden",
    });
    expect(await grantCustomerAccess({ userId: someone.id, role: "customer" }, customer.id, byChat, "")).toMatchObject({
      ok: false,
      error: "forbidden",
    });
    expect(await viewsOf(customer.id)).toHaveLength(0);
    const grants = await db.select().from(staffAccessGrants).where(eq(staffAccessGrants.customerId, customer.id));
    expect(grants).toHaveLength(0);
  });

  it("access: a rep whose role changed loses the grant at once", async () => {
    const rep = await staffMember();
    const customer = await createUser();
    await grantCustomerAccess(rep, customer.id, byChat, "");
    await db.update(users).set({ role: "marketing" }).where(eq(users.id, rep.userId));
    expect(await requireCustomerAccess(rep.userId, customer.id)).toBeNull();
  });

  it("access: a grant is only for customer records, not staff", async () => {
    const rep = await staffMember();
    const admin = await staffMember("admin");
    expect(await grantCustomerAccess(rep, admin.userId, byChat, "")).toMatchObject({
      ok: false,
      error: "accessNoCustomer",
    });
  });

  it("access: 'other' needs words and a lawful request its register reference", () => {
    const other = z.safeParse(accessReasonSchema, { reason: "other", reasonText: " " });
    expect(other.success).toBe(false);
    expect(JSON.stringify(other.error?.issues)).toContain("reasonText");
    const lawful = z.safeParse(accessReasonSchema, { reason: "lawful" });
    expect(JSON.stringify(lawful.error?.issues)).toContain("reference");
    expect(z.safeParse(accessReasonSchema, { reason: "lawful", reference: "LR-2026-014" }).success).toBe(true);
    expect(z.safeParse(accessReasonSchema, { reason: "snooping" }).success).toBe(false);
  });
});

describe("chat side panel", () => {
  async function chatOf(customerId: string | null, repId: string | null) {
    const [c] = await db
      .insert(chatConversations)
      .values({
        customerId,
        repId,
        status: "active",
        topic: "Billing",
        ...(customerId ? {} : { visitorName: "Val Visitor", visitorEmail: "val.visitor@example.test" }),
      })
      .returning({ id: chatConversations.id });
    return c.id;
  }

  it("chat panel: the assigned rep states the reason first, then sees the customer", async () => {
    const rep = await staffMember();
    const customer = await createUser();
    const chatId = await chatOf(customer.id, rep.userId);
    expect(await chatSidePanel(rep, chatId)).toMatchObject({ ok: true, data: { kind: "needsReason" } });
    const opened = await openChatSidePanel(rep, chatId, byChat, "");
    expect(opened).toMatchObject({ ok: true, data: { kind: "customer", summary: { firstName: "Test" } } });
    const [view] = await viewsOf(customer.id);
    expect(view.detail).toMatchObject({ chatId, accessReasonText: `Customer request by chat (chat #${chatId})` });
  });

  it("chat panel: another rep's chat is refused without writing anything", async () => {
    const rep = await staffMember();
    const other = await staffMember();
    const customer = await createUser();
    const chatId = await chatOf(customer.id, other.userId);
    expect(await openChatSidePanel(rep, chatId, byChat, "")).toMatchObject({ ok: false, error: "chatNotYours" });
    expect(await viewsOf(customer.id)).toHaveLength(0);
  });

  it("chat panel: a visitor's panel shows what they typed, e-mail masked", async () => {
    const rep = await staffMember();
    const chatId = await chatOf(null, rep.userId);
    expect(await chatSidePanel(rep, chatId)).toMatchObject({
      ok: true,
      data: { kind: "visitor", name: "Val Visitor", maskedEmail: "v•••r@example.test", topic: "Billing" },
    });
  });
});

import { and, count, eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import type * as zcore from "zod/v4/core";
import { db } from "@/db/client";
import {
  auditEvents,
  chatConversations,
  consentEvents,
  contactRequests,
  emailChangeRequests,
  mailOutbox,
  passwordResets,
  paymentMethods,
  staffAccessGrants,
  users,
  type Role,
} from "@/db/schema";
import { accessReasonSchema } from "@/lib/access/schema";
import { runCustomerAction, type CustomerHandler } from "@/lib/actions/customer-action";
import type { ActiveSession } from "@/lib/auth/sessions";
import { listActivity } from "@/lib/audit/activity";
import { mailDueProfileDigests } from "@/lib/mail/profile-notice";
import { messages } from "@/lib/messages";
import { getProfile } from "@/lib/profile/queries";
import { createUser } from "@/lib/test/factories";
import { closeProfileMailWindow } from "@/lib/test/mail";
import { customerPageFor, openCustomer, recentCustomersOf } from "./customer";
import { ON_BEHALF_DOOR, onBehalfActions, type OnBehalfAction } from "./customer-act";

const IP = "203.0.113.9";
const byPhone = { reason: "phone", reasonText: "", reference: "" } as const;

async function person(role: Role = "rep"): Promise<ActiveSession> {
  const u = await createUser({ role });
  return {
    sessionId: "test",
    userId: u.id,
    role,
    firstName: "Test",
    lastName: "Person",
    username: u.username,
    timeZone: "UTC",
    reauthenticatedAt: new Date(),
    reauthenticatedBy: "password",
  };
}

/** The door's facts for a test: HTTPS, this session. */
function deps(session: ActiveSession | null) {
  return {
    request: async () => ({ proto: "https" as const, clientIp: IP, userAgent: "vitest" }),
    session: async () => session,
  };
}

/** Runs one on-behalf action as the page's form would (app/console/customers/[id]/actions.ts). */
function act(name: OnBehalfAction, session: ActiveSession | null, customerId: unknown, input: Record<string, unknown>) {
  // One table entry, its schema and handler seen as untyped: the walk feeds each its own form.
  const a = onBehalfActions[name] as unknown as {
    schema: zcore.$ZodType;
    handler: CustomerHandler<zcore.$ZodType, unknown, "customers.actFor">;
  };
  return runCustomerAction({ ...ON_BEHALF_DOOR, schema: a.schema }, a.handler, customerId, input, deps(session));
}

/** Opens a customer as the reason form does. */
function open(session: ActiveSession | null, customerId: unknown, input: Record<string, unknown>) {
  return runCustomerAction(
    { schema: accessReasonSchema, capability: "customers.view", httpsOnly: true },
    (id, reason, ctx) => openCustomer(ctx.session, id, reason, ctx.request.clientIp),
    customerId,
    input,
    deps(session),
  );
}

/** Everything an action for this customer could write, to compare before and after a refusal. */
async function footprint(customerId: string, email: string) {
  const [user] = await db
    .select({ version: users.version, phone: users.phone, firstName: users.firstName, hash: users.passwordHash })
    .from(users)
    .where(eq(users.id, customerId));
  const n = async (q: Promise<{ n: number }[]>) => (await q)[0].n;
  return {
    user,
    audit: await n(db.select({ n: count() }).from(auditEvents).where(eq(auditEvents.subjectUserId, customerId))),
    grants: await n(
      db.select({ n: count() }).from(staffAccessGrants).where(eq(staffAccessGrants.customerId, customerId)),
    ),
    consent: await n(db.select({ n: count() }).from(consentEvents).where(eq(consentEvents.userId, customerId))),
    resets: await n(db.select({ n: count() }).from(passwordResets).where(eq(passwordResets.userId, customerId))),
    emailChanges: await n(
      db.select({ n: count() }).from(emailChangeRequests).where(eq(emailChangeRequests.userId, customerId)),
    ),
    payment: await n(db.select({ n: count() }).from(paymentMethods).where(eq(paymentMethods.userId, customerId))),
    mail: await n(db.select({ n: count() }).from(mailOutbox).where(eq(mailOutbox.toAddress, email))),
  };
}

/** A valid form for each on-behalf action, with the section versions as stored now. */
async function validForms(customerId: string): Promise<Record<OnBehalfAction, Record<string, unknown>>> {
  const p = (await getProfile(customerId))!;
  return {
    name: { version: p.name.version, firstName: "Changed", lastName: "Name" },
    address: {
      version: p.address.version,
      serviceLine1: "2 Other St",
      serviceCity: "Boulder",
      serviceState: "CO",
      serviceZip: "80301",
      billingSameAsService: "on",
    },
    phone: { version: p.phone.version, phone: "(303) 555-0142" },
    payment: {
      version: p.payment.version,
      kind: "card",
      cardName: "Test Person",
      cardNumber: "4242 4242 4242 4242",
      expMonth: "12",
      expYear: String(new Date().getUTCFullYear() + 2),
    },
    emailChange: { version: p.email.version, newEmail: `moved-${customerId.slice(0, 8)}@example.test` },
    emailResend: {},
    emailCancel: {},
    preferences: { offers: "yes", "was:offers": "no" },
    passwordReset: {},
  };
}

const allActions = Object.keys(onBehalfActions) as OnBehalfAction[];

describe("customer page: reason first", () => {
  it("customer: without a grant the page reads nothing personal; with one it shows the record, never a secret", async () => {
    const rep = await person();
    const customer = await createUser();
    await db.update(users).set({ phone: "+13035550123" }).where(eq(users.id, customer.id));
    expect(await customerPageFor(rep, customer.id)).toEqual({ kind: "needsReason" });

    // A payment method on file: the page may show brand, last four and expiry only.
    const forms = await validForms(customer.id);
    await db.insert(staffAccessGrants).values({
      staffId: rep.userId,
      customerId: customer.id,
      reason: "phone",
      expiresAt: sql`now() + interval '5 minutes'`,
    });
    expect(await act("payment", rep, customer.id, forms.payment)).toMatchObject({ ok: true });
    await db.delete(staffAccessGrants).where(eq(staffAccessGrants.customerId, customer.id));
    expect(await customerPageFor(rep, customer.id)).toEqual({ kind: "needsReason" });

    expect(await open(rep, customer.id, { reason: "phone" })).toMatchObject({ ok: true });
    const view = await customerPageFor(rep, customer.id);
    expect(view.kind).toBe("open");
    if (view.kind !== "open") return;
    const r = view.record;
    expect(r.profile.name).toMatchObject({ firstName: "Test", lastName: "Person" });
    expect(r.profile.phone.phone).toBe("(303) 555-0123");
    expect(r.profile.payment.method).toMatchObject({ label: "Visa", last4: "4242" });
    expect(r.grant.reasonInWords).toBe("Customer request by phone");
    expect(r.grant.expiresAt.getTime()).toBeGreaterThan(Date.now() + 29 * 60_000);
    expect(r.activity[0].what).toBe(
      "A customer service representative viewed your profile — Customer request by phone",
    );
    const [secrets] = await db.select({ hash: users.passwordHash }).from(users).where(eq(users.id, customer.id));
    const [card] = await db.select({ enc: paymentMethods.encryptedNumber }).from(paymentMethods);
    const json = JSON.stringify(r);
    expect(json).not.toContain(secrets.hash!);
    expect(json).not.toContain(card.enc);
    expect(json).not.toContain("4242424242424242");
    expect(json).not.toMatch(/passwordHash|encryptedNumber|tokenHash/);
  });

  it("customer: the customer's chats and Contact Us requests are listed under the grant", async () => {
    const rep = await person();
    const customer = await createUser();
    const [chat] = await db
      .insert(chatConversations)
      .values({ customerId: customer.id, repId: rep.userId, status: "closed", topic: "Billing" })
      .returning({ id: chatConversations.id });
    await db.insert(contactRequests).values({
      userId: customer.id,
      name: "Test Person",
      email: customer.email,
      topic: "Moving",
      message: "I am moving next month.\nPlease move my service.",
    });
    await openCustomer(rep, customer.id, byPhone, IP);
    const view = await customerPageFor(rep, customer.id);
    if (view.kind !== "open") throw new Error("not open");
    expect(view.record.chats).toMatchObject([
      { id: chat.id, topic: "Billing", status: "closed", repFirstName: "Test" },
    ]);
    expect(view.record.contactRequests).toMatchObject([
      { topic: "Moving", excerpt: "I am moving next month. Please move my service.", status: "open" },
    ]);
  });

  it("customer: an invalid id, a staff member's id or an unknown id is not found, and nothing is written", async () => {
    const rep = await person();
    const admin = await person("admin");
    for (const id of ["not-a-uuid", "1000000001", admin.userId, "00000000-0000-4000-8000-000000000000"]) {
      expect(await customerPageFor(rep, id)).toEqual({ kind: "notFound" });
      expect(await open(rep, id, byPhone)).toMatchObject({ ok: false, code: "accessNoCustomer" });
    }
    const grants = await db.select().from(staffAccessGrants).where(eq(staffAccessGrants.staffId, rep.userId));
    expect(grants).toHaveLength(0);
  });

  it.each([
    [{}, "reason", "Choose a reason"],
    [{ reason: "snooping" }, "reason", "Choose a reason"],
    [{ reason: "other", reasonText: "  " }, "reasonText", "Say why you need this customer's data"],
    [{ reason: "lawful" }, "reference", "Enter the register reference"],
    [{ reason: "other", reasonText: "x".repeat(201) }, "reasonText", "Use at most 200 characters"],
  ])("customer: opening with %j is refused on %s, and nothing is recorded", async (input, field, message) => {
    const rep = await person();
    const customer = await createUser();
    const result = await open(rep, customer.id, input);
    expect(result).toMatchObject({ ok: false, code: "invalidInput" });
    if (result.ok) return;
    expect(result.fieldErrors?.[field]?.[0]).toBe(message);
    expect(await footprint(customer.id, customer.email)).toMatchObject({ audit: 0, grants: 0 });
    expect(await customerPageFor(rep, customer.id)).toEqual({ kind: "needsReason" });
  });

  it("customer: marketing and customers cannot open a customer; nothing is written", async () => {
    const customer = await createUser();
    for (const who of [await person("marketing"), await person("customer"), null]) {
      const result = await open(who, customer.id, byPhone);
      expect(result).toMatchObject({ ok: false, code: who ? "forbidden" : "signedOut" });
    }
    expect(await footprint(customer.id, customer.email)).toMatchObject({ audit: 0, grants: 0 });
  });

  it("customer: a grant does not serve another customer, and after it ends the page asks again", async () => {
    const rep = await person();
    const a = await createUser();
    const b = await createUser();
    await openCustomer(rep, a.id, byPhone, IP);
    expect((await customerPageFor(rep, a.id)).kind).toBe("open");
    expect(await customerPageFor(rep, b.id)).toEqual({ kind: "needsReason" });
    const before = await footprint(b.id, b.email);
    const forms = await validForms(b.id);
    expect(await act("phone", rep, b.id, forms.phone)).toMatchObject({
      ok: false,
      code: "accessReasonRequired",
      formError: messages.accessReasonRequired,
    });
    expect(await footprint(b.id, b.email)).toEqual(before);

    await db
      .update(staffAccessGrants)
      .set({ expiresAt: sql`now() - interval '1 second'` })
      .where(eq(staffAccessGrants.customerId, a.id));
    expect(await customerPageFor(rep, a.id)).toEqual({ kind: "needsReason" });
    const afterExpiry = await footprint(a.id, a.email);
    expect(await act("phone", rep, a.id, (await validForms(a.id)).phone)).toMatchObject({
      ok: false,
      code: "accessReasonRequired",
    });
    expect(await footprint(a.id, a.email)).toEqual(afterExpiry);
  });
});

describe("customer page: on the customer's behalf", () => {
  it("customer: a rep changes the phone; the audit row carries the reason and the customer is mailed and reads it", async () => {
    const rep = await person();
    const customer = await createUser();
    await open(rep, customer.id, { reason: "other", reasonText: "Customer called about a wrong number" });
    const forms = await validForms(customer.id);
    const result = await act("phone", rep, customer.id, forms.phone);
    expect(result).toMatchObject({
      ok: true,
      message: "The customer's phone number was saved; they get an e-mail saying it changed.",
    });
    const [row] = await db.select({ phone: users.phone }).from(users).where(eq(users.id, customer.id));
    expect(row.phone).toBe("+13035550142");
    const [audit] = await db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.subjectUserId, customer.id), eq(auditEvents.action, "profile.updated")));
    expect(audit).toMatchObject({
      actorId: rep.userId,
      ip: IP,
      detail: { section: "phone", fields: ["phone"], reason: "Other: Customer called about a wrong number" },
    });
    // The change joins the customer's one "profile updated" mail of the window, naming who made it.
    await closeProfileMailWindow(customer.id);
    await mailDueProfileDigests();
    const mails = await db.select().from(mailOutbox).where(eq(mailOutbox.toAddress, customer.email));
    const notice = mails.find((m) => m.subject === "Your MyAccount profile was updated");
    expect(notice?.textBody).toMatch(/- Phone number changed: .+, by a customer service representative\n/);
    const { items } = await listActivity(customer.id, 1);
    expect(items.slice(0, 2)).toMatchObject([
      {
        what: "Phone number updated",
        who: "Test (customer service)",
        reason: "Other: Customer called about a wrong number",
      },
      {
        what: "A customer service representative viewed your profile — Other: Customer called about a wrong number",
        who: "Test (customer service)",
      },
    ]);
  });

  it("customer: a stale edit is refused with the stored values, not written over", async () => {
    const rep = await person();
    const customer = await createUser();
    await openCustomer(rep, customer.id, byPhone, IP);
    const stale = await validForms(customer.id);
    // The customer saves their own phone meanwhile.
    expect(await act("phone", rep, customer.id, { ...stale.phone, phone: "(720) 555-0100" })).toMatchObject({
      ok: true,
    });
    const before = await footprint(customer.id, customer.email);
    const result = await act("phone", rep, customer.id, stale.phone);
    expect(result).toMatchObject({
      ok: false,
      code: "staleSection",
      conflict: true,
      current: { display: [{ label: "Phone number", value: "(720) 555-0100" }], initial: { phone: "(720) 555-0100" } },
    });
    expect(await footprint(customer.id, customer.email)).toEqual(before);
    const name = await act("name", rep, customer.id, { ...stale.name, version: Number(stale.name.version) + 5 });
    expect(name).toMatchObject({ ok: false, code: "staleSection" });
    expect((await getProfile(customer.id))!.name.firstName).toBe("Test");
  });

  it("customer: every on-behalf action is refused for a customer, marketing, an admin (read-only), a rep without a grant and a bad id; nothing is written", async () => {
    const customer = await createUser();
    const someone = await person("customer");
    const marketing = await person("marketing");
    const admin = await person("admin");
    const rep = await person();
    // The admin holds a grant (may read), yet may not change anything.
    await openCustomer(admin, customer.id, byPhone, IP);
    const forms = await validForms(customer.id);
    const before = await footprint(customer.id, customer.email);
    for (const name of allActions) {
      for (const [who, code] of [
        [null, "signedOut"],
        [someone, "forbidden"],
        [marketing, "forbidden"],
        [admin, "forbidden"],
        [rep, "accessReasonRequired"],
      ] as const) {
        const result = await act(name, who, customer.id, forms[name]);
        expect(result, `${name} as ${who?.role ?? "nobody"}`).toMatchObject({ ok: false, code });
      }
      // A customer acting on themselves through the console door is refused too.
      const self = { ...someone, userId: customer.id };
      expect(await act(name, self, customer.id, forms[name])).toMatchObject({ ok: false, code: "forbidden" });
    }
    expect(await footprint(customer.id, customer.email)).toEqual(before);
    // The domain check holds without the door as well: an admin's grant does not let them act.
    const direct = await onBehalfActions.phone.handler(
      customer.id,
      { version: forms.phone.version as number, phone: "" },
      {
        session: admin,
        request: { proto: "https", clientIp: IP, userAgent: "" },
      },
    );
    expect(direct).toMatchObject({ ok: false, error: "forbidden" });
    // A rep with a grant, but a customer id that is not one, is refused before anything is read.
    await openCustomer(rep, customer.id, byPhone, IP);
    expect(await act("phone", rep, "../../etc", forms.phone)).toMatchObject({ ok: false, code: "accessNoCustomer" });
  });

  it("customer: every on-behalf action goes through for a rep with a grant", async () => {
    const rep = await person();
    const customer = await createUser();
    await openCustomer(rep, customer.id, { reason: "billing", reasonText: "", reference: "" }, IP);
    const forms = await validForms(customer.id);
    for (const name of [
      "name",
      "address",
      "phone",
      "payment",
      "emailChange",
      "preferences",
      "passwordReset",
    ] as const) {
      const result = await act(name, rep, customer.id, forms[name]);
      expect(result, name).toMatchObject({ ok: true });
    }
    const p = (await getProfile(customer.id))!;
    expect(p.name.firstName).toBe("Changed");
    expect(p.address.serviceCity).toBe("Boulder");
    expect(p.payment.method).toMatchObject({ label: "Visa", last4: "4242" });
    expect(p.email.pending?.newEmail).toBe(forms.emailChange.newEmail);
    expect(await act("emailResend", rep, customer.id, {})).toMatchObject({ ok: true });
    expect(await act("emailCancel", rep, customer.id, {})).toMatchObject({ ok: true });
    const actions = await db
      .select({ action: auditEvents.action, actorId: auditEvents.actorId, detail: auditEvents.detail })
      .from(auditEvents)
      .where(eq(auditEvents.subjectUserId, customer.id))
      .orderBy(auditEvents.id);
    // Every row after the view is the rep's, with the reason.
    const changes = actions.slice(1);
    expect(changes.map((a) => a.action)).toEqual([
      "profile.updated",
      "profile.updated",
      "profile.updated",
      "profile.updated",
      "email.change_requested",
      "preferences.changed",
      "auth.password_reset_requested",
      "email.change_cancelled",
    ]);
    for (const c of changes) {
      expect(c.actorId).toBe(rep.userId);
      expect(c.detail.reason).toBe("Billing question");
    }
  });

  it("customer: the e-mail change needs no password; the link goes to the new address and the address waits for it", async () => {
    const rep = await person();
    const customer = await createUser();
    await openCustomer(rep, customer.id, byPhone, IP);
    const forms = await validForms(customer.id);
    const newEmail = String(forms.emailChange.newEmail);
    expect(await act("emailChange", rep, customer.id, forms.emailChange)).toMatchObject({
      ok: true,
      message: `A confirmation link was sent to ${newEmail}. The address changes when the customer follows it.`,
    });
    const [u] = await db.select({ email: users.email }).from(users).where(eq(users.id, customer.id));
    expect(u.email).toBe(customer.email);
    const toNew = await db.select().from(mailOutbox).where(eq(mailOutbox.toAddress, newEmail));
    expect(toNew).toHaveLength(1);
    expect(toNew[0].textBody).toMatch(/verify-email\?token=/);
    // The same address again is refused as for the customer.
    const same = await act("emailChange", rep, customer.id, { ...forms.emailChange, newEmail: customer.email });
    expect(same).toMatchObject({ ok: false });
  });

  it("customer: a password reset link goes to the customer only; the rep never sees it and the password is unchanged", async () => {
    const rep = await person();
    const customer = await createUser();
    await openCustomer(rep, customer.id, byPhone, IP);
    const [before] = await db.select({ hash: users.passwordHash }).from(users).where(eq(users.id, customer.id));
    const result = await act("passwordReset", rep, customer.id, {});
    expect(result).toMatchObject({ ok: true });
    expect(JSON.stringify(result)).not.toMatch(/token/i);
    expect(JSON.stringify(result)).not.toContain(customer.email);
    const mails = await db
      .select()
      .from(mailOutbox)
      .where(and(eq(mailOutbox.toAddress, customer.email), eq(mailOutbox.subject, "Reset your MyAccount password")));
    expect(mails).toHaveLength(1);
    const [after] = await db.select({ hash: users.passwordHash }).from(users).where(eq(users.id, customer.id));
    expect(after.hash).toBe(before.hash);
    const { items } = await listActivity(customer.id, 1);
    expect(items[0]).toMatchObject({
      what: "Password reset requested",
      who: "Test (customer service)",
      reason: "Customer request by phone",
    });
    // The per-account limit of self-service requests applies: three in the window, then refused.
    await act("passwordReset", rep, customer.id, {});
    await act("passwordReset", rep, customer.id, {});
    expect(await act("passwordReset", rep, customer.id, {})).toMatchObject({
      ok: false,
      code: "resetTooManyForCustomer",
    });
  });

  it("customer: a consent change the customer asked for is in the ledger as source rep, and its reason in the activity", async () => {
    const rep = await person();
    const customer = await createUser();
    await openCustomer(rep, customer.id, { reason: "in_person", reasonText: "", reference: "" }, IP);
    const result = await act("preferences", rep, customer.id, { offers: "yes", "was:offers": "no" });
    expect(result).toMatchObject({
      ok: true,
      message: "The customer's e-mail choices were recorded (Special offers: yes).",
    });
    const ledger = await db.select().from(consentEvents).where(eq(consentEvents.userId, customer.id));
    expect(ledger).toMatchObject([
      { topicId: "offers", action: "granted", source: "rep", actorId: rep.userId, ip: IP },
    ]);
    const { items } = await listActivity(customer.id, 1);
    expect(items[0]).toMatchObject({
      what: "E-mail preferences changed: Special offers: yes",
      who: "Test (customer service)",
      reason: "Customer request in person",
    });
    // Saying the same again changes nothing and records nothing.
    expect(await act("preferences", rep, customer.id, { offers: "yes", "was:offers": "yes" })).toMatchObject({
      ok: true,
      message: "No changes — the customer's e-mail choices are as they were.",
    });
    expect(await db.select().from(consentEvents).where(eq(consentEvents.userId, customer.id))).toHaveLength(1);
  });
});

describe("recent customers", () => {
  it("recent: the customers this staff member opened, the latest first, whether access is still running", async () => {
    const rep = await person();
    const other = await person();
    const a = await createUser();
    const b = await createUser();
    const c = await createUser();
    await openCustomer(rep, a.id, byPhone, IP);
    await openCustomer(rep, b.id, byPhone, IP);
    await openCustomer(rep, a.id, byPhone, IP); // opened again: one line, latest time
    await openCustomer(other, c.id, byPhone, IP);
    // b's grant was made earlier and has ended.
    await db
      .update(staffAccessGrants)
      .set({
        createdAt: sql`now() - interval '2 hours'`,
        expiresAt: sql`now() - interval '90 minutes'`,
      })
      .where(eq(staffAccessGrants.customerId, b.id));
    const recent = await recentCustomersOf(rep.userId, 10);
    expect(recent).toMatchObject([
      { customerId: a.id, firstName: "Test", lastName: "Person", accountNumber: a.accountNumber, active: true },
      { customerId: b.id, accountNumber: b.accountNumber, active: false },
    ]);
    expect(recent[0].lastOpenedAt).toBeInstanceOf(Date);
    expect(await recentCustomersOf(rep.userId, 1)).toHaveLength(1);
    expect(await recentCustomersOf("nobody", 5)).toEqual([]);
  });
});

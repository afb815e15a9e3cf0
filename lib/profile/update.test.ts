import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { db } from "@/db/client";
import { auditEvents, mailOutbox, paymentMethods, users } from "@/db/schema";
import { inWords } from "@/lib/actions/result";
import { decryptSecret } from "@/lib/crypto/secret-box";
import { messages } from "@/lib/messages";
import { createUser } from "@/lib/test/factories";
import { getProfile, getProfilePage } from "./queries";
import { addressSchema, nameSchema, paymentSchema, phoneSchema, timeZoneSchema } from "./schema";
import type { ProfileActor } from "./sections";
import {
  removePaymentMethod,
  savePaymentMethod,
  updateAddresses,
  updateName,
  updatePhone,
  updateTimeZone,
} from "./update";

async function customer() {
  const user = await createUser();
  const actor: ProfileActor = { userId: user.id, actorId: user.id, ip: "203.0.113.7" };
  return { user, actor };
}

async function audits(userId: string) {
  return db
    .select()
    .from(auditEvents)
    .where(and(eq(auditEvents.subjectUserId, userId), eq(auditEvents.action, "profile.updated")));
}

describe("Edit Profile", () => {
  it("profile: names in any script are saved, audited (fields only) and confirmed by e-mail", async () => {
    const { user, actor } = await customer();
    for (const [first, last] of [
      ["José", "Nguyễn"],
      ["李", "O'Brien"],
      ["Anne-Marie", "van der Berg"],
    ]) {
      const profile = (await getProfile(user.id))!;
      const result = await updateName(
        actor,
        nameSchema.parse({ version: profile.name.version, firstName: first, lastName: last }),
      );
      expect(result).toMatchObject({ ok: true, message: "Your name was saved." });
      expect((await getProfile(user.id))!.name).toMatchObject({ firstName: first, lastName: last });
    }
    const rows = await audits(user.id);
    expect(rows).toHaveLength(3);
    expect(rows[0].detail).toEqual({ section: "name", fields: ["firstName", "lastName"] });
    expect(rows[0].ip).toBe("203.0.113.7");
    expect(JSON.stringify(rows)).not.toContain("Nguyễn");
    const mails = await db.select().from(mailOutbox).where(eq(mailOutbox.toAddress, user.email));
    // The three saves share one "profile updated" mail, sent when the window closes (lib/mail/profile-notice.test.ts).
    expect(mails.filter((m) => m.subject === "Your MyAccount profile was updated")).toHaveLength(0);
  });

  it.each([
    ["", "Enter your first name"],
    ["x".repeat(81), "Use at most 80 characters"],
    ["<script>alert(1)</script>", "Use letters, spaces, hyphens and apostrophes only"],
    ["Robert'); DROP TABLE users;--", "Use letters, spaces, hyphens and apostrophes only"],
    ["R2D2", "Use letters, spaces, hyphens and apostrophes only"],
  ])("profile: first name %j is refused with %j", (firstName, message) => {
    const parsed = nameSchema.safeParse({ version: 1, firstName, lastName: "Valid" });
    expect(parsed.error?.issues[0].message).toBe(message);
  });

  it("profile: a stale version is refused, nothing is overwritten, and the section as stored now comes back", async () => {
    const { user, actor } = await customer();
    const first = await updateName(actor, { version: 1, firstName: "Ana", lastName: "One" });
    expect(first.ok).toBe(true);
    const stale = await updateName(actor, { version: 1, firstName: "Bea", lastName: "Two" });
    expect(inWords(stale)).toMatchObject({
      ok: false,
      conflict: true,
      formError: messages.staleSection,
      current: {
        display: [{ label: "Name", value: "Ana One" }],
        initial: { firstName: "Ana", lastName: "One", version: 2 },
      },
    });
    expect((await getProfile(user.id))!.name).toEqual({ firstName: "Ana", lastName: "One", version: 2 });
  });

  it("profile: N parallel saves on one version — exactly one wins", async () => {
    const { user, actor } = await customer();
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        updateName(actor, { version: 1, firstName: `Racer${"abcdefgh"[i]}`, lastName: "Race" }),
      ),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.map(inWords).filter((r) => !r.ok && r.conflict)).toHaveLength(7);
    const winner = results.find((r) => r.ok)!;
    const name = (await getProfile(user.id))!.name;
    expect(winner.ok && winner.data.initial.firstName).toBe(name.firstName);
    expect(name.version).toBe(2);
    expect(await audits(user.id)).toHaveLength(1);
  });

  it("profile: saving one section does not make another section's open form stale", async () => {
    const { user, actor } = await customer();
    expect((await updatePhone(actor, phoneSchema.parse({ version: 1, phone: "303-555-0123" }))).ok).toBe(true);
    expect((await updateName(actor, { version: 1, firstName: "Still", lastName: "Fresh" })).ok).toBe(true);
    expect((await getProfile(user.id))!.phone).toEqual({ phone: "(303) 555-0123", version: 2 });
  });

  it.each(["(303) 555-0123", "303.555.0123", "+1 303 555 0123", "1-303-555-0123", "3035550123"])(
    "profile: phone %j is stored as E.164",
    async (typed) => {
      const { user, actor } = await customer();
      expect((await updatePhone(actor, phoneSchema.parse({ version: 1, phone: typed }))).ok).toBe(true);
      const [row] = await db.select({ phone: users.phone }).from(users).where(eq(users.id, user.id));
      expect(row.phone).toBe("+13035550123");
    },
  );

  it.each(["555-0123", "(103) 555-0123", "303-155-0123", "+44 20 7946 0958", "call me", "3".repeat(26)])(
    "profile: phone %j is refused",
    (phone) => {
      expect(phoneSchema.safeParse({ version: 1, phone }).success).toBe(false);
    },
  );

  it("profile: addresses — billing same as service removes the billing address; otherwise both are kept", async () => {
    const { user, actor } = await customer();
    const separate = addressSchema.parse({
      version: 1,
      serviceLine1: "1 Main St",
      serviceCity: "Denver",
      serviceState: "co",
      serviceZip: "80202-1234",
      billingLine1: "PO Box 9",
      billingCity: "Boulder",
      billingState: "CO",
      billingZip: "80301",
    });
    expect((await updateAddresses(actor, separate)).ok).toBe(true);
    let view = (await getProfile(user.id))!.address;
    expect(view).toMatchObject({
      serviceState: "CO",
      serviceZip: "80202-1234",
      billingSameAsService: false,
      billingLine1: "PO Box 9",
    });
    const same = addressSchema.parse({ ...separate, version: view.version, billingSameAsService: "on" });
    expect((await updateAddresses(actor, same)).ok).toBe(true);
    view = (await getProfile(user.id))!.address;
    expect(view).toMatchObject({ billingSameAsService: true, billingLine1: "" });
  });

  it("profile: bad addresses get field messages", () => {
    const parsed = addressSchema.safeParse({
      version: 1,
      serviceLine1: "",
      serviceCity: "x".repeat(61),
      serviceState: "ZZ",
      serviceZip: "1234",
      billingLine1: "",
    });
    const errors = Object.fromEntries(parsed.error!.issues.map((i) => [i.path[0], i.message]));
    expect(errors).toMatchObject({
      serviceLine1: "Enter the street address",
      serviceCity: "Use at most 60 characters",
      serviceState: "Choose a US state",
      serviceZip: "Enter a 5-digit ZIP code or ZIP+4 (12345-6789)",
      billingLine1: "Enter the street address",
    });
  });

  it("profile: a card is kept as brand + last four + expiry; the full number only as ciphertext bound to the user", async () => {
    const { user, actor } = await customer();
    const nextYear = new Date().getUTCFullYear() + 1;
    const input = paymentSchema.parse({
      version: 1,
      kind: "card",
      cardName: "Test Person",
      cardNumber: "4111 1111 1111 1111",
      expMonth: "3",
      expYear: String(nextYear),
    });
    const result = await savePaymentMethod(actor, input);
    expect(result).toMatchObject({ ok: true, message: `Saved: Visa ending in 1111, expires 03/${nextYear}.` });
    expect(JSON.stringify(result)).not.toContain("4111111111111111");
    const [row] = await db.select().from(paymentMethods).where(eq(paymentMethods.userId, user.id));
    expect(row).toMatchObject({ kind: "card", label: "Visa", last4: "1111", expMonth: 3, expYear: nextYear });
    expect(row.encryptedNumber).not.toContain("4111");
    expect(decryptSecret(row.encryptedNumber, `payment:${user.id}`)).toBe("4111111111111111");
    expect(() => decryptSecret(row.encryptedNumber, "payment:someone-else")).toThrow();
    const auditText = JSON.stringify(await audits(user.id));
    expect(auditText).toContain("Visa ending in 1111");
    expect(auditText).not.toContain("4111111111111111");
    const view = await getProfile(user.id);
    expect(JSON.stringify(view)).not.toContain("4111111111111111");
    expect(JSON.stringify(view)).not.toContain(row.encryptedNumber);
  });

  it("profile: a save returns its section's summary lines and new starting values (the page is not rendered again)", async () => {
    const { actor } = await customer();
    const result = await updatePhone(actor, phoneSchema.parse({ version: 1, phone: "303-555-0123" }));
    expect(result).toMatchObject({
      ok: true,
      data: {
        display: [{ label: "Phone number", value: "(303) 555-0123" }],
        initial: { phone: "(303) 555-0123", version: 2 },
      },
    });
  });

  it("profile: Remove takes the payment method off file, audited; a stale Remove is refused", async () => {
    const { user, actor } = await customer();
    const nextYear = new Date().getUTCFullYear() + 1;
    await savePaymentMethod(
      actor,
      paymentSchema.parse({
        version: 1,
        kind: "card",
        cardName: "Test Person",
        cardNumber: "4111 1111 1111 1111",
        expMonth: "3",
        expYear: String(nextYear),
      }),
    );
    expect(inWords(await removePaymentMethod(actor, { version: 1 }))).toMatchObject({ ok: false, conflict: true });
    const removed = await removePaymentMethod(actor, { version: 2 });
    expect(removed).toMatchObject({
      ok: true,
      data: { display: [{ value: "No payment method on file" }], initial: { version: 3, onFile: null } },
    });
    expect(await db.select().from(paymentMethods).where(eq(paymentMethods.userId, user.id))).toHaveLength(0);
    const last = (await audits(user.id)).at(-1)!;
    expect(last.detail).toMatchObject({ section: "payment", removed: true, paymentMethod: "Visa ending in 1111" });
  });

  it("profile: the time zone is validated, stored and audited; the page shows the state's zone until one is chosen", async () => {
    const { user, actor } = await customer();
    expect(timeZoneSchema.safeParse({ timeZone: "Mars/Olympus" }).success).toBe(false);
    const page = (await getProfilePage(user.id))!;
    expect(page.timeZone).toBeNull();
    expect(page.topics.length).toBeGreaterThan(0);
    const result = await updateTimeZone(actor, timeZoneSchema.parse({ timeZone: "America/Detroit" }));
    expect(result).toMatchObject({ ok: true, data: { initial: { timeZone: "America/Detroit", chosen: true } } });
    expect((await getProfile(user.id))!.timeZone).toBe("America/Detroit");
    expect((await audits(user.id)).at(-1)!.detail).toMatchObject({ section: "timeZone", fields: ["timeZone"] });
  });

  it("profile: a bank account replaces the card; routing number and account stay encrypted", async () => {
    const { user, actor } = await customer();
    const nextYear = new Date().getUTCFullYear() + 1;
    await savePaymentMethod(
      actor,
      paymentSchema.parse({
        version: 1,
        kind: "card",
        cardName: "T P",
        cardNumber: "5555555555554444",
        expMonth: "1",
        expYear: String(nextYear),
      }),
    );
    const bank = paymentSchema.parse({
      version: 2,
      kind: "bank",
      accountHolder: "T P",
      accountType: "savings",
      routingNumber: "021000021",
      bankAccountNumber: "000123456789",
    });
    expect(await savePaymentMethod(actor, bank)).toMatchObject({
      ok: true,
      message: "Saved: Savings account ending in 6789.",
    });
    const rows = await db.select().from(paymentMethods).where(eq(paymentMethods.userId, user.id));
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ kind: "bank", last4: "6789", expMonth: null });
    expect(decryptSecret(rows[0].encryptedNumber, `payment:${user.id}`)).toBe("021000021:000123456789");
  });

  it.each([
    [{ cardNumber: "4111 1111 1111 1112" }, "cardNumber", "Check the card number — it isn't valid"],
    [{ cardNumber: "4111" }, "cardNumber", "Enter a card number of 12 to 19 digits"],
    [{ expMonth: "1", expYear: "2020" }, "expYear", "This card has expired"],
    [{ expMonth: "13" }, "expMonth", "Choose the expiry month"],
    [{ cardName: "" }, "cardName", "Enter the name on the account"],
  ])("profile: card %j is refused on %s", (over, field, message) => {
    const parsed = paymentSchema.safeParse({
      version: 1,
      kind: "card",
      cardName: "A B",
      cardNumber: "4111111111111111",
      expMonth: "12",
      expYear: "2099",
      ...over,
    });
    expect(parsed.error?.issues.find((i) => i.path[0] === field)?.message).toBe(message);
  });

  it("profile: an invalid ABA routing number is refused", () => {
    const parsed = paymentSchema.safeParse({
      version: 1,
      kind: "bank",
      accountHolder: "A",
      accountType: "checking",
      routingNumber: "021000022",
      bankAccountNumber: "1234",
    });
    expect(parsed.error?.issues[0]).toMatchObject({
      path: ["routingNumber"],
      message: "Check the routing number — it isn't valid",
    });
  });

  it("profile: HTML typed into a field is stored as text", async () => {
    const { user, actor } = await customer();
    const input = addressSchema.parse({
      version: 1,
      serviceLine1: "<img src=x onerror=alert(1)>",
      serviceCity: "Denver",
      serviceState: "CO",
      serviceZip: "80202",
      billingSameAsService: "on",
    });
    expect((await updateAddresses(actor, input)).ok).toBe(true);
    expect((await getProfile(user.id))!.address.serviceLine1).toBe("<img src=x onerror=alert(1)>");
  });
});

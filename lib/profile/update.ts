import "server-only";
import { and, eq, sql } from "drizzle-orm";
import { db, type DbOrTx, type Tx } from "@/db/client";
import { addresses, paymentMethods, users } from "@/db/schema";
import { fail, ok, type Outcome } from "@/lib/actions/result";
import { recordAudit } from "@/lib/audit/record";
import { forgetSessions } from "@/lib/auth/sessions";
import { encryptSecret } from "@/lib/crypto/secret-box";
import { changedBy, noticeOfProfileChange } from "@/lib/mail/profile-notice";
import {
  addressData,
  describePayment,
  nameData,
  paymentData,
  phoneData,
  timeZoneData,
  type AddressInitial,
  type NameInitial,
  type PaymentInitial,
  type PhoneInitial,
  type SectionData,
  type TimeZoneInitial,
} from "./display";
import { getProfile, type ProfileView } from "./queries";
import type { AddressInput, NameInput, PaymentInput, PaymentRemoveInput, PhoneInput, TimeZoneInput } from "./schema";
import { changedFields, claimSection, type ProfileActor, type Section } from "./sections";
import { cardBrand, formatUsPhone, normalizeUsPhone } from "./us";

/**
 * The refusal of a stale save, carrying the section as stored now (summary lines and the form's
 * starting values with the new version): the form keeps what was typed and shows these beside it.
 */
export async function conflict<I>(
  tx: DbOrTx,
  userId: string,
  pick: (p: ProfileView) => SectionData<I>,
): Promise<Outcome<SectionData<I>>> {
  const current = await getProfile(userId, tx);
  return { ...fail("staleSection"), current: current ? (pick(current) as SectionData) : undefined };
}

/**
 * Audit row + mail, in the transaction of the change: a payment method change is mailed at once
 * (a removal passes `{ removed: true }`); other changes join the one "your profile was updated"
 * mail of the window (lib/mail/profile-notice.ts).
 */
async function recordChange(
  tx: Tx,
  actor: ProfileActor,
  section: Section,
  fields: string[],
  extra: Record<string, unknown> = {},
) {
  await recordAudit(tx, {
    actorId: actor.actorId,
    subjectUserId: actor.userId,
    action: "profile.updated",
    detail: { section, fields, ...(actor.reason ? { reason: actor.reason } : {}), ...actor.detail, ...extra },
    ip: actor.ip,
  });
  // Transactional: sent whatever the person's marketing choices are.
  await noticeOfProfileChange(tx, {
    userId: actor.userId,
    by: changedBy(actor),
    section,
    paymentSummary: typeof extra.paymentMethod === "string" && !extra.removed ? extra.paymentMethod : null,
  });
}

export function updateName(actor: ProfileActor, input: NameInput): Promise<Outcome<SectionData<NameInitial>>> {
  return db.transaction(async (tx) => {
    const [before] = await tx
      .select({ firstName: users.firstName, lastName: users.lastName })
      .from(users)
      .where(eq(users.id, actor.userId));
    const version = await claimSection(tx, actor.userId, "name", input.version);
    if (version === null) return conflict(tx, actor.userId, (p) => nameData(p.name));
    const after = { firstName: input.firstName, lastName: input.lastName };
    await tx.update(users).set(after).where(eq(users.id, actor.userId));
    // The header shows the name from the session; make the next request read it afresh.
    forgetSessions(actor.userId);
    await recordChange(tx, actor, "name", changedFields(before, after));
    return ok(nameData({ ...after, version }), "Your name was saved.");
  });
}

export function updatePhone(actor: ProfileActor, input: PhoneInput): Promise<Outcome<SectionData<PhoneInitial>>> {
  return db.transaction(async (tx) => {
    const [before] = await tx.select({ phone: users.phone }).from(users).where(eq(users.id, actor.userId));
    const version = await claimSection(tx, actor.userId, "phone", input.version);
    if (version === null) return conflict(tx, actor.userId, (p) => phoneData(p.phone));
    const phone = input.phone ? normalizeUsPhone(input.phone) : null;
    await tx.update(users).set({ phone }).where(eq(users.id, actor.userId));
    await recordChange(tx, actor, "phone", changedFields(before, { phone }));
    return ok(
      phoneData({ phone: phone ? formatUsPhone(phone) : "", version }),
      phone ? "Your phone number was saved." : "Your phone number was removed.",
    );
  });
}

export function updateAddresses(
  actor: ProfileActor,
  input: AddressInput,
): Promise<Outcome<SectionData<AddressInitial>>> {
  return db.transaction(async (tx) => {
    const beforeView = await getProfile(actor.userId, tx);
    const version = await claimSection(tx, actor.userId, "address", input.version);
    if (version === null || !beforeView) return conflict(tx, actor.userId, (p) => addressData(p.address));
    const service = {
      line1: input.serviceLine1,
      line2: input.serviceLine2,
      city: input.serviceCity,
      state: input.serviceState,
      zip: input.serviceZip,
    };
    await upsertAddress(tx, actor.userId, "service", service);
    if (input.billingSameAsService) {
      await tx.delete(addresses).where(and(eq(addresses.userId, actor.userId), eq(addresses.kind, "billing")));
    } else {
      await upsertAddress(tx, actor.userId, "billing", {
        line1: input.billingLine1,
        line2: input.billingLine2,
        city: input.billingCity,
        state: input.billingState.toUpperCase(),
        zip: input.billingZip,
      });
    }
    await tx.update(users).set({ billingSameAsService: input.billingSameAsService }).where(eq(users.id, actor.userId));
    const after = (await getProfile(actor.userId, tx))!.address;
    const { version: _v1, ...beforeValues } = beforeView.address;
    const { version: _v2, ...afterValues } = after;
    await recordChange(tx, actor, "address", changedFields(beforeValues, afterValues));
    // The session carries the time zone, which follows the service address's state while none is
    // chosen: make the next request read it afresh (sessions are cached briefly on PGlite).
    forgetSessions(actor.userId);
    return ok(addressData(after), "Your addresses were saved.");
  });
}

async function upsertAddress(
  tx: Tx,
  userId: string,
  kind: "service" | "billing",
  a: { line1: string; line2: string; city: string; state: string; zip: string },
) {
  await tx
    .insert(addresses)
    .values({ userId, kind, ...a })
    .onConflictDoUpdate({
      target: [addresses.userId, addresses.kind],
      set: { ...a, version: sql`${addresses.version} + 1`, updatedAt: sql`now()` },
    });
}

/**
 * Saves the payment method on file. Only label, last four and expiry are kept readable; the full
 * number is encrypted (bound to this user) and never logged, audited or returned.
 */
export function savePaymentMethod(
  actor: ProfileActor,
  input: PaymentInput,
): Promise<Outcome<SectionData<PaymentInitial>>> {
  const row =
    input.kind === "card"
      ? {
          kind: "card" as const,
          label: cardBrand(input.cardNumber),
          last4: input.cardNumber.slice(-4),
          expMonth: input.expMonth,
          expYear: input.expYear,
          holderName: input.cardName,
          secret: input.cardNumber,
        }
      : {
          kind: "bank" as const,
          label: input.accountType === "checking" ? "Checking account" : "Savings account",
          last4: input.bankAccountNumber.slice(-4),
          expMonth: null,
          expYear: null,
          holderName: input.accountHolder,
          secret: `${input.routingNumber}:${input.bankAccountNumber}`,
        };
  const { secret, ...visible } = row;
  const encryptedNumber = encryptSecret(secret, `payment:${actor.userId}`);
  return db.transaction(async (tx) => {
    const version = await claimSection(tx, actor.userId, "payment", input.version);
    if (version === null) return conflict(tx, actor.userId, (p) => paymentData(p.payment));
    await tx
      .insert(paymentMethods)
      .values({ userId: actor.userId, ...visible, encryptedNumber })
      .onConflictDoUpdate({
        target: paymentMethods.userId,
        set: { ...visible, encryptedNumber, updatedAt: sql`now()` },
      });
    const summary = describePayment(visible);
    await recordChange(tx, actor, "payment", ["paymentMethod"], { paymentMethod: summary });
    return ok(paymentData({ version, method: { ...visible } }), `Saved: ${summary}.`);
  });
}

/** Removes the payment method on file (after the form's confirmation step): audited and mailed like a change. */
export function removePaymentMethod(
  actor: ProfileActor,
  input: PaymentRemoveInput,
): Promise<Outcome<SectionData<PaymentInitial>>> {
  return db.transaction(async (tx) => {
    const version = await claimSection(tx, actor.userId, "payment", input.version);
    if (version === null) return conflict(tx, actor.userId, (p) => paymentData(p.payment));
    const removed = await tx
      .delete(paymentMethods)
      .where(eq(paymentMethods.userId, actor.userId))
      .returning({ label: paymentMethods.label, last4: paymentMethods.last4 });
    if (removed[0]) {
      await recordChange(tx, actor, "payment", ["paymentMethod"], {
        paymentMethod: `${removed[0].label} ending in ${removed[0].last4}`,
        removed: true,
      });
    }
    return ok(paymentData({ version, method: null }), "Your payment method was removed.");
  });
}

/**
 * Saves the zone times are shown in. No version check: one value, and a later choice simply wins.
 * Audited like any profile change.
 */
export function updateTimeZone(
  actor: ProfileActor,
  input: TimeZoneInput,
): Promise<Outcome<SectionData<TimeZoneInitial>>> {
  return db.transaction(async (tx) => {
    const [before] = await tx
      .update(users)
      .set({ timeZone: input.timeZone, updatedAt: sql`now()` })
      .where(eq(users.id, actor.userId))
      .returning({
        state: sql<
          string | null
        >`(select a.state from ${addresses} a where a.user_id = users.id and a.kind = 'service')`,
      });
    await recordAudit(tx, {
      actorId: actor.actorId,
      subjectUserId: actor.userId,
      action: "profile.updated",
      detail: {
        section: "timeZone",
        fields: ["timeZone"],
        timeZone: input.timeZone,
        ...(actor.reason ? { reason: actor.reason } : {}),
      },
      ip: actor.ip,
    });
    // Every page reads the zone from the session (lib/auth/sessions.ts): drop the cached copy.
    forgetSessions(actor.userId);
    return ok(
      timeZoneData(input.timeZone, before?.state ?? ""),
      `Times are now shown in ${timeZoneData(input.timeZone, "").display[0].value}.`,
    );
  });
}

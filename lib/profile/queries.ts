import "server-only";
import { and, desc, eq, gt, isNull, sql } from "drizzle-orm";
import { db, type DbOrTx } from "@/db/client";
import { addresses, emailChangeRequests, paymentMethods, users } from "@/db/schema";
import { formatUsPhone } from "./us";

export type AddressValues = {
  serviceLine1: string;
  serviceLine2: string;
  serviceCity: string;
  serviceState: string;
  serviceZip: string;
  billingSameAsService: boolean;
  billingLine1: string;
  billingLine2: string;
  billingCity: string;
  billingState: string;
  billingZip: string;
};

/** What the payment section may show: never more than label, last four and expiry. */
export type PaymentSummary = {
  kind: "card" | "bank";
  label: string;
  last4: string;
  expMonth: number | null;
  expYear: number | null;
  holderName: string;
};

export type ProfileView = {
  username: string | null;
  accountNumber: string | null;
  name: { firstName: string; lastName: string; version: number };
  address: AddressValues & { version: number };
  phone: { phone: string; version: number };
  email: { email: string; version: number; pending: { newEmail: string; expiresAt: Date } | null };
  payment: { method: PaymentSummary | null; version: number };
};

/**
 * Everything Edit Profile shows, selected column by column. The payment method is masked here,
 * at the query: the encrypted number is never selected.
 */
export async function getProfile(userId: string, tx: DbOrTx = db): Promise<ProfileView | null> {
  const [user] = await tx
    .select({
      username: users.username,
      accountNumber: users.accountNumber,
      firstName: users.firstName,
      lastName: users.lastName,
      phone: users.phone,
      email: users.email,
      billingSameAsService: users.billingSameAsService,
      nameVersion: users.nameVersion,
      addressVersion: users.addressVersion,
      phoneVersion: users.phoneVersion,
      emailVersion: users.emailVersion,
      paymentVersion: users.paymentVersion,
    })
    .from(users)
    .where(eq(users.id, userId));
  if (!user) return null;
  const rows = await tx
    .select({
      kind: addresses.kind,
      line1: addresses.line1,
      line2: addresses.line2,
      city: addresses.city,
      state: addresses.state,
      zip: addresses.zip,
    })
    .from(addresses)
    .where(eq(addresses.userId, userId));
  const service = rows.find((r) => r.kind === "service");
  const billing = rows.find((r) => r.kind === "billing");
  const [method] = await tx
    .select({
      kind: paymentMethods.kind,
      label: paymentMethods.label,
      last4: paymentMethods.last4,
      expMonth: paymentMethods.expMonth,
      expYear: paymentMethods.expYear,
      holderName: paymentMethods.holderName,
    })
    .from(paymentMethods)
    .where(eq(paymentMethods.userId, userId));
  const pending = await pendingEmailChange(userId, tx);
  const billingSame = user.billingSameAsService || !billing;
  return {
    username: user.username,
    accountNumber: user.accountNumber,
    name: { firstName: user.firstName, lastName: user.lastName, version: user.nameVersion },
    address: {
      version: user.addressVersion,
      serviceLine1: service?.line1 ?? "",
      serviceLine2: service?.line2 ?? "",
      serviceCity: service?.city ?? "",
      serviceState: service?.state ?? "",
      serviceZip: service?.zip ?? "",
      billingSameAsService: billingSame,
      billingLine1: billingSame ? "" : (billing?.line1 ?? ""),
      billingLine2: billingSame ? "" : (billing?.line2 ?? ""),
      billingCity: billingSame ? "" : (billing?.city ?? ""),
      billingState: billingSame ? "" : (billing?.state ?? ""),
      billingZip: billingSame ? "" : (billing?.zip ?? ""),
    },
    phone: { phone: user.phone ? formatUsPhone(user.phone) : "", version: user.phoneVersion },
    email: {
      email: user.email ?? "",
      version: user.emailVersion,
      pending: pending && { newEmail: pending.newEmail, expiresAt: pending.expiresAt },
    },
    payment: { method: method ?? null, version: user.paymentVersion },
  };
}

/** The e-mail change waiting for its link to be followed: unused, not cancelled, not expired. */
export async function pendingEmailChange(userId: string, tx: DbOrTx = db) {
  const [row] = await tx
    .select({
      id: emailChangeRequests.id,
      newEmail: emailChangeRequests.newEmail,
      expiresAt: emailChangeRequests.expiresAt,
    })
    .from(emailChangeRequests)
    .where(
      and(
        eq(emailChangeRequests.userId, userId),
        isNull(emailChangeRequests.usedAt),
        isNull(emailChangeRequests.cancelledAt),
        gt(emailChangeRequests.expiresAt, sql`now()`),
      ),
    )
    .orderBy(desc(emailChangeRequests.createdAt))
    .limit(1);
  return row ?? null;
}

export function describePayment(m: Pick<PaymentSummary, "label" | "last4" | "expMonth" | "expYear">): string {
  const exp = m.expMonth && m.expYear ? `, expires ${String(m.expMonth).padStart(2, "0")}/${m.expYear}` : "";
  return `${m.label} ending in ${m.last4}${exp}`;
}

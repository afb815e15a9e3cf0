import { formatDateTime } from "@/lib/format";
import type { TopicChoice } from "@/lib/preferences/queries";
import { resolveTimeZone, timeZoneChoices } from "@/lib/time-zone";
import type { AddressValues, PaymentSummary, ProfileView } from "./queries";
import { US_STATES } from "./us";

// Client-safe: the page renders each section's summary from these on the server, and a save (or a
// stale save's refusal) sends the same shape back, so the section updates itself from the result
// without the page being rendered again.

/** One line of a section's read-only summary. */
export type SummaryItem = { label: string; value: string };

/** What a section shows (its summary) and what its form opens with (`initial`, versions included). */
export type SectionData<I = Record<string, unknown>> = { display: SummaryItem[]; initial: I };

export type NameInitial = ProfileView["name"];
export type AddressInitial = ProfileView["address"];
export type PhoneInitial = ProfileView["phone"];
export type EmailInitial = { email: string; version: number; pending: { newEmail: string; expiresAt: string } | null };
export type PaymentInitial = { version: number; onFile: string | null };
export type PreferencesInitial = { topics: TopicChoice[] };
export type TimeZoneInitial = { timeZone: string; chosen: boolean };

export function describePayment(m: Pick<PaymentSummary, "label" | "last4" | "expMonth" | "expYear">): string {
  const exp = m.expMonth && m.expYear ? `, expires ${String(m.expMonth).padStart(2, "0")}/${m.expYear}` : "";
  return `${m.label} ending in ${m.last4}${exp}`;
}

export function nameData(name: NameInitial): SectionData<NameInitial> {
  return { display: [{ label: "Name", value: `${name.firstName} ${name.lastName}`.trim() }], initial: name };
}

function oneLine(line1: string, line2: string, city: string, state: string, zip: string): string {
  return [line1, line2, city, [state, zip].filter(Boolean).join(" ")].filter(Boolean).join(", ");
}

export function addressData(a: AddressInitial): SectionData<AddressInitial> {
  const service = oneLine(a.serviceLine1, a.serviceLine2, a.serviceCity, a.serviceState, a.serviceZip);
  const billing = a.billingSameAsService
    ? "Same as service address"
    : oneLine(a.billingLine1, a.billingLine2, a.billingCity, a.billingState, a.billingZip);
  return {
    display: [
      { label: "Service address", value: service || "None yet" },
      { label: "Billing address", value: billing },
    ],
    initial: a,
  };
}

export function phoneData(phone: PhoneInitial): SectionData<PhoneInitial> {
  return { display: [{ label: "Phone number", value: phone.phone || "None" }], initial: phone };
}

export function emailData(email: ProfileView["email"], timeZone: string): SectionData<EmailInitial> {
  const pending = email.pending && {
    newEmail: email.pending.newEmail,
    expiresAt: formatDateTime(email.pending.expiresAt, timeZone),
  };
  return {
    display: [
      { label: "E-mail address", value: email.email || "None" },
      ...(pending
        ? [
            {
              label: "Waiting for confirmation",
              value: `${pending.newEmail} (the link works until ${pending.expiresAt})`,
            },
          ]
        : []),
    ],
    initial: { email: email.email, version: email.version, pending },
  };
}

export function paymentData(payment: ProfileView["payment"]): SectionData<PaymentInitial> {
  const onFile = payment.method ? describePayment(payment.method) : null;
  return {
    display: [{ label: "On file", value: onFile ?? "No payment method on file" }],
    initial: { version: payment.version, onFile },
  };
}

export function preferencesData(topics: TopicChoice[]): SectionData<PreferencesInitial> {
  return {
    display: topics
      .filter((t) => t.mailClass === "marketing")
      .map((t) => ({ label: t.name, value: t.subscribed ? "Yes" : "No" })),
    initial: { topics },
  };
}

/** A zone's name as customers know it ("Mountain (Denver)"), or its IANA id when the list has none. */
export function timeZoneLabel(zone: string): string {
  return timeZoneChoices.find((z) => z.id === zone)?.label ?? zone.replaceAll("_", " ");
}

export function timeZoneData(chosen: string | null, serviceState: string): SectionData<TimeZoneInitial> {
  const zone = resolveTimeZone(chosen, serviceState);
  const from =
    chosen && zone === chosen
      ? ""
      : serviceState
        ? ` — from your service address in ${US_STATES[serviceState] ?? serviceState}`
        : "";
  return {
    display: [{ label: "Time zone", value: `${timeZoneLabel(zone)}${from}` }],
    initial: { timeZone: zone, chosen: !from },
  };
}

export type { AddressValues };

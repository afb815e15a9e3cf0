import Link from "next/link";
import type { ReactNode } from "react";
import type { CustomerRecord } from "@/lib/console/customer";
import { formatDateTime } from "@/lib/format";

// Server component: the customer's record as staff read it under a grant, times in the reader's
// zone. Lists and definition lists only (no tables), so nothing scrolls sideways on a phone.

/** One part of the customer page: a heading and its content. */
export function CustomerSection({ id, title, children }: { id: string; title: string; children: ReactNode }) {
  return (
    <section
      id={id}
      aria-labelledby={`${id}-heading`}
      className="space-y-3 rounded-lg border border-gray-300 p-4 sm:p-5"
    >
      <h2 id={`${id}-heading`} className="text-xl font-semibold">
        {title}
      </h2>
      {children}
    </section>
  );
}

function Row({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="sm:grid sm:grid-cols-[12rem_1fr] sm:gap-4">
      <dt className="font-medium text-gray-900">{label}</dt>
      <dd className="break-words text-gray-800">{children}</dd>
    </div>
  );
}

function addressLines(a: { line1: string; line2: string; city: string; state: string; zip: string }): string {
  if (!a.line1) return "—";
  return [a.line1, a.line2, `${a.city}, ${a.state} ${a.zip}`].filter(Boolean).join(", ");
}

function paymentInWords(m: CustomerRecord["profile"]["payment"]["method"]): string {
  if (!m) return "None on file";
  const exp = m.expMonth && m.expYear ? `, expires ${String(m.expMonth).padStart(2, "0")}/${m.expYear}` : "";
  return `${m.label} ending in ${m.last4}${exp}`;
}

/** Name, addresses, phone, e-mail (and a pending change), payment method as brand, last four and expiry. */
export function ProfileSummary({ record, timeZone }: { record: CustomerRecord; timeZone: string }) {
  const { profile } = record;
  const a = profile.address;
  const service = {
    line1: a.serviceLine1,
    line2: a.serviceLine2,
    city: a.serviceCity,
    state: a.serviceState,
    zip: a.serviceZip,
  };
  const billing = a.billingSameAsService
    ? "Same as service address"
    : addressLines({
        line1: a.billingLine1,
        line2: a.billingLine2,
        city: a.billingCity,
        state: a.billingState,
        zip: a.billingZip,
      });
  return (
    <dl className="space-y-2" data-testid="customer-profile">
      <Row label="Name">
        {profile.name.firstName} {profile.name.lastName}
      </Row>
      <Row label="Account number">{profile.accountNumber ?? "—"}</Row>
      <Row label="Username">{profile.username ?? "Not registered online"}</Row>
      <Row label="Service address">{addressLines(service)}</Row>
      <Row label="Billing address">{billing}</Row>
      <Row label="Phone">{profile.phone.phone || "—"}</Row>
      <Row label="E-mail">
        <span className="break-all">{profile.email.email || "—"}</span>
        {profile.email.pending && (
          <span className="block text-gray-700">
            Change to <span className="break-all">{profile.email.pending.newEmail}</span> waiting for confirmation
            (until {formatDateTime(profile.email.pending.expiresAt, timeZone)})
          </span>
        )}
      </Row>
      <Row label="Payment method">{paymentInWords(profile.payment.method)}</Row>
    </dl>
  );
}

/** The customer's marketing choices as they stand (transactional mail is always sent). */
export function PreferencesSummary({ record }: { record: CustomerRecord }) {
  const marketing = record.preferences.filter((t) => t.mailClass === "marketing");
  if (marketing.length === 0) return <p>There are no marketing topics.</p>;
  return (
    <dl className="space-y-2">
      {marketing.map((t) => (
        <Row key={t.id} label={t.name}>
          {t.subscribed ? "Yes" : "No"}
        </Row>
      ))}
    </dl>
  );
}

export function ActivityList({ record, timeZone }: { record: CustomerRecord; timeZone: string }) {
  if (record.activity.length === 0) return <p>No account activity yet.</p>;
  return (
    <ul className="space-y-2" data-testid="customer-activity">
      {record.activity.map((item) => (
        <li key={item.id} className="break-words">
          <time dateTime={new Date(item.when).toISOString()} className="block text-sm text-gray-700 sm:inline">
            {formatDateTime(item.when, timeZone)}
          </time>{" "}
          {item.what}
        </li>
      ))}
    </ul>
  );
}

const chatStatus = { waiting: "waiting", active: "in progress", closed: "closed" } as const;

export function ChatList({ record, timeZone }: { record: CustomerRecord; timeZone: string }) {
  if (record.chats.length === 0) return <p>No support chats from this customer.</p>;
  return (
    <ul className="space-y-2">
      {record.chats.map((c) => (
        <li key={c.id} className="break-words">
          {c.status === "closed" ? (
            <Link href={`/console/chats/closed/${c.id}`} className="text-brand-700 underline">
              Chat #{c.id}
            </Link>
          ) : (
            <span className="font-medium">Chat #{c.id}</span>
          )}{" "}
          · {c.topic || "no topic"} · started {formatDateTime(c.startedAt, timeZone)} · {chatStatus[c.status]}
          {c.repFirstName ? ` · answered by ${c.repFirstName}` : ""}
        </li>
      ))}
    </ul>
  );
}

export function ContactRequestList({ record, timeZone }: { record: CustomerRecord; timeZone: string }) {
  if (record.contactRequests.length === 0) return <p>No Contact Us requests from this customer while signed in.</p>;
  return (
    <ul className="space-y-3">
      {record.contactRequests.map((r) => (
        <li key={r.id} className="break-words">
          <p className="font-medium">
            Request {r.requestNumber} · {r.topic} · {formatDateTime(r.createdAt, timeZone)} ·{" "}
            {r.status === "open" ? "open" : "handled"}
          </p>
          <p className="text-gray-800">{r.excerpt}</p>
        </li>
      ))}
    </ul>
  );
}

import "server-only";
import { and, desc, eq, gt, isNull, sql } from "drizzle-orm";
import { db, type DbOrTx } from "@/db/client";
import { addresses, emailChangeRequests, emailTopics, paymentMethods, subscriptions, users } from "@/db/schema";
import type { TopicChoice } from "@/lib/preferences/queries";
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
  /** The zone the person chose (null: not chosen, shown in the service address's state's). */
  timeZone: string | null;
};

type AddressRow = {
  kind: "service" | "billing";
  line1: string;
  line2: string;
  city: string;
  state: string;
  zip: string;
};
type PendingRow = { newEmail: string; expiresAt: string };
type TopicRow = Omit<TopicChoice, "subscribed"> & { status: "granted" | "withdrawn" | null };

// The e-mail change waiting for its link: unused, not cancelled, not expired (newest first).
const pendingSubselect = sql<PendingRow | null>`(select json_build_object('newEmail', e.new_email, 'expiresAt', e.expires_at)
  from ${emailChangeRequests} e
  where e.user_id = users.id and e.used_at is null and e.cancelled_at is null and e.expires_at > now()
  order by e.created_at desc limit 1)`;

/**
 * Everything Edit Profile shows, in ONE statement: the user's columns, with the addresses, the
 * masked payment method, the pending e-mail change and (when asked) every e-mail topic with the
 * person's choice as json subselects. One round trip matters most on PGlite, where the database's
 * CPU is the app's own. The payment method is masked here, at the query: the encrypted number is
 * never selected.
 */
async function readProfile(
  userId: string,
  tx: DbOrTx,
  withTopics: boolean,
): Promise<(ProfileView & { topics: TopicChoice[] }) | null> {
  const [user] = await tx
    .select({
      username: users.username,
      accountNumber: users.accountNumber,
      firstName: users.firstName,
      lastName: users.lastName,
      phone: users.phone,
      email: users.email,
      timeZone: users.timeZone,
      billingSameAsService: users.billingSameAsService,
      nameVersion: users.nameVersion,
      addressVersion: users.addressVersion,
      phoneVersion: users.phoneVersion,
      emailVersion: users.emailVersion,
      paymentVersion: users.paymentVersion,
      addresses: sql<AddressRow[] | null>`(select json_agg(json_build_object('kind', a.kind, 'line1', a.line1,
        'line2', a.line2, 'city', a.city, 'state', a.state, 'zip', a.zip))
        from ${addresses} a where a.user_id = users.id)`,
      payment: sql<PaymentSummary | null>`(select json_build_object('kind', p.kind, 'label', p.label,
        'last4', p.last4, 'expMonth', p.exp_month, 'expYear', p.exp_year, 'holderName', p.holder_name)
        from ${paymentMethods} p where p.user_id = users.id)`,
      pending: pendingSubselect,
      topics: withTopics
        ? sql<TopicRow[] | null>`(select json_agg(json_build_object('id', t.id, 'name', t.name,
          'description', t.description, 'wording', t.wording, 'mailClass', t.mail_class, 'status', s.status)
          order by t.sort_order)
          from ${emailTopics} t left join ${subscriptions} s on s.topic_id = t.id and s.user_id = users.id)`
        : sql<null>`null`,
    })
    .from(users)
    .where(eq(users.id, userId));
  if (!user) return null;
  const rows = user.addresses ?? [];
  const service = rows.find((r) => r.kind === "service");
  const billing = rows.find((r) => r.kind === "billing");
  const billingSame = user.billingSameAsService || !billing;
  const pending = user.pending;
  return {
    username: user.username,
    accountNumber: user.accountNumber,
    timeZone: user.timeZone,
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
      pending: pending && { newEmail: pending.newEmail, expiresAt: new Date(pending.expiresAt) },
    },
    payment: { method: user.payment ?? null, version: user.paymentVersion },
    topics: (user.topics ?? []).map(({ status, ...t }) => ({
      ...t,
      subscribed: t.mailClass === "transactional" || status === "granted",
    })),
  };
}

/** Everything the console and the saves need of a profile (one statement). */
export async function getProfile(userId: string, tx: DbOrTx = db): Promise<ProfileView | null> {
  const view = await readProfile(userId, tx, false);
  if (!view) return null;
  const { topics: _topics, ...profile } = view;
  return profile;
}

/** What /account/profile shows: the profile and the e-mail topics with the person's choices, one statement. */
export function getProfilePage(userId: string, tx: DbOrTx = db) {
  return readProfile(userId, tx, true);
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

export { describePayment } from "./display";

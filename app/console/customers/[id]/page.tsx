import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import {
  ActivityList,
  ChatList,
  ContactRequestList,
  CustomerSection,
  PreferencesSummary,
  ProfileSummary,
} from "@/components/console/customer/CustomerDetails";
import { OnBehalfEmailForm } from "@/components/console/customer/OnBehalfEmailForm";
import { PasswordResetForm } from "@/components/console/customer/PasswordResetForm";
import { ReasonForm } from "@/components/console/customer/ReasonForm";
import { AddressForm } from "@/components/profile/AddressForm";
import { NameForm } from "@/components/profile/NameForm";
import { PaymentForm } from "@/components/profile/PaymentForm";
import { PhoneForm } from "@/components/profile/PhoneForm";
import { PreferencesForm } from "@/components/profile/PreferencesForm";
import { GRANT_MINUTES } from "@/lib/access/schema";
import { can } from "@/lib/auth/capabilities";
import { requirePageUser } from "@/lib/auth/current";
import { customerPageFor, type CustomerRecord } from "@/lib/console/customer";
import { formatDateTime } from "@/lib/format";
import { describePayment } from "@/lib/profile/queries";
import {
  cancelEmailChangeForCustomer,
  openCustomerAction,
  requestEmailChangeForCustomer,
  resendEmailChangeForCustomer,
  savePaymentForCustomer,
  savePreferencesForCustomer,
  sendPasswordResetForCustomer,
  updateAddressForCustomer,
  updateNameForCustomer,
  updatePhoneForCustomer,
} from "./actions";

export const metadata: Metadata = { title: "Customer" };

type Props = { params: Promise<{ id: string }>; searchParams: Promise<{ edit?: string | string[] }> };

export default async function CustomerPage({ params, searchParams }: Props) {
  const { id } = await params;
  const { edit } = await searchParams;
  const session = await requirePageUser("customers.view", `/console/customers/${encodeURIComponent(id)}`);
  const view = await customerPageFor(session, id);
  if (view.kind === "notFound") notFound();
  const back = (
    <p>
      <Link href="/console/customers" className="text-brand-700 underline">
        Customer search
      </Link>
    </p>
  );
  if (view.kind === "needsReason") {
    // Nothing personal on this side of the reason: not even the name.
    return (
      <div className="space-y-6">
        <div className="space-y-2">
          {back}
          <h1 className="text-2xl font-bold">Why are you opening this customer?</h1>
          <p className="max-w-2xl text-gray-700">
            A customer&apos;s details open only for a stated reason. Your reason, your name and the time are recorded
            before anything is shown, and the customer sees them in their account activity. Access lasts {GRANT_MINUTES}{" "}
            minutes, for this customer only; after that you are asked again.
          </p>
        </div>
        <ReasonForm action={openCustomerAction.bind(null, id)} />
      </div>
    );
  }
  const { record } = view;
  const mayAct = can(session.role, "customers.actFor");
  return (
    <div className="space-y-6">
      <div className="space-y-2">
        {back}
        <h1 className="text-2xl font-bold break-words">
          {record.profile.name.firstName} {record.profile.name.lastName}
        </h1>
        <p className="rounded-md border border-brand-600 bg-brand-50 px-3 py-2 text-sm" data-testid="grant">
          Access recorded for <strong>{record.grant.reasonInWords}</strong>. It ends at{" "}
          <strong>{formatDateTime(record.grant.expiresAt, session.timeZone)}</strong>; after that this page asks for a
          reason again.
        </p>
        {!mayAct && (
          <p className="text-sm text-gray-700">
            Read-only: changes on a customer&apos;s behalf are made by customer service representatives.
          </p>
        )}
      </div>
      <CustomerSection id="profile" title="Profile">
        <ProfileSummary record={record} timeZone={session.timeZone} />
      </CustomerSection>
      {mayAct && (
        <OnBehalf record={record} editing={typeof edit === "string" ? edit : null} timeZone={session.timeZone} />
      )}
      <CustomerSection id="preferences-summary" title="E-mail preferences">
        <PreferencesSummary record={record} />
      </CustomerSection>
      <CustomerSection id="activity" title="Recent account activity">
        <ActivityList record={record} timeZone={session.timeZone} />
      </CustomerSection>
      <CustomerSection id="chats" title="Support chats">
        <ChatList record={record} timeZone={session.timeZone} />
      </CustomerSection>
      <CustomerSection id="contact-requests" title="Contact Us requests">
        <ContactRequestList record={record} timeZone={session.timeZone} />
      </CustomerSection>
    </div>
  );
}

/**
 * The customer's own Edit Profile forms, bound to this customer: the same schemas, version checks
 * and domain functions, with the grant's reason recorded on every change. One form at a time: the
 * current values are in the summary above, and each section opens its form through a plain link
 * (`?edit=phone#phone`, so it works with JavaScript off), which also keeps the page cheap to render.
 */
function OnBehalf({ record, editing, timeZone }: { record: CustomerRecord; editing: string | null; timeZone: string }) {
  const { customerId, profile } = record;
  const pending = profile.email.pending;
  const sections = [
    {
      id: "name",
      title: "Name",
      form: () => <NameForm action={updateNameForCustomer.bind(null, customerId)} initial={profile.name} />,
    },
    {
      id: "addresses",
      title: "Addresses",
      form: () => <AddressForm action={updateAddressForCustomer.bind(null, customerId)} initial={profile.address} />,
    },
    {
      id: "phone",
      title: "Phone",
      form: () => <PhoneForm action={updatePhoneForCustomer.bind(null, customerId)} initial={profile.phone} />,
    },
    {
      id: "email",
      title: "E-mail address",
      form: () => (
        <OnBehalfEmailForm
          email={profile.email.email}
          version={profile.email.version}
          pending={
            pending ? { newEmail: pending.newEmail, expiresAt: formatDateTime(pending.expiresAt, timeZone) } : null
          }
          change={requestEmailChangeForCustomer.bind(null, customerId)}
          resend={resendEmailChangeForCustomer.bind(null, customerId)}
          cancel={cancelEmailChangeForCustomer.bind(null, customerId)}
        />
      ),
    },
    {
      id: "payment",
      title: "Payment method",
      form: () => (
        <PaymentForm
          action={savePaymentForCustomer.bind(null, customerId)}
          initial={{
            version: profile.payment.version,
            onFile: profile.payment.method ? describePayment(profile.payment.method) : null,
          }}
        />
      ),
    },
    {
      id: "preferences",
      title: "E-mail choices",
      form: () => (
        <PreferencesForm
          action={savePreferencesForCustomer.bind(null, customerId)}
          initial={{ topics: record.preferences }}
        />
      ),
    },
  ];
  const here = `/console/customers/${customerId}`;
  return (
    <div className="space-y-6">
      <div>
        <h2 className="text-xl font-semibold">Change on the customer&apos;s behalf</h2>
        <p className="text-sm text-gray-700">
          Only what the customer asked for. Each change is recorded with your reason, and the customer gets the usual
          e-mail about it.
        </p>
      </div>
      {sections.map((section) =>
        editing === section.id ? (
          <CustomerSection key={section.id} id={section.id} title={section.title}>
            {section.form()}
            <p>
              <Link href={`${here}#${section.id}`} className="text-brand-700 underline">
                Done with {section.title.toLowerCase()}
              </Link>
            </p>
          </CustomerSection>
        ) : (
          <CustomerSection key={section.id} id={section.id} title={section.title}>
            <Link href={`${here}?edit=${section.id}#${section.id}`} className="text-brand-700 underline">
              Change {section.title.toLowerCase()}
            </Link>
          </CustomerSection>
        ),
      )}
      <CustomerSection id="password" title="Password">
        <p className="text-sm text-gray-700">
          You never see or set a customer&apos;s password: this sends a reset link to their e-mail address on file.
        </p>
        <PasswordResetForm action={sendPasswordResetForCustomer.bind(null, customerId)} />
      </CustomerSection>
    </div>
  );
}

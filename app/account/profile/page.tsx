import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { EditableSection } from "@/components/profile/EditableSection";
import { ProfileSection } from "@/components/profile/ProfileSection";
import { requirePageUser } from "@/lib/auth/current";
import {
  addressData,
  emailData,
  nameData,
  paymentData,
  phoneData,
  preferencesData,
  timeZoneData,
} from "@/lib/profile/display";
import { getProfilePage } from "@/lib/profile/queries";
import { hasPasskey } from "@/lib/two-step/manage";
import { reauthPasskeyAction, reauthPasskeyOptionsAction } from "@/app/account/security/actions";
import {
  cancelEmailChangeAction,
  removePaymentAction,
  requestEmailChangeAction,
  resendEmailChangeAction,
  savePaymentAction,
  savePreferencesAction,
  updateAddressAction,
  updateNameAction,
  updatePhoneAction,
  updateTimeZoneAction,
} from "./actions";

export const metadata: Metadata = { title: "Edit Profile" };

type Props = { searchParams: Promise<{ edit?: string | string[]; again?: string | string[] }> };

/**
 * A summary of every section, read in one statement, with one form open at most: the one named by
 * `?edit=` (how "Edit" works without JavaScript; with it, sections open in place).
 */
export default async function EditProfilePage({ searchParams }: Props) {
  const session = await requirePageUser("account.own", "/account/profile");
  const [profile, { edit, again }, withPasskey] = await Promise.all([
    getProfilePage(session.userId),
    searchParams,
    hasPasskey(session.userId),
  ]);
  if (!profile) notFound();
  const opened = (id: string) =>
    edit === id ? ("edit" as const) : edit === `${id}-remove` ? ("remove" as const) : null;
  const nextAgain = (Number(typeof again === "string" ? again : 0) || 0) + 1;
  // The open section links "Edit" to a new URL for when a JavaScript-off save has closed it.
  const open = (id: string) => ({ open: opened(id), ...(opened(id) && { again: nextAgain }) });
  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-bold">Edit Profile</h1>
        <p className="text-gray-700">
          Account number {profile.accountNumber} · username {profile.username}. Every change is recorded in your{" "}
          <a className="text-brand-700 underline" href="/account/activity">
            account activity
          </a>{" "}
          and confirmed by e-mail.
        </p>
      </div>
      <ProfileSection
        id="name"
        title="Name"
        why="So we know how to address you and whose account this is."
        whyHref="/privacy#what-we-collect"
      >
        <EditableSection
          id="name"
          label="name"
          action={updateNameAction}
          data={nameData(profile.name)}
          {...open("name")}
        />
      </ProfileSection>
      <ProfileSection
        id="addresses"
        title="Addresses"
        why="Where we provide service and where we send your bill."
        whyHref="/privacy#how-we-use"
      >
        <EditableSection
          id="addresses"
          label="addresses"
          action={updateAddressAction}
          data={addressData(profile.address)}
          {...open("addresses")}
        />
      </ProfileSection>
      <ProfileSection
        id="phone"
        title="Phone"
        why="To reach you about your service, orders and appointments."
        whyHref="/privacy#how-we-use"
      >
        <EditableSection
          id="phone"
          label="phone number"
          action={updatePhoneAction}
          data={phoneData(profile.phone)}
          {...open("phone")}
        />
      </ProfileSection>
      <ProfileSection
        id="email"
        title="E-mail address"
        why="To sign you in and send account, order and payment messages."
        whyHref="/privacy#how-we-use"
      >
        <EditableSection
          id="email"
          label="e-mail address"
          action={requestEmailChangeAction}
          more={{
            resend: resendEmailChangeAction,
            cancel: cancelEmailChangeAction,
            // A passkey can stand in for the current password (components/two-step/UsePasskeyInstead.tsx).
            ...(withPasskey && {
              reauthPasskeyOptions: reauthPasskeyOptionsAction,
              reauthPasskey: reauthPasskeyAction,
            }),
          }}
          data={emailData(profile.email, session.timeZone)}
          {...open("email")}
        />
      </ProfileSection>
      <ProfileSection
        id="payment"
        title="Payment method"
        why="To pay your bill automatically. We show only the last four digits."
        whyHref="/privacy#safeguards"
      >
        <EditableSection
          id="payment"
          label="payment method"
          action={savePaymentAction}
          removeAction={removePaymentAction}
          data={paymentData(profile.payment)}
          {...open("payment")}
        />
      </ProfileSection>
      <ProfileSection
        id="preferences"
        title="E-mail preferences"
        why="Marketing e-mail only goes to people who said yes. Change your mind any time, here or from any of our e-mails."
        whyHref="/privacy#how-we-use"
      >
        <EditableSection
          id="preferences"
          label="e-mail preferences"
          action={savePreferencesAction}
          data={preferencesData(profile.topics)}
          {...open("preferences")}
        />
      </ProfileSection>
      <ProfileSection
        id="time-zone"
        title="Time zone"
        why="So every time we show you, on the site and in e-mail, is in your own."
        whyHref="/privacy#what-we-collect"
      >
        <EditableSection
          id="time-zone"
          label="time zone"
          action={updateTimeZoneAction}
          data={timeZoneData(profile.timeZone, profile.address.serviceState)}
          {...open("time-zone")}
        />
      </ProfileSection>
      <ProfileSection
        id="password"
        title="Password"
        why="Changing it signs out every other device."
        whyHref="/privacy#safeguards"
      >
        <a href="/account/security#password-heading" className="font-semibold text-brand-700 underline">
          Change your password on the Security page
        </a>
      </ProfileSection>
    </div>
  );
}

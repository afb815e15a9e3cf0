import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { ChangePasswordForm } from "@/components/auth/ChangePasswordForm";
import { AddressForm } from "@/components/profile/AddressForm";
import { EmailSection } from "@/components/profile/EmailSection";
import { NameForm } from "@/components/profile/NameForm";
import { PaymentForm } from "@/components/profile/PaymentForm";
import { PhoneForm } from "@/components/profile/PhoneForm";
import { PreferencesForm } from "@/components/profile/PreferencesForm";
import { ProfileSection } from "@/components/profile/ProfileSection";
import { requirePageUser } from "@/lib/auth/current";
import { formatDateTime } from "@/lib/format";
import { getPreferences } from "@/lib/preferences/queries";
import { describePayment, getProfile } from "@/lib/profile/queries";
import { changePasswordAction } from "../security/actions";
import {
  cancelEmailChangeAction,
  requestEmailChangeAction,
  resendEmailChangeAction,
  savePaymentAction,
  savePreferencesAction,
  updateAddressAction,
  updateNameAction,
  updatePhoneAction,
} from "./actions";

export const metadata: Metadata = { title: "Edit Profile" };

export default async function EditProfilePage() {
  const session = await requirePageUser("account.own", "/account/profile");
  const [profile, preferences] = await Promise.all([getProfile(session.userId), getPreferences(session.userId)]);
  if (!profile) notFound();
  const pending = profile.email.pending;
  return (
    <div className="space-y-8">
      <div>
        <h1 className="text-2xl font-bold">Edit Profile</h1>
        <p className="text-gray-700">
          Account number {profile.accountNumber} · username {profile.username}. Each section saves on its own. Every
          change is recorded in your{" "}
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
        <NameForm action={updateNameAction} initial={profile.name} />
      </ProfileSection>
      <ProfileSection
        id="addresses"
        title="Addresses"
        why="Where we provide service and where we send your bill."
        whyHref="/privacy#how-we-use"
      >
        <AddressForm action={updateAddressAction} initial={profile.address} />
      </ProfileSection>
      <ProfileSection
        id="phone"
        title="Phone"
        why="To reach you about your service, orders and appointments."
        whyHref="/privacy#how-we-use"
      >
        <PhoneForm action={updatePhoneAction} initial={profile.phone} />
      </ProfileSection>
      <ProfileSection
        id="email"
        title="E-mail address"
        why="To sign you in and send account, order and payment messages."
        whyHref="/privacy#how-we-use"
      >
        <EmailSection
          email={profile.email.email}
          version={profile.email.version}
          pending={pending ? { newEmail: pending.newEmail, expiresAt: formatDateTime(pending.expiresAt) } : null}
          change={requestEmailChangeAction}
          resend={resendEmailChangeAction}
          cancel={cancelEmailChangeAction}
        />
      </ProfileSection>
      <ProfileSection
        id="payment"
        title="Payment method"
        why="To pay your bill automatically. We show only the last four digits."
        whyHref="/privacy#safeguards"
      >
        <PaymentForm
          action={savePaymentAction}
          version={profile.payment.version}
          onFile={profile.payment.method ? describePayment(profile.payment.method) : null}
        />
      </ProfileSection>
      <ProfileSection
        id="preferences"
        title="E-mail preferences"
        why="Marketing e-mail only goes to people who said yes. Change your mind any time, here or from any of our e-mails."
        whyHref="/privacy#how-we-use"
      >
        <PreferencesForm action={savePreferencesAction} topics={preferences} />
      </ProfileSection>
      <ProfileSection
        id="password"
        title="Password"
        why="Changing it signs out every other device."
        whyHref="/privacy#safeguards"
      >
        <ChangePasswordForm action={changePasswordAction} />
      </ProfileSection>
    </div>
  );
}

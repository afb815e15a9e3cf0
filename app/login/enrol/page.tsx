import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { EnrolSteps } from "@/components/auth/EnrolSteps";
import { CancelSignInForm } from "@/components/auth/SecondStepForms";
import { currentSession, homeFor } from "@/lib/auth/current";
import { partialSessionFromCookie } from "@/lib/two-step/second-step";
import { cancelSecondStepAction } from "../verify/actions";
import {
  confirmAuthenticatorAction,
  enrolPasskeyAction,
  enrolPasskeyOptionsAction,
  startAuthenticatorAction,
} from "./actions";

export const metadata: Metadata = { title: "Set up two-step sign-in" };

/**
 * A staff member whose account has no second factor lands here after the password (a partial
 * "enrol" session): the console stays closed until they add an authenticator app or a passkey.
 */
export default async function EnrolPage() {
  const session = await currentSession();
  if (session) redirect(homeFor(session.role));
  const { partial, hadCookie } = await partialSessionFromCookie();
  if (partial?.stage === "second_step") redirect("/login/verify");
  // A customer in the enrolment stage cannot exist (verifyCredentials never makes one); refused anyway.
  if (!partial || partial.role === "customer") redirect(hadCookie ? "/login?expired=1" : "/login");
  const minutesLeft = Math.max(1, Math.ceil((partial.expiresAt.getTime() - Date.now()) / 60_000));
  return (
    <div className="mx-auto max-w-xl space-y-6">
      <h1 className="text-2xl font-bold">Set up two-step sign-in</h1>
      <p>
        Staff accounts open customers&rsquo; data, so the staff console needs a second step after your password. Set one
        up now: it takes a minute, and the console opens as soon as it is done. This page stays open for 15 minutes
        (about {minutesLeft} {minutesLeft === 1 ? "minute" : "minutes"} left).
      </p>
      <EnrolSteps
        startAuthenticator={startAuthenticatorAction}
        confirmAuthenticator={confirmAuthenticatorAction}
        passkeyOptions={enrolPasskeyOptionsAction}
        savePasskey={enrolPasskeyAction}
      />
      <CancelSignInForm action={cancelSecondStepAction} />
    </div>
  );
}

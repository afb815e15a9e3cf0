import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { PasskeyButton } from "@/components/auth/PasskeySignIn";
import { AuthenticatorCodeForm, CancelSignInForm, RecoveryCodeForm } from "@/components/auth/SecondStepForms";
import { currentSession, homeFor } from "@/lib/auth/current";
import { safeNextPath } from "@/lib/auth/next-path";
import { factorSummary } from "@/lib/two-step/factors";
import { partialSessionFromCookie } from "@/lib/two-step/second-step";
import {
  authenticatorCodeAction,
  cancelSecondStepAction,
  recoveryCodeAction,
  secondStepPasskeyAction,
  secondStepPasskeyOptionsAction,
} from "./actions";

export const metadata: Metadata = { title: "Verify it's you" };

/**
 * The second step after a right password. Public in the role table: the session here is partial,
 * which every other page treats as signed out; this page reads it itself.
 */
export default async function VerifyPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | undefined>>;
}) {
  const params = await searchParams;
  const next = params.next ? safeNextPath(params.next) : "";
  const session = await currentSession();
  if (session) redirect(next || homeFor(session.role));
  const { partial, hadCookie } = await partialSessionFromCookie();
  if (partial?.stage === "enrol") redirect("/login/enrol");
  if (!partial) redirect(hadCookie ? "/login?expired=1" : "/login");
  const factors = await factorSummary(partial.userId);
  const minutesLeft = Math.max(1, Math.ceil((partial.expiresAt.getTime() - Date.now()) / 60_000));
  return (
    <div className="mx-auto max-w-md space-y-6">
      <h1 className="text-2xl font-bold">Verify it&rsquo;s you</h1>
      <p>
        Your password was right. To finish signing in, use your second step. This page stays open for 5 minutes (about{" "}
        {minutesLeft} {minutesLeft === 1 ? "minute" : "minutes"} left); after that, sign in again.
      </p>
      {factors.passkeys.length > 0 && (
        <section aria-labelledby="passkey-heading" className="space-y-2">
          <h2 id="passkey-heading" className="text-lg font-semibold">
            Use your passkey
          </h2>
          <PasskeyButton
            id="second-step-passkey"
            label="Use your passkey"
            optionsAction={secondStepPasskeyOptionsAction}
            verifyAction={secondStepPasskeyAction}
            next={next}
            primary
          />
        </section>
      )}
      {factors.authenticator && (
        <section aria-labelledby="code-heading" className="space-y-2">
          <h2 id="code-heading" className="text-lg font-semibold">
            Enter the 6-digit code from your authenticator app
          </h2>
          <AuthenticatorCodeForm action={authenticatorCodeAction} next={next} />
        </section>
      )}
      <details className="rounded-md border border-gray-300 p-3" open={params.recovery === "1" || undefined}>
        <summary className="cursor-pointer font-semibold text-brand-700">Use a recovery code</summary>
        <div className="mt-3">
          <RecoveryCodeForm action={recoveryCodeAction} next={next} />
        </div>
      </details>
      <CancelSignInForm action={cancelSecondStepAction} />
    </div>
  );
}

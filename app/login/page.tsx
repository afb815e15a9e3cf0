import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { LoginForm } from "@/components/auth/LoginForm";
import { PasskeyButton } from "@/components/auth/PasskeySignIn";
import { currentSession, homeFor } from "@/lib/auth/current";
import { safeNextPath } from "@/lib/auth/next-path";
import { rememberedUsername } from "@/lib/auth/remembered-username";
import { currentConsent } from "@/lib/cookies/consent";
import { rememberUsernameHint } from "@/lib/cookies/wording";
import { messages } from "@/lib/messages";
import { passkeySignInAction, passkeySignInOptionsAction, signInAction } from "./actions";

export const metadata: Metadata = { title: "Sign in" };

export default async function LoginPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | undefined>>;
}) {
  const params = await searchParams;
  const session = await currentSession();
  const next = params.next ? safeNextPath(params.next) : "";
  if (session) redirect(next || homeFor(session.role));
  const [remembered, consent] = await Promise.all([rememberedUsername(), currentConsent()]);
  return (
    <div className="mx-auto max-w-md space-y-6">
      <h1 className="text-2xl font-bold">Sign in to MyAccount</h1>
      {params.registered && (
        <p role="status" className="rounded-md border border-green-700 bg-green-50 px-3 py-2 text-sm text-green-900">
          Your online account is ready. Sign in with your new username and password.
        </p>
      )}
      {params.expired && (
        <p role="status" className="rounded-md border border-amber-700 bg-amber-50 px-3 py-2 text-sm text-amber-900">
          {messages.twoStepSignInExpired}
        </p>
      )}
      {params.reset && (
        <p role="status" className="rounded-md border border-green-700 bg-green-50 px-3 py-2 text-sm text-green-900">
          Your password was changed. Sign in with your new password.
        </p>
      )}
      <LoginForm
        action={signInAction}
        rememberedUsername={remembered}
        next={next}
        rememberHint={rememberUsernameHint(consent)}
      />
      {/* A passkey is the whole sign-in: no username or password to type. */}
      <section aria-labelledby="passkey-sign-in-heading" className="space-y-2 border-t border-gray-300 pt-4">
        <h2 id="passkey-sign-in-heading" className="text-base font-semibold">
          Or use a passkey
        </h2>
        <PasskeyButton
          id="passkey-sign-in"
          label="Sign in with a passkey"
          optionsAction={passkeySignInOptionsAction}
          verifyAction={passkeySignInAction}
          next={next}
        />
      </section>
      <ul className="space-y-1 text-sm">
        <li>
          <Link className="text-brand-700 underline" href="/forgot-password">
            Forgot your password?
          </Link>
        </li>
        <li>
          New to MyAccount?{" "}
          <Link className="text-brand-700 underline" href="/register">
            Register your account
          </Link>
        </li>
      </ul>
    </div>
  );
}

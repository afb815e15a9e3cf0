import type { Metadata } from "next";
import Link from "next/link";
import { RecoveryForm } from "@/components/recovery/RecoveryForm";
import { say } from "@/lib/messages";
import { peekRecoveryToken } from "@/lib/recovery/tokens";
import { notMeAction } from "./actions";

export const metadata: Metadata = { title: "This wasn't me", robots: { index: false } };

// Opening the link only explains and shows a button: mail scanners follow links, and following
// one must change nothing. Signing out and the reset happen on the button's POST.
export default async function NotMePage({ searchParams }: { searchParams: Promise<{ token?: string }> }) {
  const { token } = await searchParams;
  const usable = token ? await peekRecoveryToken(token.slice(0, 200), "not_me") : null;
  return (
    <div className="mx-auto max-w-md space-y-6">
      <h1 className="text-2xl font-bold">This wasn&apos;t me</h1>
      {token && usable ? (
        <>
          <p>If you did not make the change we e-mailed you about, secure your account now. In one step we will:</p>
          <ul className="list-disc space-y-1 pl-6">
            <li>sign out every device signed in to your account, including this one;</li>
            <li>cancel any e-mail address change waiting for confirmation;</li>
            <li>take you straight to choosing a new password.</li>
          </ul>
          <RecoveryForm
            action={notMeAction}
            token={token.slice(0, 200)}
            label="Sign out everywhere and choose a new password"
            pendingLabel="Securing your account…"
          />
        </>
      ) : (
        <>
          <p role="status">{say("recoveryLinkUsed")}</p>
          <p>
            <Link href="/forgot-password" className="text-brand-700 underline">
              Reset your password
            </Link>
          </p>
        </>
      )}
    </div>
  );
}

import type { Metadata } from "next";
import { ConfirmEmailForm } from "@/components/profile/ConfirmEmailForm";
import { addressAwaitingConfirmation } from "@/lib/profile/email-link";
import { confirmEmailChangeAction } from "./actions";

export const metadata: Metadata = { title: "Confirm your new e-mail address" };

// Following the link only shows a button: mail scanners open links, and opening one must not
// change anything. The change happens on the button's POST.
export default async function VerifyEmailPage({ searchParams }: { searchParams: Promise<{ token?: string }> }) {
  const token = (await searchParams).token?.slice(0, 200);
  const address = token ? await addressAwaitingConfirmation(token) : null;
  return (
    <div className="mx-auto max-w-md space-y-6">
      <h1 className="text-2xl font-bold">Confirm your new e-mail address</h1>
      {token ? (
        <>
          {/* A dead link names nothing: the button then says why it no longer works. */}
          {address && (
            <p data-testid="confirm-address">
              Confirm <strong className="break-all">{address}</strong> as the e-mail address you sign in with and
              receive our mail at.
            </p>
          )}
          <ConfirmEmailForm action={confirmEmailChangeAction} token={token} />
        </>
      ) : (
        <p>This link is incomplete. Start the change again from Edit Profile.</p>
      )}
    </div>
  );
}

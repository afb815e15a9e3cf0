import type { Metadata } from "next";
import { ConfirmEmailForm } from "@/components/profile/ConfirmEmailForm";
import { confirmEmailChangeAction } from "./actions";

export const metadata: Metadata = { title: "Confirm your new e-mail address" };

// Following the link only shows a button: mail scanners open links, and opening one must not
// change anything. The change happens on the button's POST.
export default async function VerifyEmailPage({ searchParams }: { searchParams: Promise<{ token?: string }> }) {
  const { token } = await searchParams;
  return (
    <div className="mx-auto max-w-md space-y-6">
      <h1 className="text-2xl font-bold">Confirm your new e-mail address</h1>
      {token ? (
        <ConfirmEmailForm action={confirmEmailChangeAction} token={token.slice(0, 200)} />
      ) : (
        <p>This link is incomplete. Start the change again from Edit Profile.</p>
      )}
    </div>
  );
}

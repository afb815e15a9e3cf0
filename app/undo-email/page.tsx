import type { Metadata } from "next";
import Link from "next/link";
import { RecoveryForm } from "@/components/recovery/RecoveryForm";
import { say } from "@/lib/messages";
import { peekRecoveryToken } from "@/lib/recovery/tokens";
import { undoEmailAction } from "./actions";

export const metadata: Metadata = { title: "Undo the e-mail change", robots: { index: false } };

// Opening the link only explains and shows a button (mail scanners follow links); the undo
// happens on the button's POST.
export default async function UndoEmailPage({ searchParams }: { searchParams: Promise<{ token?: string }> }) {
  const { token } = await searchParams;
  const usable = token ? await peekRecoveryToken(token.slice(0, 200), "email_undo") : null;
  return (
    <div className="mx-auto max-w-md space-y-6">
      <h1 className="text-2xl font-bold">Undo the e-mail change</h1>
      {token && usable?.oldEmail ? (
        <>
          <p>If you did not change the e-mail address of your MyAccount, put it back. In one step we will:</p>
          <ul className="list-disc space-y-1 pl-6">
            <li>
              make <strong className="break-all">{usable.oldEmail}</strong> your e-mail address again;
            </li>
            <li>cancel any other e-mail change waiting for confirmation;</li>
            <li>sign out every device signed in to your account;</li>
            <li>take you straight to choosing a new password.</li>
          </ul>
          <RecoveryForm
            action={undoEmailAction}
            token={token.slice(0, 200)}
            label="Undo the change and choose a new password"
            pendingLabel="Undoing the change…"
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

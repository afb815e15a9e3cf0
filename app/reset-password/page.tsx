import type { Metadata } from "next";
import Link from "next/link";
import { ResetPasswordForm } from "@/components/auth/ResetPasswordForm";
import { resetLinkState, type ResetLinkState } from "@/lib/auth/password-reset";
import { resetPasswordAction } from "./actions";

export const metadata: Metadata = { title: "Choose a new password" };

/** Why a link no longer works, said before any form is shown. */
const unusable: Record<Exclude<ResetLinkState, "usable">, string> = {
  used: "This link has already been used.",
  expired: "This link has expired.",
  unknown: "This link isn't valid. It may be incomplete or changed.",
};

export default async function ResetPasswordPage({ searchParams }: { searchParams: Promise<{ token?: string }> }) {
  const token = (await searchParams).token?.slice(0, 200);
  // Read-only: looking at the link does not use it up; only setting the password does.
  const state: ResetLinkState = token ? await resetLinkState(token) : "unknown";
  return (
    <div className="mx-auto max-w-md space-y-6">
      <h1 className="text-2xl font-bold">Choose a new password</h1>
      {token && state === "usable" ? (
        <ResetPasswordForm action={resetPasswordAction} token={token} />
      ) : (
        <div className="space-y-3">
          <p id="reset-link-state" className="rounded-md border border-amber-600 bg-amber-50 px-3 py-2 text-amber-950">
            {token ? unusable[state as Exclude<ResetLinkState, "usable">] : "This link is incomplete."}
          </p>
          <p>
            <Link className="font-medium text-brand-700 underline" href="/forgot-password">
              Ask for a new reset link
            </Link>
          </p>
        </div>
      )}
    </div>
  );
}

"use client";

import Link from "next/link";
import { useActionState } from "react";
import type { ActionResult } from "@/lib/actions/result";
import { FormMessage } from "@/components/ui/FormMessage";

export function ConfirmEmailForm({
  action,
  token,
}: {
  action: (prev: unknown, data: FormData) => Promise<ActionResult<{ email: string }>>;
  token: string;
}) {
  const [state, formAction, pending] = useActionState(action, null);
  if (state?.ok) {
    return (
      <div className="space-y-3">
        <FormMessage id="confirm-email-message" state={state} />
        <Link href="/account/profile" className="text-brand-700 underline">
          Go to Edit Profile
        </Link>
      </div>
    );
  }
  return (
    <form action={formAction} className="space-y-3">
      <FormMessage id="confirm-email-message" state={state} />
      <input type="hidden" name="token" value={token} />
      <button
        type="submit"
        disabled={pending}
        className="rounded-md bg-brand-600 px-4 py-2 font-semibold text-white hover:bg-brand-700"
      >
        {pending ? "Confirming…" : "Confirm my new e-mail address"}
      </button>
    </form>
  );
}

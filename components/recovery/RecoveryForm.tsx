"use client";

import Link from "next/link";
import { useActionState } from "react";
import type { ActionResult } from "@/lib/actions/result";
import { FormMessage } from "@/components/ui/FormMessage";

/**
 * The one button of a recovery page ("This wasn't me", undo an e-mail change). Success redirects
 * to choosing a new password, so only a refusal comes back here. A plain form: works without
 * JavaScript.
 */
export function RecoveryForm({
  action,
  token,
  label,
  pendingLabel,
}: {
  action: (prev: unknown, data: FormData) => Promise<ActionResult<unknown>>;
  token: string;
  label: string;
  pendingLabel: string;
}) {
  const [state, formAction, pending] = useActionState(action, null);
  if (state && !state.ok) {
    return (
      <div className="space-y-3">
        <FormMessage id="recovery-message" state={state} />
        <p>
          <Link href="/forgot-password" className="text-brand-700 underline">
            Reset your password
          </Link>
        </p>
        <p>
          <Link href="/contact" className="text-brand-700 underline">
            Contact us
          </Link>
        </p>
      </div>
    );
  }
  return (
    <form action={formAction} className="space-y-3">
      <FormMessage id="recovery-message" state={state} />
      <input type="hidden" name="token" value={token} />
      <button
        type="submit"
        disabled={pending}
        className="rounded-md bg-brand-600 px-4 py-2 font-semibold text-white hover:bg-brand-700"
      >
        {pending ? pendingLabel : label}
      </button>
    </form>
  );
}

"use client";

import { useActionState } from "react";
import type { ActionResult } from "@/lib/actions/result";
import { FormMessage, SubmitButton } from "@/components/ui/FormMessage";

/** One button: a reset link to the customer's address on file. The rep never sees or sets a password. */
export function PasswordResetForm({
  action,
}: {
  action: (prev: unknown, data: FormData) => Promise<ActionResult<unknown>>;
}) {
  const [state, formAction, pending] = useActionState(action, null);
  return (
    <form action={formAction} className="space-y-3" aria-label="Password reset">
      <FormMessage id="reset-message" state={state} />
      <SubmitButton pending={pending} pendingText="Sending…">
        Send a password reset link
      </SubmitButton>
    </form>
  );
}

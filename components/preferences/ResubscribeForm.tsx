"use client";

import { useActionState } from "react";
import type { ActionResult } from "@/lib/actions/result";
import { FormMessage } from "@/components/ui/FormMessage";

/** "Subscribe again" after unsubscribing; a plain form, so it works without JavaScript too. */
export function ResubscribeForm({
  action,
  token,
  topicName,
}: {
  action: (prev: ActionResult<unknown> | null, data: FormData) => Promise<ActionResult<unknown>>;
  token: string;
  topicName: string;
}) {
  const [state, formAction, pending] = useActionState(action, null);
  return (
    <form action={formAction} className="space-y-2">
      <FormMessage id="resubscribe-message" state={state} />
      <input type="hidden" name="token" value={token} />
      <button
        type="submit"
        disabled={pending}
        aria-label={`Subscribe again to ${topicName}`}
        className="rounded-md border border-brand-700 px-4 py-2 font-semibold text-brand-800 hover:bg-brand-50"
      >
        {pending ? "Subscribing…" : "Subscribe again"}
      </button>
    </form>
  );
}

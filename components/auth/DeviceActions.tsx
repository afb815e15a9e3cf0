"use client";

import { useActionState } from "react";
import type { ActionResult } from "@/lib/actions/result";
import { FormMessage } from "@/components/ui/FormMessage";

type Action = (prev: ActionResult<undefined> | null, data: FormData) => Promise<ActionResult<undefined>>;

/** "Sign out" for one line of the device list (one session or a group); a plain form, so it works without JavaScript too. */
export function SignOutDeviceButton({
  action,
  sessionIds,
  label,
}: {
  action: Action;
  sessionIds: string[];
  label: string;
}) {
  const [state, formAction, pending] = useActionState(action, null);
  return (
    <form action={formAction}>
      <input type="hidden" name="sessionIds" value={sessionIds.join(",")} />
      <button
        type="submit"
        disabled={pending}
        className="rounded-md border border-gray-500 px-3 py-1 text-sm hover:bg-gray-100"
        aria-label={`Sign out ${label}`}
      >
        {pending ? "Signing out…" : "Sign out"}
      </button>
      {state && !state.ok && <p className="text-sm text-red-800">{state.formError}</p>}
    </form>
  );
}

export function SignOutEverywhereElse({ action }: { action: Action }) {
  const [state, formAction, pending] = useActionState(action, null);
  return (
    <form action={formAction} className="space-y-2">
      <FormMessage id="everywhere-message" state={state} />
      <button
        type="submit"
        disabled={pending}
        className="rounded-md bg-brand-600 px-4 py-2 font-semibold text-white hover:bg-brand-700"
      >
        {pending ? "Signing out…" : "Sign out everywhere else"}
      </button>
    </form>
  );
}

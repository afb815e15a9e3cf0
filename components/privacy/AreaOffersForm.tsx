"use client";

import { useActionState } from "react";
import { FormMessage } from "@/components/ui/FormMessage";
import type { FormAction } from "@/components/ui/form-hooks";

/** One button that switches "Products in your area" to the other state (works without JavaScript). */
export function AreaOffersForm({ action, enabled }: { action: FormAction<undefined>; enabled: boolean }) {
  const [state, formAction, pending] = useActionState(action, null);
  return (
    <form action={formAction} className="space-y-3" aria-label="Products in your area">
      <p>
        Products in your area are <strong>{enabled ? "on" : "off"}</strong>.
      </p>
      <input type="hidden" name="enabled" value={enabled ? "off" : "on"} />
      <button
        type="submit"
        disabled={pending}
        className="rounded-md border border-brand-600 px-4 py-2 font-semibold text-brand-700 hover:bg-brand-50 disabled:opacity-70"
      >
        {pending ? "Saving…" : enabled ? "Turn off products in your area" : "Turn on products in your area"}
      </button>
      <FormMessage id="area-offers-message" state={state} />
    </form>
  );
}

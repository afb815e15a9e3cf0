"use client";

import { useActionState } from "react";
import type { ActionResult } from "@/lib/actions/result";

export type SignOutAction = (prev: unknown, data: FormData) => Promise<ActionResult>;

/** A plain form posting to the sign-out action, so it works without JavaScript too. */
export function SignOutButton({ action }: { action: SignOutAction }) {
  const [, formAction, pending] = useActionState(action, null);
  return (
    <form action={formAction}>
      <button type="submit" disabled={pending} className="rounded-md px-2 py-1 underline hover:bg-brand-700">
        {pending ? "Signing out…" : "Sign out"}
      </button>
    </form>
  );
}

"use client";

import { useActionState } from "react";
import { signOutAction } from "@/app/actions/sign-out";

export function SignOutButton() {
  const [, formAction, pending] = useActionState(signOutAction, null);
  return (
    <form action={formAction}>
      <button type="submit" disabled={pending} className="rounded-md px-2 py-1 underline hover:bg-brand-700">
        {pending ? "Signing out…" : "Sign out"}
      </button>
    </form>
  );
}

"use client";

import { Field } from "@/components/ui/Field";
import { FormMessage } from "@/components/ui/FormMessage";
import { useActionForm, type FormAction } from "@/components/ui/form-hooks";
import { closeAccountSchema } from "@/lib/privacy/schema";

/** Password again and a tick, then the account is closed and the browser signed out. */
export function CloseAccountForm({ action }: { action: FormAction<undefined> }) {
  const { form, state, pending, formAction, onSubmit, errorFor } = useActionForm(closeAccountSchema, action, {
    currentPassword: "",
    confirm: false,
  });
  const confirmError = errorFor("confirm");
  return (
    <form action={formAction} onSubmit={onSubmit} noValidate className="space-y-4" aria-label="Close my account">
      <FormMessage id="close-account-message" state={state} />
      <fieldset disabled={pending} className="space-y-2">
        <legend className="sr-only">Close my account</legend>
        <Field
          label="Your password"
          type="password"
          maxLength={128}
          autoComplete="current-password"
          registration={form.register("currentPassword")}
          error={errorFor("currentPassword")}
        />
        <div className="space-y-1">
          <div className="flex items-start gap-2">
            <input
              id="field-confirm"
              type="checkbox"
              value="on"
              {...form.register("confirm")}
              aria-invalid={confirmError ? true : undefined}
              aria-describedby="field-confirm-error"
              className="mt-0.5 h-5 w-5 shrink-0 rounded border-gray-500"
            />
            <label htmlFor="field-confirm" className="text-sm text-gray-900">
              I understand that closing my account signs me out everywhere, stops marketing e-mail and removes my
              personal details from MyAccount, and that it cannot be undone.
            </label>
          </div>
          <p id="field-confirm-error" className="min-h-5 text-sm text-red-800" aria-live="polite">
            {confirmError}
          </p>
        </div>
      </fieldset>
      <button
        type="submit"
        disabled={pending}
        aria-disabled={pending}
        className="rounded-md bg-red-700 px-4 py-2 font-semibold text-white hover:bg-red-800 disabled:opacity-70"
      >
        {pending ? "Closing…" : "Close my account"}
      </button>
    </form>
  );
}

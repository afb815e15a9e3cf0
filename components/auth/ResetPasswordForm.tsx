"use client";

import { resetPasswordSchema } from "@/lib/auth/schema";
import { FormMessage, SubmitButton } from "@/components/ui/FormMessage";
import { NewPasswordFields } from "./NewPasswordFields";
import { useActionForm, type FormAction } from "@/components/ui/form-hooks";

export function ResetPasswordForm({ action, token }: { action: FormAction<unknown>; token: string }) {
  const { form, state, pending, formAction, onSubmit, errorFor } = useActionForm(resetPasswordSchema, action, {
    token,
    password: "",
    confirmPassword: "",
  });
  return (
    <form action={formAction} onSubmit={onSubmit} noValidate className="space-y-4">
      <FormMessage id="reset-message" state={state} />
      {state && !state.ok && state.code === "resetLinkUsed" && (
        <p className="text-sm">
          <a className="font-medium text-brand-700 underline" href="/forgot-password">
            Ask for a new reset link
          </a>
        </p>
      )}
      <input type="hidden" {...form.register("token")} defaultValue={token} />
      <fieldset disabled={pending} className="space-y-2">
        <legend className="sr-only">Choose a new password</legend>
        <NewPasswordFields
          password={form.register("password")}
          confirmPassword={form.register("confirmPassword")}
          errorFor={errorFor}
        />
      </fieldset>
      <SubmitButton pending={pending} pendingText="Saving…">
        Set new password
      </SubmitButton>
    </form>
  );
}

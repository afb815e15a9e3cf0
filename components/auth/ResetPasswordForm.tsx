"use client";

import { resetPasswordSchema } from "@/lib/auth/schema";
import { Field } from "@/components/ui/Field";
import { FormMessage, SubmitButton } from "@/components/ui/FormMessage";
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
      <input type="hidden" {...form.register("token")} defaultValue={token} />
      <fieldset disabled={pending} className="space-y-2">
        <legend className="sr-only">Choose a new password</legend>
        <Field
          label="New password"
          type="password"
          hint="8 to 128 characters; 15 or more is best."
          maxLength={128}
          autoComplete="new-password"
          registration={form.register("password")}
          error={errorFor("password")}
        />
        <Field
          label="Confirm new password"
          type="password"
          maxLength={128}
          autoComplete="new-password"
          registration={form.register("confirmPassword")}
          error={errorFor("confirmPassword")}
        />
      </fieldset>
      <SubmitButton pending={pending} pendingText="Saving…">
        Set new password
      </SubmitButton>
    </form>
  );
}

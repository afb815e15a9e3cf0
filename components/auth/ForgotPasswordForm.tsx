"use client";

import { forgotPasswordSchema } from "@/lib/auth/schema";
import { Field } from "@/components/ui/Field";
import { FormMessage, SubmitButton } from "@/components/ui/FormMessage";
import { useActionForm, type FormAction } from "@/components/ui/form-hooks";

export function ForgotPasswordForm({ action }: { action: FormAction<undefined> }) {
  const { form, state, pending, formAction, onSubmit, errorFor, defaultValues } = useActionForm(
    forgotPasswordSchema,
    action,
    { identifier: "" },
  );
  return (
    <form action={formAction} onSubmit={onSubmit} noValidate className="space-y-4">
      <FormMessage id="forgot-message" state={state} />
      <fieldset disabled={pending}>
        <legend className="sr-only">Reset your password</legend>
        <Field
          label="Username, account number or e-mail address"
          registration={form.register("identifier")}
          defaultValue={defaultValues.identifier}
          error={errorFor("identifier")}
          maxLength={254}
          autoComplete="username"
        />
      </fieldset>
      <SubmitButton pending={pending} pendingText="Sending…">
        Send reset link
      </SubmitButton>
    </form>
  );
}

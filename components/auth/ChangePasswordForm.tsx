"use client";

import { changePasswordSchema } from "@/lib/auth/schema";
import { Field } from "@/components/ui/Field";
import { FormMessage, SubmitButton } from "@/components/ui/FormMessage";
import { NewPasswordFields } from "./NewPasswordFields";
import { useActionForm, type FormAction } from "@/components/ui/form-hooks";

export function ChangePasswordForm({ action }: { action: FormAction<undefined> }) {
  const { form, state, pending, formAction, onSubmit, errorFor } = useActionForm(changePasswordSchema, action, {
    currentPassword: "",
    password: "",
    confirmPassword: "",
  });
  return (
    <form action={formAction} onSubmit={onSubmit} noValidate className="space-y-4">
      <FormMessage id="password-message" state={state} />
      <fieldset disabled={pending} className="space-y-2">
        <legend className="sr-only">Change password</legend>
        <Field
          label="Current password"
          type="password"
          maxLength={128}
          autoComplete="current-password"
          registration={form.register("currentPassword")}
          error={errorFor("currentPassword")}
        />
        <NewPasswordFields
          password={form.register("password")}
          confirmPassword={form.register("confirmPassword")}
          errorFor={errorFor}
        />
      </fieldset>
      <SubmitButton pending={pending} pendingText="Changing…">
        Change password
      </SubmitButton>
    </form>
  );
}

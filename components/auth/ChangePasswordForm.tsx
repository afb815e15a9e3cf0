"use client";

import { changePasswordSchema } from "@/lib/auth/schema";
import { Field } from "@/components/ui/Field";
import { FormMessage, SubmitButton } from "@/components/ui/FormMessage";
import { PasswordOrPasskey, type PasskeyConfirmActions } from "@/components/two-step/UsePasskeyInstead";
import { NewPasswordFields } from "./NewPasswordFields";
import { useActionForm, type FormAction } from "@/components/ui/form-hooks";

export function ChangePasswordForm({
  action,
  passkey,
}: {
  action: FormAction<undefined>;
  /** Given when the person has a passkey: it can stand in for the current password. */
  passkey?: PasskeyConfirmActions;
}) {
  const { form, state, pending, formAction, onSubmit, errorFor } = useActionForm(changePasswordSchema, action, {
    currentPassword: "",
    passkeyConfirmed: false,
    password: "",
    confirmPassword: "",
  });
  return (
    <form action={formAction} onSubmit={onSubmit} noValidate className="space-y-4">
      <FormMessage id="password-message" state={state} />
      <fieldset disabled={pending} className="space-y-2">
        <legend className="sr-only">Change password</legend>
        <PasswordOrPasskey
          id="change-password"
          actions={passkey}
          expired={Boolean(state && !state.ok && state.fieldErrors?.currentPassword)}
          onConfirmed={() => {
            form.setValue("passkeyConfirmed", true);
            form.setValue("currentPassword", "");
            form.clearErrors("currentPassword");
          }}
          field={
            <Field
              label="Current password"
              type="password"
              maxLength={128}
              autoComplete="current-password"
              registration={form.register("currentPassword")}
              error={errorFor("currentPassword")}
            />
          }
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

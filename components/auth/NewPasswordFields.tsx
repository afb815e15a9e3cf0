"use client";

import type { UseFormRegisterReturn } from "react-hook-form";
import { Field } from "@/components/ui/Field";

/**
 * "New password" and "Confirm new password", with the same limits wherever a password is chosen
 * (reset link, Security page). The schema's refinements check them; this keeps the fields alike.
 */
export function NewPasswordFields({
  password,
  confirmPassword,
  errorFor,
}: {
  password: UseFormRegisterReturn;
  confirmPassword: UseFormRegisterReturn;
  errorFor: (name: string) => string | undefined;
}) {
  return (
    <>
      <Field
        label="New password"
        type="password"
        hint="8 to 128 characters; 15 or more is best."
        maxLength={128}
        autoComplete="new-password"
        registration={password}
        error={errorFor(password.name)}
      />
      <Field
        label="Confirm new password"
        type="password"
        maxLength={128}
        autoComplete="new-password"
        registration={confirmPassword}
        error={errorFor(confirmPassword.name)}
      />
    </>
  );
}

"use client";

import { registerSchema } from "@/lib/auth/schema";
import { Checkbox, Field } from "@/components/ui/Field";
import { FormMessage, SubmitButton } from "@/components/ui/FormMessage";
import { useActionForm, type FormAction } from "@/components/ui/form-hooks";

export function RegisterForm({ action }: { action: FormAction<unknown> }) {
  const { form, state, pending, formAction, onSubmit, errorFor, defaultValues } = useActionForm(
    registerSchema,
    action,
    { accountNumber: "", serviceZip: "", username: "", email: "", password: "", confirmPassword: "" },
  );
  const text = (name: "accountNumber" | "serviceZip" | "username" | "email") => ({
    registration: form.register(name),
    defaultValue: defaultValues[name],
    error: errorFor(name),
  });
  return (
    <form action={formAction} onSubmit={onSubmit} noValidate className="space-y-4">
      <FormMessage id="register-message" state={state} />
      <fieldset disabled={pending} className="space-y-2">
        <legend className="text-lg font-semibold">Find your account</legend>
        <Field
          label="Account number"
          hint="The digits printed on your bill."
          inputMode="numeric"
          maxLength={12}
          autoComplete="off"
          {...text("accountNumber")}
        />
        <Field
          label="Service ZIP code"
          inputMode="numeric"
          maxLength={10}
          autoComplete="postal-code"
          {...text("serviceZip")}
        />
      </fieldset>
      <fieldset disabled={pending} className="space-y-2">
        <legend className="text-lg font-semibold">Choose your sign-in</legend>
        <Field
          label="Username"
          hint="3–32 letters, digits, dots, hyphens or underscores."
          maxLength={32}
          autoComplete="username"
          {...text("username")}
        />
        <Field label="E-mail address" type="email" maxLength={254} autoComplete="email" {...text("email")} />
        <Field
          label="Password"
          type="password"
          hint="8 to 128 characters; 15 or more is best. A long phrase is easier to remember than symbols."
          maxLength={128}
          autoComplete="new-password"
          registration={form.register("password")}
          error={errorFor("password")}
        />
        <Field
          label="Confirm password"
          type="password"
          maxLength={128}
          autoComplete="new-password"
          registration={form.register("confirmPassword")}
          error={errorFor("confirmPassword")}
        />
        <Checkbox label="I am 13 or older" registration={form.register("over13")} error={errorFor("over13")} />
        <Checkbox
          label="I would like to receive special offers and information on products and services"
          registration={form.register("offers")}
          defaultChecked={defaultValues.offers === "on"}
        />
      </fieldset>
      <SubmitButton pending={pending} pendingText="Creating your account…">
        Create my online account
      </SubmitButton>
    </form>
  );
}

"use client";

import { Field } from "@/components/ui/Field";
import { FormMessage, SubmitButton } from "@/components/ui/FormMessage";
import { useActionForm, type FormAction } from "@/components/ui/form-hooks";
import { emptySchema } from "@/lib/auth/schema";
import { authenticatorCodeSchema, recoveryCodeSchema } from "@/lib/two-step/schema";

/** The 6-digit code from an authenticator app; a plain form, so it works with JavaScript off. */
export function AuthenticatorCodeForm({ action, next }: { action: FormAction<unknown>; next: string }) {
  const { form, state, pending, formAction, onSubmit, errorFor } = useActionForm(authenticatorCodeSchema, action, {
    code: "",
  });
  return (
    <form action={formAction} onSubmit={onSubmit} noValidate className="space-y-3" aria-describedby="code-message">
      <FormMessage id="code-message" state={state} />
      <input type="hidden" name="next" value={next} />
      <Field
        label="6-digit code"
        hint="Open your authenticator app and enter the code it shows for MyAccount."
        registration={form.register("code")}
        error={errorFor("code")}
        inputMode="numeric"
        autoComplete="one-time-code"
        pattern="[0-9 ]*"
        maxLength={7}
        required
      />
      <SubmitButton pending={pending} pendingText="Checking…">
        Verify
      </SubmitButton>
    </form>
  );
}

/** A recovery code, for when the phone or passkey is not at hand; each code works once. */
export function RecoveryCodeForm({ action, next }: { action: FormAction<unknown>; next: string }) {
  const { form, state, pending, formAction, onSubmit, errorFor } = useActionForm(recoveryCodeSchema, action, {
    recoveryCode: "",
  });
  return (
    <form action={formAction} onSubmit={onSubmit} noValidate className="space-y-3" aria-describedby="recovery-message">
      <FormMessage id="recovery-message" state={state} />
      <input type="hidden" name="next" value={next} />
      <Field
        label="Recovery code"
        hint="One of the ten codes you saved when you set up two-step sign-in, like abcd-efgh-jkmn."
        registration={form.register("recoveryCode")}
        error={errorFor("recoveryCode")}
        autoComplete="off"
        autoCapitalize="none"
        spellCheck={false}
        maxLength={64}
        required
      />
      <SubmitButton pending={pending} pendingText="Checking…">
        Use recovery code
      </SubmitButton>
    </form>
  );
}

/** Ends the partial sign-in and goes back to /login. */
export function CancelSignInForm({ action }: { action: FormAction<unknown> }) {
  const { state, pending, formAction } = useActionForm(emptySchema, action, {});
  return (
    <form action={formAction} aria-describedby="cancel-message">
      <FormMessage id="cancel-message" state={state} />
      <button
        type="submit"
        disabled={pending}
        className="text-sm font-medium text-brand-700 underline disabled:opacity-70"
      >
        Cancel and sign out
      </button>
    </form>
  );
}

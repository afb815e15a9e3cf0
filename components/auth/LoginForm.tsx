"use client";

import { useEffect, useRef } from "react";
import { signInSchema } from "@/lib/auth/schema";
import { Checkbox, Field } from "@/components/ui/Field";
import { FormMessage, SubmitButton } from "@/components/ui/FormMessage";
import { useActionForm, type FormAction } from "@/components/ui/form-hooks";

export function LoginForm({
  action,
  rememberedUsername,
  next,
  rememberHint,
}: {
  action: FormAction<unknown>;
  rememberedUsername: string;
  next: string;
  /** Why ticking the box sets a cookie, for someone who has not allowed functional cookies. */
  rememberHint?: string;
}) {
  const { form, state, pending, formAction, onSubmit, errorFor, defaultValues } = useActionForm(signInSchema, action, {
    identifier: rememberedUsername,
    password: "",
    remember: Boolean(rememberedUsername),
    next,
  });
  const timeZoneRef = useRef<HTMLInputElement>(null);
  useEffect(() => {
    if (timeZoneRef.current) timeZoneRef.current.value = Intl.DateTimeFormat().resolvedOptions().timeZone ?? "";
  }, []);
  return (
    <form action={formAction} onSubmit={onSubmit} noValidate className="space-y-4" aria-describedby="login-message">
      <FormMessage id="login-message" state={state} />
      {state && !state.ok && state.code === "tooManyAttempts" && (
        <p className="text-sm">
          {/* A plain link: the way in now, with or without JavaScript. */}
          <a className="font-medium text-brand-700 underline" href="/forgot-password">
            Reset your password to sign in now
          </a>
        </p>
      )}
      <fieldset disabled={pending} className="space-y-2">
        <legend className="sr-only">Sign in</legend>
        <input type="hidden" {...form.register("next")} defaultValue={next} />
        {/* Filled in by script after hydration: without JavaScript the service address's zone applies. */}
        <input type="hidden" name="timeZone" ref={timeZoneRef} />
        <Field
          label="Username or account number"
          registration={form.register("identifier")}
          defaultValue={defaultValues.identifier}
          error={errorFor("identifier")}
          autoComplete="username"
          maxLength={254}
          required
        />
        <Field
          label="Password"
          type="password"
          registration={form.register("password")}
          error={errorFor("password")}
          autoComplete="current-password"
          maxLength={128}
          required
        />
        <Checkbox
          label="Remember my username"
          registration={form.register("remember")}
          defaultChecked={Boolean(rememberedUsername)}
          hint={rememberHint}
        />
      </fieldset>
      <SubmitButton pending={pending} pendingText="Signing in…">
        Sign in
      </SubmitButton>
    </form>
  );
}

"use client";

import { useEffect, useRef, useState, useTransition } from "react";
import { useForm } from "react-hook-form";
import { zodResolver } from "@hookform/resolvers/zod";
import { Field } from "@/components/ui/Field";
import { FormMessage } from "@/components/ui/FormMessage";
import type { ActionResult } from "@/lib/actions/result";
import { reauthPasswordSchema } from "@/lib/two-step/manage-schema";
import { confirmWithPasskey } from "./passkey-ceremony";
import { buttonPrimary, buttonSecondary, formData, type TwoStepActions } from "./types";

/**
 * "Confirm it's you": shown inline where a change was refused for want of a fresh verification.
 * The password, or one of the person's passkeys; either marks the session verified for 5 minutes,
 * then the change that asked goes ahead by itself (onConfirmed).
 */
export function ConfirmItsYou({
  actions,
  hasPasskey,
  onConfirmed,
  onCancel,
}: {
  actions: Pick<TwoStepActions, "reauthPassword" | "reauthPasskeyOptions" | "reauthPasskey">;
  hasPasskey: boolean;
  onConfirmed: () => void;
  onCancel: () => void;
}) {
  const [state, setState] = useState<ActionResult<undefined> | null>(null);
  const [pending, startTransition] = useTransition();
  const heading = useRef<HTMLHeadingElement>(null);
  const form = useForm<{ password: string }>({
    resolver: zodResolver(reauthPasswordSchema),
    defaultValues: { password: "" },
  });

  // Keyboard and screen-reader users land on the panel that appeared, not somewhere above it.
  useEffect(() => heading.current?.focus(), []);

  function finish(result: ActionResult<undefined>) {
    setState(result);
    if (!result.ok) {
      const fieldError = result.fieldErrors?.currentPassword?.[0] ?? result.fieldErrors?.password?.[0];
      if (fieldError) form.setError("password", { type: "server", message: fieldError });
      return;
    }
    onConfirmed();
  }

  const submit = form.handleSubmit(({ password }) =>
    startTransition(async () => finish(await actions.reauthPassword(null, formData({ password })))),
  );

  return (
    <div
      role="group"
      aria-labelledby="confirm-heading"
      className="space-y-3 rounded-md border-2 border-brand-600 bg-brand-50 p-4"
      data-testid="confirm-its-you"
    >
      <h3 id="confirm-heading" ref={heading} tabIndex={-1} className="text-lg font-semibold">
        Confirm it&apos;s you
      </h3>
      <p className="text-sm text-gray-800">
        Changing how you sign in needs your password or a passkey again. You won&apos;t be asked again for 5 minutes.
      </p>
      <FormMessage id="confirm-message" state={state && !state.ok ? state : null} />
      <form onSubmit={submit} noValidate className="space-y-2">
        <fieldset disabled={pending} className="space-y-2">
          <legend className="sr-only">Confirm with your password</legend>
          <Field
            id="confirm-password"
            label="Your password"
            type="password"
            maxLength={128}
            autoComplete="current-password"
            registration={form.register("password")}
            error={form.formState.errors.password?.message}
          />
        </fieldset>
        <div className="flex flex-wrap gap-2">
          <button type="submit" disabled={pending} className={buttonPrimary}>
            {pending ? "Checking…" : "Confirm"}
          </button>
          {hasPasskey && (
            <button
              type="button"
              disabled={pending}
              className={buttonSecondary}
              onClick={() =>
                startTransition(async () =>
                  finish(await confirmWithPasskey(actions.reauthPasskeyOptions, actions.reauthPasskey)),
                )
              }
            >
              Use a passkey
            </button>
          )}
          <button type="button" disabled={pending} className={buttonSecondary} onClick={onCancel}>
            Cancel
          </button>
        </div>
      </form>
    </div>
  );
}

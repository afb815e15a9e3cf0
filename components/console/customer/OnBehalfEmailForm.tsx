"use client";

import { useActionState } from "react";
import type { ActionResult } from "@/lib/actions/result";
import { onBehalfEmailSchema } from "@/lib/console/customer-schema";
import { Field } from "@/components/ui/Field";
import { FormMessage, SubmitButton } from "@/components/ui/FormMessage";
import { useActionForm, type FormAction } from "@/components/ui/form-hooks";
import { PendingChange } from "@/components/profile/EmailSection";

type Simple = (prev: unknown, data: FormData) => Promise<ActionResult<unknown>>;

/**
 * The customer's e-mail address, changed at their request: a link goes to the new address and the
 * address changes only when the customer follows it. Unlike the customer's own form there is no
 * password field: a rep never knows (or asks for) the customer's password.
 */
export function OnBehalfEmailForm({
  email,
  version,
  pending,
  change,
  resend,
  cancel,
}: {
  email: string;
  version: number;
  pending: { newEmail: string; expiresAt: string } | null;
  change: FormAction<unknown>;
  resend: Simple;
  cancel: Simple;
}) {
  const {
    form,
    state,
    pending: saving,
    formAction,
    onSubmit,
    errorFor,
    defaultValues,
  } = useActionForm(onBehalfEmailSchema, change, { version: String(version), newEmail: "" });
  const [resendState, resendAction, resending] = useActionState(resend, null);
  const [cancelState, cancelAction, cancelling] = useActionState(cancel, null);
  return (
    <div className="space-y-4">
      <p>
        Current address: <strong className="break-all">{email || "none"}</strong>
      </p>
      {pending && (
        <PendingChange
          resendAction={resendAction}
          cancelAction={cancelAction}
          resending={resending}
          cancelling={cancelling}
          labels={{ resend: "Resend the link", cancel: "Cancel the change" }}
        >
          Waiting for the customer to confirm <strong className="break-all">{pending.newEmail}</strong> (the link works
          until {pending.expiresAt}).
        </PendingChange>
      )}
      <FormMessage id="pending-email-message" state={cancelState ?? resendState} />
      <form action={formAction} onSubmit={onSubmit} noValidate className="space-y-3" aria-label="Change e-mail address">
        <FormMessage id="email-message" state={state} />
        <input type="hidden" {...form.register("version")} defaultValue={String(defaultValues.version)} />
        <fieldset disabled={saving} className="max-w-md">
          <legend className="sr-only">Change the customer&apos;s e-mail address</legend>
          <Field
            label="New e-mail address"
            type="email"
            hint="We send the customer a link there; the address changes when they follow it."
            registration={form.register("newEmail")}
            defaultValue={defaultValues.newEmail}
            error={errorFor("newEmail")}
            autoComplete="off"
            maxLength={254}
          />
        </fieldset>
        <SubmitButton pending={saving} pendingText="Sending link…">
          Send confirmation link
        </SubmitButton>
      </form>
    </div>
  );
}

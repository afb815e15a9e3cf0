"use client";

import { accessReasonSchema, accessReasons, GRANT_MINUTES } from "@/lib/access/schema";
import { Field, SelectField } from "@/components/ui/Field";
import { FormMessage, SubmitButton } from "@/components/ui/FormMessage";
import { useActionForm, type FormAction } from "@/components/ui/form-hooks";

const reasonOptions = Object.entries(accessReasons).map(([value, label]) => ({ value, label }));

/**
 * Why the staff member opens this customer: asked before anything personal is shown. Both text
 * fields are always there (they must work with JavaScript off); the schema says which one the
 * chosen reason needs.
 */
export function ReasonForm({ action }: { action: FormAction<unknown> }) {
  const { form, state, pending, formAction, onSubmit, errorFor, defaultValues } = useActionForm(
    accessReasonSchema,
    action,
    { reason: "", reasonText: "", reference: "" },
  );
  return (
    <form
      action={formAction}
      onSubmit={onSubmit}
      noValidate
      className="max-w-xl space-y-3"
      aria-label="Reason for opening this customer"
    >
      <FormMessage id="reason-message" state={state} />
      <fieldset disabled={pending} className="space-y-1">
        <legend className="sr-only">Why you need this customer&apos;s details</legend>
        <SelectField
          label="Reason"
          registration={form.register("reason")}
          defaultValue={defaultValues.reason}
          error={errorFor("reason")}
          placeholder="Choose a reason"
          options={reasonOptions}
        />
        <Field
          label="Details"
          hint="Required for “Other”: say why, in a few words. The customer reads it."
          registration={form.register("reasonText")}
          defaultValue={defaultValues.reasonText}
          error={errorFor("reasonText")}
          maxLength={200}
          autoComplete="off"
        />
        <Field
          label="Register reference"
          hint="Required for a lawful request: its reference in the lawful-request register, e.g. LR-2026-014."
          registration={form.register("reference")}
          defaultValue={defaultValues.reference}
          error={errorFor("reference")}
          maxLength={60}
          autoComplete="off"
        />
      </fieldset>
      <SubmitButton pending={pending} pendingText="Opening…">
        {`Open for ${GRANT_MINUTES} minutes`}
      </SubmitButton>
    </form>
  );
}

"use client";

import type { UseFormRegisterReturn } from "react-hook-form";
import { useActionForm, type FormAction } from "@/components/ui/form-hooks";
import { Checkbox, Field } from "@/components/ui/Field";
import { FormMessage, SubmitButton } from "@/components/ui/FormMessage";
import { useHydrated } from "@/components/ui/use-hydrated";
import { LAWFUL_MAX_CUSTOMERS, emptyLawfulRequest, lawfulRequestSchema } from "@/lib/lawful/schema";

/**
 * Records one entry of the lawful-request register. Works without JavaScript (the server checks
 * the same schema and names unknown account numbers); after a save the form empties for the next
 * entry. The restriction's basis is asked for only when notice is restricted (always shown without
 * JavaScript, with a hint that it is needed only then).
 */
export function LawfulRequestForm({
  action,
  today,
}: {
  action: FormAction<{ values: Record<string, string | boolean> }>;
  /** The server's date (YYYY-MM-DD): the date field's latest allowed value. */
  today: string;
}) {
  const { form, state, pending, formAction, onSubmit, errorFor, defaultValues } = useActionForm(
    lawfulRequestSchema,
    action,
    emptyLawfulRequest,
  );
  const hydrated = useHydrated();
  const restricted = form.watch("restricted");
  const wasRestricted = defaultValues.restricted === true || defaultValues.restricted === "on";
  return (
    <form
      action={formAction}
      onSubmit={onSubmit}
      noValidate
      className="space-y-4"
      aria-labelledby="record-heading"
      data-testid="lawful-form"
    >
      <FormMessage id="lawful-message" state={state} />
      <div className="grid gap-x-6 sm:grid-cols-2">
        <Field
          label="Requesting authority"
          hint="Who asked, e.g. “Denver Police Department, Detective J. Smith”."
          registration={form.register("authority")}
          defaultValue={defaultValues.authority}
          maxLength={200}
          error={errorFor("authority")}
        />
        <Field
          label="Legal basis"
          hint="The statute, subpoena, court order or warrant."
          registration={form.register("legalBasis")}
          defaultValue={defaultValues.legalBasis}
          maxLength={300}
          error={errorFor("legalBasis")}
        />
        <Field
          label="Register reference"
          hint="Unique, e.g. LR-2026-014. Staff quote it as the reason when opening a customer's data."
          registration={form.register("reference")}
          defaultValue={defaultValues.reference}
          maxLength={60}
          autoComplete="off"
          error={errorFor("reference")}
        />
        <Field
          label="Date received"
          type="date"
          max={today}
          min="2000-01-01"
          registration={form.register("receivedOn")}
          defaultValue={defaultValues.receivedOn}
          error={errorFor("receivedOn")}
        />
      </div>
      <TextArea
        label="What was disclosed"
        hint="In words, e.g. “Name, service address and call records 1–30 Nov 2026”. Unless notice is restricted, each customer reads this."
        registration={form.register("disclosed")}
        defaultValue={String(defaultValues.disclosed ?? "")}
        maxLength={2000}
        rows={3}
        error={errorFor("disclosed")}
      />
      <TextArea
        label="Affected customers (account numbers)"
        hint={`One per line, or separated by commas; at most ${LAWFUL_MAX_CUSTOMERS}. Each must be an existing customer.`}
        registration={form.register("accounts")}
        defaultValue={String(defaultValues.accounts ?? "")}
        maxLength={2000}
        rows={4}
        inputMode="numeric"
        error={errorFor("accounts")}
      />
      <fieldset className="space-y-2 rounded-md border border-gray-300 p-3">
        <legend className="px-1 font-semibold">Notice to the customers</legend>
        <Checkbox
          label="Legally restricted from notice"
          hint="Ticked: the customers are not shown this disclosure (not in their account activity nor their data download)."
          registration={form.register("restricted")}
          defaultChecked={wasRestricted}
          error={errorFor("restricted")}
        />
        {(!hydrated || restricted) && (
          <TextArea
            label="Basis of the restriction"
            hint={
              hydrated
                ? "What forbids telling them, e.g. the court order's non-disclosure clause."
                : "Needed only when notice is restricted: what forbids telling them."
            }
            registration={form.register("restrictionBasis")}
            defaultValue={String(defaultValues.restrictionBasis ?? "")}
            maxLength={500}
            rows={2}
            error={errorFor("restrictionBasis")}
          />
        )}
      </fieldset>
      <SubmitButton pending={pending} pendingText="Recording…">
        Record the request
      </SubmitButton>
    </form>
  );
}

function TextArea({
  label,
  hint,
  registration,
  defaultValue,
  maxLength,
  rows,
  inputMode,
  error,
}: {
  label: string;
  hint?: string;
  registration: UseFormRegisterReturn;
  defaultValue: string;
  maxLength: number;
  rows: number;
  inputMode?: "numeric";
  error?: string;
}) {
  const id = `field-${registration.name}`;
  const describedBy = [hint ? `${id}-hint` : "", error ? `${id}-error` : ""].filter(Boolean).join(" ");
  return (
    <div className="space-y-1">
      <label htmlFor={id} className="block text-sm font-medium text-gray-900">
        {label}
      </label>
      {hint && (
        <p id={`${id}-hint`} className="text-sm text-gray-600">
          {hint}
        </p>
      )}
      <textarea
        id={id}
        {...registration}
        defaultValue={defaultValue}
        maxLength={maxLength}
        rows={rows}
        inputMode={inputMode}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy || undefined}
        className={`block w-full rounded-md border px-3 py-2 text-gray-900 shadow-sm ${
          error ? "border-red-700" : "border-gray-400"
        }`}
      />
      <p id={`${id}-error`} className="min-h-5 text-sm text-red-800" aria-live="polite">
        {error}
      </p>
    </div>
  );
}

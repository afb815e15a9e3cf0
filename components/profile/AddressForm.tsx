"use client";

import { addressSchema } from "@/lib/profile/schema";
import type { AddressValues } from "@/lib/profile/queries";
import { US_STATES } from "@/lib/profile/us";
import { Checkbox, Field, SelectField } from "@/components/ui/Field";
import { FormMessage } from "@/components/ui/FormMessage";
import { useActionForm, type FormAction } from "@/components/ui/form-hooks";
import { useHydrated } from "@/components/ui/use-hydrated";
import { FormButtons, type EditorControls } from "./FormButtons";

const stateOptions = Object.entries(US_STATES).map(([value, label]) => ({ value, label }));

export function AddressForm({
  action,
  initial,
  editor,
}: {
  action: FormAction<unknown>;
  initial: AddressValues & { version: number | string };
  editor?: EditorControls;
}) {
  const { version, billingSameAsService, ...lines } = initial;
  const { form, state, pending, formAction, onSubmit, errorFor, defaultValues } = useActionForm(
    addressSchema,
    action,
    {
      ...lines,
      billingSameAsService,
      version: String(version),
    },
    editor,
  );
  const same = form.watch("billingSameAsService");
  // Without JavaScript both address blocks show; with it, billing hides while "same" is ticked.
  const hydrated = useHydrated();
  const hideBilling = hydrated && (same === true || same === "on" || same === "true");
  const field = (name: keyof typeof lines, label: string, extra: Record<string, unknown> = {}) => (
    <Field
      label={label}
      registration={form.register(name)}
      defaultValue={defaultValues[name]}
      error={errorFor(name)}
      {...extra}
    />
  );
  // A browser sends an unticked box as nothing at all: when the form comes back with what was
  // posted (an error, without JavaScript), a missing box means the customer unticked it.
  const posted = state && !state.ok ? state.values : undefined;
  const sameDefault = posted
    ? posted.billingSameAsService === "on" || posted.billingSameAsService === "true"
    : defaultValues.billingSameAsService === true || defaultValues.billingSameAsService === "on";
  return (
    <form action={formAction} onSubmit={onSubmit} noValidate className="space-y-3" aria-label="Addresses">
      <FormMessage id="address-message" state={state} />
      <input type="hidden" {...form.register("version")} defaultValue={String(defaultValues.version)} />
      <fieldset disabled={pending} className="grid gap-x-4 sm:grid-cols-2">
        <legend className="mb-2 font-semibold">Service address</legend>
        {field("serviceLine1", "Street address", { autoComplete: "address-line1", maxLength: 100 })}
        {field("serviceLine2", "Apartment, suite, unit (optional)", { autoComplete: "address-line2", maxLength: 100 })}
        {field("serviceCity", "City", { autoComplete: "address-level2", maxLength: 60 })}
        <SelectField
          label="State"
          registration={form.register("serviceState")}
          defaultValue={defaultValues.serviceState}
          error={errorFor("serviceState")}
          options={stateOptions}
          placeholder="Choose a state"
          autoComplete="address-level1"
        />
        {field("serviceZip", "ZIP code", { autoComplete: "postal-code", inputMode: "numeric", maxLength: 10 })}
      </fieldset>
      <Checkbox
        label="Billing address is the same as service address"
        registration={form.register("billingSameAsService")}
        defaultChecked={sameDefault}
      />
      <fieldset disabled={pending} hidden={hideBilling} className="grid gap-x-4 sm:grid-cols-2">
        <legend className="mb-2 font-semibold">Billing address</legend>
        {!hydrated && (
          <p className="text-sm text-gray-700 sm:col-span-2">Leave empty when it is the same as the service address.</p>
        )}
        {field("billingLine1", "Billing street address", { autoComplete: "billing address-line1", maxLength: 100 })}
        {field("billingLine2", "Billing apartment, suite, unit (optional)", {
          autoComplete: "billing address-line2",
          maxLength: 100,
        })}
        {field("billingCity", "Billing city", { autoComplete: "billing address-level2", maxLength: 60 })}
        <SelectField
          label="Billing state"
          registration={form.register("billingState")}
          defaultValue={defaultValues.billingState}
          error={errorFor("billingState")}
          options={stateOptions}
          placeholder="Choose a state"
          autoComplete="billing address-level1"
        />
        {field("billingZip", "Billing ZIP code", {
          autoComplete: "billing postal-code",
          inputMode: "numeric",
          maxLength: 10,
        })}
      </fieldset>
      <FormButtons state={state} pending={pending} saveLabel="Save addresses" editor={editor} />
    </form>
  );
}

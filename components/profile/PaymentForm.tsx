"use client";

import { paymentSchema } from "@/lib/profile/schema";
import { Field, SelectField } from "@/components/ui/Field";
import { FormMessage } from "@/components/ui/FormMessage";
import { useActionForm, type FormAction } from "@/components/ui/form-hooks";
import { useHydrated } from "@/components/ui/use-hydrated";
import { FormButtons, type EditorControls } from "./FormButtons";

const months = Array.from({ length: 12 }, (_, i) => ({ value: String(i + 1), label: String(i + 1).padStart(2, "0") }));

export function PaymentForm({
  action,
  initial: { version, onFile },
  editor,
}: {
  action: FormAction<unknown>;
  initial: { version: number | string; onFile: string | null };
  editor?: EditorControls;
}) {
  const thisYear = new Date().getUTCFullYear();
  const years = Array.from({ length: 16 }, (_, i) => ({ value: String(thisYear + i), label: String(thisYear + i) }));
  const { form, state, pending, formAction, onSubmit, errorFor, defaultValues } = useActionForm(
    paymentSchema,
    action,
    {
      version: String(version),
      kind: "card",
      cardName: "",
      cardNumber: "",
      expMonth: "",
      expYear: "",
      accountHolder: "",
      accountType: "checking",
      routingNumber: "",
      bankAccountNumber: "",
    },
    editor,
  );
  // Without JavaScript both blocks show; with it, only the chosen kind's.
  const hydrated = useHydrated();
  const kind = form.watch("kind");
  const kindDefault = defaultValues.kind === "bank" ? "bank" : "card";
  return (
    <div className="space-y-4">
      <p data-testid="payment-on-file">
        {onFile ? (
          <>
            On file: <strong>{onFile}</strong>
          </>
        ) : (
          "No payment method on file."
        )}
      </p>
      <form
        action={formAction}
        onSubmit={onSubmit}
        noValidate
        className="space-y-3"
        aria-label="Payment method"
        autoComplete="on"
      >
        <FormMessage id="payment-message" state={state} />
        <input type="hidden" {...form.register("version")} defaultValue={String(defaultValues.version)} />
        <fieldset disabled={pending} className="space-y-1">
          <legend className="font-semibold">{onFile ? "Replace it with" : "Add"}</legend>
          <div className="flex gap-6">
            {(["card", "bank"] as const).map((k) => (
              <label key={k} className="flex items-center gap-2">
                <input type="radio" value={k} {...form.register("kind")} defaultChecked={kindDefault === k} />
                {k === "card" ? "Credit or debit card" : "Bank account"}
              </label>
            ))}
          </div>
        </fieldset>
        <fieldset disabled={pending} hidden={hydrated && kind !== "card"} className="grid gap-x-4 sm:grid-cols-2">
          <legend className="mb-2 font-semibold">Card</legend>
          <Field
            label="Name on card"
            registration={form.register("cardName")}
            defaultValue={defaultValues.cardName}
            error={errorFor("cardName")}
            autoComplete="cc-name"
            maxLength={80}
          />
          <Field
            label="Card number"
            registration={form.register("cardNumber")}
            error={errorFor("cardNumber")}
            autoComplete="cc-number"
            inputMode="numeric"
            maxLength={30}
          />
          <SelectField
            label="Expiry month"
            registration={form.register("expMonth")}
            defaultValue={defaultValues.expMonth}
            error={errorFor("expMonth")}
            options={months}
            placeholder="Month"
            autoComplete="cc-exp-month"
          />
          <SelectField
            label="Expiry year"
            registration={form.register("expYear")}
            defaultValue={defaultValues.expYear}
            error={errorFor("expYear")}
            options={years}
            placeholder="Year"
            autoComplete="cc-exp-year"
          />
        </fieldset>
        <fieldset disabled={pending} hidden={hydrated && kind !== "bank"} className="grid gap-x-4 sm:grid-cols-2">
          <legend className="mb-2 font-semibold">Bank account</legend>
          <Field
            label="Account holder name"
            registration={form.register("accountHolder")}
            defaultValue={defaultValues.accountHolder}
            error={errorFor("accountHolder")}
            maxLength={80}
            autoComplete="name"
          />
          <SelectField
            label="Account type"
            registration={form.register("accountType")}
            defaultValue={defaultValues.accountType}
            error={errorFor("accountType")}
            options={[
              { value: "checking", label: "Checking" },
              { value: "savings", label: "Savings" },
            ]}
          />
          <Field
            label="Routing number"
            registration={form.register("routingNumber")}
            defaultValue={defaultValues.routingNumber}
            error={errorFor("routingNumber")}
            inputMode="numeric"
            maxLength={9}
            autoComplete="off"
          />
          <Field
            label="Account number"
            registration={form.register("bankAccountNumber")}
            error={errorFor("bankAccountNumber")}
            inputMode="numeric"
            maxLength={30}
            autoComplete="off"
          />
        </fieldset>
        <p className="text-sm text-gray-700">
          We show only the last four digits. The full number is encrypted and sent only over HTTPS.
        </p>
        <FormButtons state={state} pending={pending} saveLabel="Save payment method" editor={editor} />
      </form>
    </div>
  );
}

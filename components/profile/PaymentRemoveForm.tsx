"use client";

import { paymentRemoveSchema } from "@/lib/profile/schema";
import { FormMessage } from "@/components/ui/FormMessage";
import { useActionForm, type FormAction } from "@/components/ui/form-hooks";
import { FormButtons, type EditorControls } from "./FormButtons";

/** "Remove" asks once more, naming what goes: the confirmation is this form's own submit button. */
export function PaymentRemoveForm({
  action,
  initial,
  editor,
}: {
  action: FormAction<unknown>;
  initial: { version: number | string; onFile: string | null };
  editor?: EditorControls;
}) {
  const { form, state, pending, formAction, onSubmit, defaultValues } = useActionForm(
    paymentRemoveSchema,
    action,
    { version: String(initial.version) },
    editor,
  );
  return (
    <form action={formAction} onSubmit={onSubmit} noValidate className="space-y-3" aria-label="Remove payment method">
      <FormMessage id="payment-remove-message" state={state} />
      <input type="hidden" {...form.register("version")} defaultValue={String(defaultValues.version)} />
      <p>
        Remove <strong>{initial.onFile ?? "the payment method on file"}</strong>? Your bill will no longer be paid
        automatically; you can add a payment method again at any time.
      </p>
      <FormButtons
        state={state}
        pending={pending}
        saveLabel="Remove payment method"
        pendingText="Removing…"
        editor={editor}
      />
    </form>
  );
}

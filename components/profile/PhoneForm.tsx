"use client";

import { phoneSchema } from "@/lib/profile/schema";
import { Field } from "@/components/ui/Field";
import { FormMessage } from "@/components/ui/FormMessage";
import { useActionForm, type FormAction } from "@/components/ui/form-hooks";
import { FormButtons, type EditorControls } from "./FormButtons";

export function PhoneForm({
  action,
  initial,
  editor,
}: {
  action: FormAction<unknown>;
  initial: { phone: string; version: number | string };
  editor?: EditorControls;
}) {
  const { form, state, pending, formAction, onSubmit, errorFor, defaultValues } = useActionForm(
    phoneSchema,
    action,
    {
      phone: initial.phone,
      version: String(initial.version),
    },
    editor,
  );
  return (
    <form action={formAction} onSubmit={onSubmit} noValidate className="space-y-3" aria-label="Phone">
      <FormMessage id="phone-message" state={state} />
      <input type="hidden" {...form.register("version")} defaultValue={String(defaultValues.version)} />
      <fieldset disabled={pending} className="max-w-sm">
        <legend className="sr-only">Your phone number</legend>
        <Field
          label="Phone number"
          type="tel"
          hint="A US number, e.g. (303) 555-0123. Leave empty to remove it."
          registration={form.register("phone")}
          defaultValue={defaultValues.phone}
          error={errorFor("phone")}
          autoComplete="tel-national"
          maxLength={25}
        />
      </fieldset>
      <FormButtons state={state} pending={pending} saveLabel="Save phone number" editor={editor} />
    </form>
  );
}

"use client";

import { timeZoneSchema } from "@/lib/profile/schema";
import { timeZoneChoices } from "@/lib/time-zone";
import { SelectField } from "@/components/ui/Field";
import { FormMessage } from "@/components/ui/FormMessage";
import { useActionForm, type FormAction } from "@/components/ui/form-hooks";
import { FormButtons, type EditorControls } from "./FormButtons";

/** The zone every time on the site is shown in; a zone the browser reported and the list lacks stays on offer. */
export function TimeZoneForm({
  action,
  initial,
  editor,
}: {
  action: FormAction<unknown>;
  initial: { timeZone: string };
  editor?: EditorControls;
}) {
  const { form, state, pending, formAction, onSubmit, errorFor, defaultValues } = useActionForm(
    timeZoneSchema,
    action,
    { timeZone: initial.timeZone },
    editor,
  );
  const options = timeZoneChoices.map((z): { value: string; label: string } => ({ value: z.id, label: z.label }));
  if (!options.some((o) => o.value === initial.timeZone)) {
    options.unshift({ value: initial.timeZone, label: initial.timeZone.replaceAll("_", " ") });
  }
  return (
    <form action={formAction} onSubmit={onSubmit} noValidate className="space-y-3" aria-label="Time zone">
      <FormMessage id="time-zone-message" state={state} />
      <fieldset disabled={pending} className="max-w-sm">
        <legend className="sr-only">Your time zone</legend>
        <SelectField
          label="Time zone"
          registration={form.register("timeZone")}
          defaultValue={String(defaultValues.timeZone)}
          error={errorFor("timeZone")}
          options={options}
        />
      </fieldset>
      <FormButtons state={state} pending={pending} saveLabel="Save time zone" editor={editor} />
    </form>
  );
}

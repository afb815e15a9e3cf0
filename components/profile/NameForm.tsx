"use client";

import { nameSchema } from "@/lib/profile/schema";
import { Field } from "@/components/ui/Field";
import { FormMessage } from "@/components/ui/FormMessage";
import { useActionForm, type FormAction } from "@/components/ui/form-hooks";
import { FormButtons, type EditorControls } from "./FormButtons";

export function NameForm({
  action,
  initial,
  editor,
}: {
  action: FormAction<unknown>;
  initial: { firstName: string; lastName: string; version: number | string };
  editor?: EditorControls;
}) {
  const { form, state, pending, formAction, onSubmit, errorFor, defaultValues } = useActionForm(
    nameSchema,
    action,
    {
      firstName: initial.firstName,
      lastName: initial.lastName,
      version: String(initial.version),
    },
    editor,
  );
  return (
    <form action={formAction} onSubmit={onSubmit} noValidate className="space-y-3" aria-label="Name">
      <FormMessage id="name-message" state={state} />
      <input type="hidden" {...form.register("version")} defaultValue={String(defaultValues.version)} />
      <fieldset disabled={pending} className="grid gap-x-4 sm:grid-cols-2">
        <legend className="sr-only">Your name</legend>
        <Field
          label="First name"
          registration={form.register("firstName")}
          defaultValue={defaultValues.firstName}
          error={errorFor("firstName")}
          autoComplete="given-name"
          maxLength={80}
        />
        <Field
          label="Last name"
          registration={form.register("lastName")}
          defaultValue={defaultValues.lastName}
          error={errorFor("lastName")}
          autoComplete="family-name"
          maxLength={80}
        />
      </fieldset>
      <FormButtons state={state} pending={pending} saveLabel="Save name" editor={editor} />
    </form>
  );
}

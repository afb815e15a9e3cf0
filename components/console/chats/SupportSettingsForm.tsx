"use client";

import { useActionForm, type FormAction } from "@/components/ui/form-hooks";
import { Checkbox, Field, SelectField } from "@/components/ui/Field";
import { FormMessage, SubmitButton } from "@/components/ui/FormMessage";
import { useHydrated } from "@/components/ui/use-hydrated";
import { commonTimeZones, supportSettingsSchema, weekdays } from "@/lib/support/schema";

/**
 * Business hours (per weekday, or open at all hours), time zone, transcript retention and the
 * reply time the offline panel promises. Works without JavaScript; a stale save shows the stored values.
 */
export function SupportSettingsForm({
  action,
  defaults,
}: {
  action: FormAction<{ values: Record<string, string | boolean> }>;
  defaults: Record<string, string | boolean>;
}) {
  const { form, state, pending, formAction, onSubmit, errorFor, defaultValues } = useActionForm(
    supportSettingsSchema,
    action,
    defaults,
  );
  const hydrated = useHydrated();
  const alwaysOpen = form.watch("alwaysOpen");
  const zone = String(defaultValues.timeZone ?? "");
  const zones = commonTimeZones.some(([z]) => z === zone)
    ? commonTimeZones
    : [[zone, zone] as const, ...commonTimeZones];
  return (
    <form action={formAction} onSubmit={onSubmit} noValidate className="space-y-5" aria-label="Support settings">
      <FormMessage id="settings-message" state={state} />
      <input type="hidden" {...form.register("version")} defaultValue={String(defaultValues.version)} />
      <fieldset className="space-y-3">
        <legend className="text-lg font-semibold">Business hours</legend>
        <Checkbox
          label="Open every day at all hours"
          registration={form.register("alwaysOpen")}
          error={errorFor("alwaysOpen")}
          defaultChecked={defaultValues.alwaysOpen === true}
        />
        {!(hydrated && alwaysOpen) && (
          <div className="space-y-2">
            <p className="text-sm text-gray-700" id="hours-hint">
              Chats are answered during these hours, in the time zone below. Outside them the chat offers the Contact Us
              form. {hydrated ? "" : "Ignored when “Open every day at all hours” is ticked."}
            </p>
            <ul className="divide-y divide-gray-200 rounded-md border border-gray-300">
              {weekdays.map(([d, name]) => {
                const closed = form.watch(`${d}Closed`);
                return (
                  <li
                    key={d}
                    className="grid grid-cols-2 items-start gap-x-3 gap-y-1 p-3 sm:grid-cols-[8rem_7rem_1fr_1fr]"
                  >
                    <span className="pt-1 font-medium">{name}</span>
                    <div className="pt-1">
                      <label className="inline-flex items-center gap-2 text-sm">
                        <input
                          type="checkbox"
                          value="on"
                          {...form.register(`${d}Closed`)}
                          defaultChecked={defaultValues[`${d}Closed`] === true}
                          className="h-5 w-5 rounded border-gray-500"
                        />
                        Closed<span className="sr-only"> on {name}</span>
                      </label>
                    </div>
                    {!(hydrated && closed) && (
                      <>
                        <TimeField
                          id={`${d}Open`}
                          label={`${name} opens`}
                          short="Opens"
                          registration={form.register(`${d}Open`)}
                          defaultValue={String(defaultValues[`${d}Open`] ?? "")}
                          error={errorFor(`${d}Open`)}
                        />
                        <TimeField
                          id={`${d}Close`}
                          label={`${name} closes`}
                          short="Closes"
                          registration={form.register(`${d}Close`)}
                          defaultValue={String(defaultValues[`${d}Close`] ?? "")}
                          error={errorFor(`${d}Close`)}
                        />
                      </>
                    )}
                  </li>
                );
              })}
            </ul>
          </div>
        )}
        <SelectField
          label="Time zone of the hours"
          registration={form.register("timeZone")}
          defaultValue={zone}
          options={zones.map(([value, label]) => ({ value, label: value === label ? value : `${label} (${value})` }))}
          error={errorFor("timeZone")}
        />
      </fieldset>
      <Field
        label="Expected reply time (shown when the chat is offline)"
        hint="Completes “We’ll reply …”, for example “within one business day”."
        registration={form.register("expectedReply")}
        defaultValue={defaultValues.expectedReply}
        maxLength={120}
        error={errorFor("expectedReply")}
      />
      <Field
        label="Keep closed chat transcripts for (days)"
        hint="Staff can search closed chats for this long; then they are deleted. 30 to 3650 days."
        registration={form.register("retentionDays")}
        defaultValue={defaultValues.retentionDays}
        inputMode="numeric"
        className="w-32"
        error={errorFor("retentionDays")}
      />
      <SubmitButton pending={pending} pendingText="Saving…">
        Save support settings
      </SubmitButton>
    </form>
  );
}

function TimeField({
  id,
  label,
  short,
  registration,
  defaultValue,
  error,
}: {
  id: string;
  label: string;
  short: string;
  registration: ReturnType<ReturnType<typeof useActionForm>["form"]["register"]>;
  defaultValue: string;
  error?: string;
}) {
  return (
    <div className="space-y-1">
      <label htmlFor={`field-${id}`} className="block text-sm text-gray-900">
        {short}
        <span className="sr-only"> — {label}</span>
      </label>
      <input
        id={`field-${id}`}
        type="time"
        {...registration}
        defaultValue={defaultValue}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `field-${id}-error` : undefined}
        className={`block w-full rounded-md border px-2 py-1 ${error ? "border-red-700" : "border-gray-400"}`}
      />
      <p id={`field-${id}-error`} className="text-sm text-red-800" aria-live="polite">
        {error}
      </p>
    </div>
  );
}

"use client";

import { preferencesSchema } from "@/lib/preferences/schema";
import type { TopicChoice } from "@/lib/preferences/queries";
import { FormMessage } from "@/components/ui/FormMessage";
import { useActionForm, type FormAction } from "@/components/ui/form-hooks";
import { FormButtons, type EditorControls } from "./FormButtons";

export function PreferencesForm({
  action,
  initial: { topics },
  editor,
}: {
  action: FormAction<unknown>;
  initial: { topics: TopicChoice[] };
  editor?: EditorControls;
}) {
  const offers = topics.find((t) => t.id === "offers");
  const others = topics.filter((t) => t.mailClass === "marketing" && t.id !== "offers");
  const transactional = topics.filter((t) => t.mailClass === "transactional");
  const defaults: Record<string, string | boolean> = { offers: offers?.subscribed ? "yes" : "no" };
  for (const t of others) defaults[`topic:${t.id}`] = t.subscribed;
  const { form, state, pending, formAction, onSubmit, errorFor, defaultValues } = useActionForm(
    preferencesSchema,
    action,
    defaults,
    editor,
  );
  const offersDefault = defaultValues.offers === "yes" ? "yes" : "no";
  return (
    <form action={formAction} onSubmit={onSubmit} noValidate className="space-y-4" aria-label="E-mail preferences">
      <FormMessage id="preferences-message" state={state} />
      {/* What each choice was when this page loaded, so untouched choices are not re-saved. */}
      {topics
        .filter((t) => t.mailClass === "marketing")
        .map((t) => (
          <input key={t.id} type="hidden" name={`was:${t.id}`} value={t.subscribed ? "yes" : "no"} readOnly />
        ))}
      <fieldset disabled={pending} className="space-y-2" aria-describedby="offers-error">
        <legend className="font-medium">
          {offers?.wording ?? "I would like to receive special offers and information on products and services"}
        </legend>
        <div className="flex gap-6">
          {(["yes", "no"] as const).map((v) => (
            <label key={v} className="flex items-center gap-2">
              <input
                type="radio"
                value={v}
                {...form.register("offers")}
                defaultChecked={offersDefault === v}
                className="h-5 w-5"
              />
              {v === "yes" ? "Yes" : "No"}
            </label>
          ))}
        </div>
        <p id="offers-error" className="text-sm text-red-800" aria-live="polite">
          {errorFor("offers")}
        </p>
      </fieldset>
      {others.length > 0 && (
        <fieldset disabled={pending} className="space-y-2">
          <legend className="font-medium">Newsletters</legend>
          {others.map((t) => {
            const name = `topic:${t.id}`;
            return (
              <div key={t.id} className="flex items-start gap-2">
                <input
                  id={`pref-${t.id}`}
                  type="checkbox"
                  value="on"
                  {...form.register(name)}
                  defaultChecked={defaultValues[name] === true || defaultValues[name] === "on"}
                  aria-describedby={`pref-${t.id}-desc`}
                  className="mt-1 h-5 w-5"
                />
                <div>
                  <label htmlFor={`pref-${t.id}`}>{t.wording}</label>
                  <p id={`pref-${t.id}-desc`} className="text-sm text-gray-700">
                    {t.description}
                  </p>
                </div>
              </div>
            );
          })}
        </fieldset>
      )}
      <div className="rounded-md bg-gray-50 p-3 text-sm text-gray-800">
        <p className="font-medium">Always sent, whatever you choose above:</p>
        <ul className="list-disc pl-6">
          {transactional.map((t) => (
            <li key={t.id}>
              {t.name} — {t.description.toLowerCase()}
            </li>
          ))}
        </ul>
        <p>These are part of your service and can&apos;t be switched off.</p>
      </div>
      <FormButtons state={state} pending={pending} saveLabel="Save e-mail preferences" editor={editor} />
    </form>
  );
}

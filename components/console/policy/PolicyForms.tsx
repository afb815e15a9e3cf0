"use client";

import { useActionState } from "react";
import type { FormAction } from "@/components/ui/form-hooks";
import { FormMessage, SubmitButton } from "@/components/ui/FormMessage";
import type { ActionResult } from "@/lib/actions/result";

type Values = Record<string, string>;

/** The values to show: what the server says is stored after a save, or what was typed after a refusal. */
function valuesOf(state: ActionResult<{ values?: Values } | unknown> | null, initial: Values): Values {
  if (!state) return initial;
  if (state.ok) return { ...initial, ...((state.data as { values?: Values } | undefined)?.values ?? {}) };
  return { ...initial, ...(state.values ?? {}) };
}

function fieldError(state: ActionResult<unknown> | null, name: string): string | undefined {
  return state && !state.ok ? state.fieldErrors?.[name]?.[0] : undefined;
}

const inputClass = "block w-full rounded-md border border-gray-500 px-3 py-2";

/** One button posting a few hidden values (start a draft, withdraw). Works without JavaScript. */
export function ActionButton({
  action,
  fields,
  label,
  pendingLabel,
  id,
}: {
  action: FormAction<unknown>;
  fields: Values;
  label: string;
  pendingLabel: string;
  id: string;
}) {
  const [state, formAction, pending] = useActionState(action, null);
  return (
    <form action={formAction} className="space-y-2">
      <FormMessage id={`${id}-message`} state={state} />
      {Object.entries(fields).map(([k, v]) => (
        <input key={k} type="hidden" name={k} value={v} />
      ))}
      <SubmitButton pending={pending} pendingText={pendingLabel}>
        {label}
      </SubmitButton>
    </form>
  );
}

/**
 * The draft's text, "what changed" summary and material flag. A save refused because someone
 * else saved meanwhile keeps what was typed (the server echoes it back).
 */
export function DraftForm({ action, initial }: { action: FormAction<unknown>; initial: Values }) {
  const [state, formAction, pending] = useActionState(action, null);
  const v = valuesOf(state, initial);
  const key = `${v.rowVersion}-${state ? (state.ok ? "ok" : "no") : "init"}`;
  return (
    <form action={formAction} className="space-y-4" aria-label="Edit the draft" key={key}>
      <FormMessage id="draft-message" state={state} />
      <input type="hidden" name="id" value={v.id} />
      <input type="hidden" name="rowVersion" value={v.rowVersion} />
      <div className="space-y-1">
        <label htmlFor="policy-markdown" className="block font-medium">
          Policy text (Markdown)
        </label>
        <p id="policy-markdown-hint" className="text-sm text-gray-700">
          Headings end with a stable anchor such as {"{#cookies}"}; keep the existing ones. {"{{brand}}"},{" "}
          {"{{privacyEmail}}"} and {"{{phone}}"} are filled in from configuration. HTML is shown as text.
        </p>
        <textarea
          id="policy-markdown"
          name="markdown"
          rows={18}
          defaultValue={v.markdown}
          aria-describedby={`policy-markdown-hint${fieldError(state, "markdown") ? " policy-markdown-error" : ""}`}
          aria-invalid={!!fieldError(state, "markdown")}
          className={`${inputClass} font-mono text-sm`}
        />
        {fieldError(state, "markdown") && (
          <p id="policy-markdown-error" className="text-sm text-red-800">
            {fieldError(state, "markdown")}
          </p>
        )}
      </div>
      <div className="space-y-1">
        <label htmlFor="policy-summary" className="block font-medium">
          What changed (shown in the notice mail and beside the comparison)
        </label>
        <textarea
          id="policy-summary"
          name="summary"
          rows={3}
          defaultValue={v.summary}
          aria-invalid={!!fieldError(state, "summary")}
          aria-describedby={fieldError(state, "summary") ? "policy-summary-error" : undefined}
          className={inputClass}
        />
        {fieldError(state, "summary") && (
          <p id="policy-summary-error" className="text-sm text-red-800">
            {fieldError(state, "summary")}
          </p>
        )}
      </div>
      <label className="flex items-start gap-2">
        <input
          type="checkbox"
          name="material"
          value="on"
          defaultChecked={v.material === "on"}
          className="mt-1 h-5 w-5 rounded border-gray-500"
        />
        <span>
          Material change: customers get 30 days&apos; notice (a notice on every page and one e-mail each) before it
          takes effect
        </span>
      </label>
      <SubmitButton pending={pending} pendingText="Saving…">
        Save draft
      </SubmitButton>
    </form>
  );
}

/** Publishing the saved draft (the row version previewed) with its effective date. */
export function PublishForm({
  action,
  id,
  rowVersion,
  hint,
  min,
}: {
  action: FormAction<unknown>;
  id: number;
  rowVersion: number;
  hint: string;
  min: string;
}) {
  const [state, formAction, pending] = useActionState(action, null);
  const error = fieldError(state, "effectiveDate");
  return (
    <form action={formAction} className="space-y-3" aria-label="Publish the draft" noValidate>
      <FormMessage id="publish-message" state={state} />
      <input type="hidden" name="id" value={id} />
      <input type="hidden" name="rowVersion" value={rowVersion} />
      <div className="space-y-1">
        <label htmlFor="effective-date" className="block font-medium">
          Takes effect on
        </label>
        <p id="effective-date-hint" className="text-sm text-gray-700">
          {hint}
        </p>
        <input
          id="effective-date"
          name="effectiveDate"
          type="date"
          min={min}
          defaultValue={state && !state.ok ? state.values?.effectiveDate : undefined}
          aria-describedby={`effective-date-hint${error ? " effective-date-error" : ""}`}
          aria-invalid={!!error}
          className="rounded-md border border-gray-500 px-3 py-2"
        />
        {error && (
          <p id="effective-date-error" className="text-sm text-red-800">
            {error}
          </p>
        )}
      </div>
      <SubmitButton pending={pending} pendingText="Publishing…">
        Publish this version
      </SubmitButton>
    </form>
  );
}

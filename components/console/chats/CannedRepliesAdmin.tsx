"use client";

import { useActionState } from "react";
import { useActionForm, type FormAction } from "@/components/ui/form-hooks";
import { Field } from "@/components/ui/Field";
import { FormMessage, SubmitButton } from "@/components/ui/FormMessage";
import type { ActionResult } from "@/lib/actions/result";
import { cannedReplySchema } from "@/lib/support/schema";

type Reply = { id: string; title: string; body: string; version: number };
type SaveAction = FormAction<{ values: Record<string, string> }>;
type DeleteAction = (prev: unknown, data: FormData) => Promise<ActionResult<null>>;

/** The admin's list of canned replies: each one editable and deletable, and a form to add one. */
export function CannedRepliesAdmin({
  replies,
  save,
  remove,
}: {
  replies: Reply[];
  save: SaveAction;
  remove: DeleteAction;
}) {
  return (
    <div className="space-y-6">
      {replies.length === 0 ? (
        <p>No canned replies yet. Add the answers reps give most often.</p>
      ) : (
        <ul className="space-y-4" aria-label="Canned replies">
          {replies.map((r) => (
            // Keyed by version: after a save elsewhere the form starts from the stored text.
            <li key={`${r.id}:${r.version}`} className="space-y-3 rounded-md border border-gray-300 p-4">
              <CannedReplyForm reply={r} save={save} />
              <DeleteCannedReply reply={r} remove={remove} />
            </li>
          ))}
        </ul>
      )}
      <section aria-labelledby="add-reply-heading" className="space-y-3 rounded-md border border-gray-300 p-4">
        <h3 id="add-reply-heading" className="text-lg font-semibold">
          Add a canned reply
        </h3>
        <CannedReplyForm save={save} />
      </section>
    </div>
  );
}

function CannedReplyForm({ reply, save }: { reply?: Reply; save: SaveAction }) {
  const key = reply ? `reply-${reply.id}` : "reply-new";
  const { form, state, pending, formAction, onSubmit, errorFor, defaultValues } = useActionForm(
    cannedReplySchema,
    save,
    reply
      ? { id: reply.id, version: String(reply.version), title: reply.title, body: reply.body }
      : { id: "", version: "0", title: "", body: "" },
  );
  const bodyError = errorFor("body");
  const label = reply ? `Edit canned reply ${reply.title}` : "New canned reply";
  return (
    <form action={formAction} onSubmit={onSubmit} noValidate className="space-y-2" aria-label={label}>
      <FormMessage id={`${key}-message`} state={state} />
      <input type="hidden" {...form.register("id")} defaultValue={String(defaultValues.id ?? "")} />
      <input type="hidden" {...form.register("version")} defaultValue={String(defaultValues.version ?? "0")} />
      <fieldset disabled={pending} className="space-y-2">
        <legend className="sr-only">{label}</legend>
        <Field
          id={`${key}-title`}
          label="Title (reps pick it by this)"
          registration={form.register("title")}
          defaultValue={defaultValues.title}
          maxLength={80}
          error={errorFor("title")}
        />
        <div className="space-y-1">
          <label htmlFor={`${key}-body`} className="block text-sm font-medium text-gray-900">
            Text of the reply
          </label>
          <textarea
            id={`${key}-body`}
            {...form.register("body")}
            defaultValue={String(defaultValues.body ?? "")}
            rows={3}
            maxLength={2000}
            aria-invalid={bodyError ? true : undefined}
            aria-describedby={bodyError ? `${key}-body-error` : undefined}
            className={`block w-full rounded-md border px-3 py-2 ${bodyError ? "border-red-700" : "border-gray-400"}`}
          />
          <p id={`${key}-body-error`} className="min-h-5 text-sm text-red-800" aria-live="polite">
            {bodyError}
          </p>
        </div>
        <SubmitButton pending={pending} pendingText="Saving…">
          {reply ? "Save reply" : "Add reply"}
        </SubmitButton>
      </fieldset>
    </form>
  );
}

function DeleteCannedReply({ reply, remove }: { reply: Reply; remove: DeleteAction }) {
  const [state, formAction, pending] = useActionState(remove, null);
  return (
    <form action={formAction} aria-label={`Delete canned reply ${reply.title}`}>
      <input type="hidden" name="id" value={reply.id} />
      <input type="hidden" name="version" value={reply.version} />
      {state && !state.ok && <FormMessage id={`delete-${reply.id}-message`} state={state} />}
      <button
        type="submit"
        disabled={pending}
        className="rounded-md border border-red-700 px-3 py-1 text-sm font-semibold text-red-800 hover:bg-red-50 disabled:opacity-70"
      >
        {pending ? "Deleting…" : "Delete"}
        <span className="sr-only"> {reply.title}</span>
      </button>
    </form>
  );
}

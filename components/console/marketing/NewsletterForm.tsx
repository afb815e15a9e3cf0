"use client";

import { useActionState } from "react";
import type { ActionResult } from "@/lib/actions/result";
import type { NewsletterPreview as Preview } from "@/lib/marketing/newsletter";
import { FormMessage } from "@/components/ui/FormMessage";

type Result = ActionResult<{ preview?: Preview; id?: string }>;

/**
 * Compose → Preview → Send. The preview shows exactly what goes out and to how many people;
 * sending needs the preview first (the Send button only appears with one).
 */
export function NewsletterForm({
  action,
  topics,
}: {
  action: (prev: unknown, data: FormData) => Promise<Result>;
  topics: { id: string; name: string }[];
}) {
  const [state, formAction, pending] = useActionState(action, null);
  const preview = state?.ok ? state.data.preview : undefined;
  const values =
    state && !state.ok
      ? state.values
      : preview
        ? { topicId: preview.topicId, subject: preview.subject, body: preview.body }
        : undefined;
  const fieldError = (name: string) => (state && !state.ok ? state.fieldErrors?.[name]?.[0] : undefined);
  return (
    <form action={formAction} className="space-y-3" aria-label="Send a newsletter">
      <FormMessage id="newsletter-message" state={state?.ok && preview ? null : state} />
      <fieldset disabled={pending} className="space-y-3">
        <legend className="sr-only">Newsletter</legend>
        <div className="space-y-1">
          <label htmlFor="nl-topic" className="block text-sm font-medium">
            Topic
          </label>
          {/* Keyed by the topic shown: React resets the form after each action, and a select's new
              defaultValue only takes on a fresh element — else "Send" goes to the first topic. */}
          <select
            key={values?.topicId || "initial"}
            id="nl-topic"
            name="topicId"
            defaultValue={values?.topicId || topics[0]?.id}
            className="block rounded-md border border-gray-400 bg-white px-3 py-2"
          >
            {topics.map((t) => (
              <option key={t.id} value={t.id}>
                {t.name}
              </option>
            ))}
          </select>
        </div>
        <div className="space-y-1">
          <label htmlFor="nl-subject" className="block text-sm font-medium">
            Subject
          </label>
          <input
            id="nl-subject"
            name="subject"
            maxLength={150}
            defaultValue={values?.subject ?? ""}
            aria-describedby="nl-subject-error"
            className="block w-full rounded-md border border-gray-400 px-3 py-2"
          />
          <p id="nl-subject-error" className="text-sm text-red-800" aria-live="polite">
            {fieldError("subject")}
          </p>
        </div>
        <div className="space-y-1">
          <label htmlFor="nl-body" className="block text-sm font-medium">
            Message (Markdown)
          </label>
          <textarea
            id="nl-body"
            name="body"
            rows={8}
            maxLength={20000}
            defaultValue={values?.body ?? ""}
            aria-describedby="nl-body-error"
            className="block w-full rounded-md border border-gray-400 px-3 py-2 font-mono text-sm"
          />
          <p id="nl-body-error" className="text-sm text-red-800" aria-live="polite">
            {fieldError("body")}
          </p>
        </div>
      </fieldset>
      {preview && <input type="hidden" name="previewDigest" value={preview.digest} />}
      {preview && (
        <section
          aria-labelledby="preview-heading"
          className="space-y-2 rounded-md border border-brand-600 bg-brand-50 p-4"
          data-testid="newsletter-preview"
        >
          <h3 id="preview-heading" className="font-semibold">
            Preview — to {preview.recipients} {preview.recipients === 1 ? "person" : "people"} opted in to{" "}
            {preview.topicName}
          </h3>
          <p>
            <strong>Subject:</strong> {preview.subject}
          </p>
          <pre className="whitespace-pre-wrap font-sans text-sm">{preview.body}</pre>
          <p className="text-sm text-gray-700">Each copy ends with a one-click unsubscribe link.</p>
        </section>
      )}
      <div className="flex gap-3">
        <button
          type="submit"
          name="intent"
          value="preview"
          disabled={pending}
          className="rounded-md border border-brand-700 px-4 py-2 font-semibold text-brand-700"
        >
          {pending ? "Working…" : "Preview"}
        </button>
        {preview && (
          <button
            type="submit"
            name="intent"
            value="send"
            disabled={pending}
            className="rounded-md bg-brand-600 px-4 py-2 font-semibold text-white"
          >
            Send to {preview.recipients} {preview.recipients === 1 ? "person" : "people"}
          </button>
        )}
      </div>
    </form>
  );
}

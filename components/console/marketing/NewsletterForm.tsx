"use client";

import { useActionState, useState } from "react";
import type { ActionResult } from "@/lib/actions/result";
import type { NewsletterActionData, NewsletterPreview as Preview } from "@/lib/marketing/newsletter";
import { BODY_MAX, SUBJECT_MAX } from "@/lib/marketing/schema";
import { timeZoneChoices } from "@/lib/time-zone";
import { FormMessage } from "@/components/ui/FormMessage";

type Result = ActionResult<NewsletterActionData>;

/** Refusals after which the preview no longer shows what would be sent. */
const previewGone = new Set([
  "invalidInput",
  "newsletterHasUnknownFields",
  "newsletterPreviewStale",
  "chooseMarketingTopic",
]);

/**
 * Compose → Preview (both parts, as sent to the sample recipient: the sender) → Send a test to
 * me → Send now or schedule. Sending needs the preview first (the Send button only appears with
 * one), and carries the preview's send key, so a second click answers with the same newsletter.
 */
export function NewsletterForm({
  action,
  topics,
  timeZone,
}: {
  action: (prev: unknown, data: FormData) => Promise<Result>;
  topics: { id: string; name: string }[];
  timeZone: string;
}) {
  const [state, formAction, pending] = useActionState(action, null);
  // The preview stays on screen through a test send and through a refused schedule (the sender
  // corrects the time and sends what they previewed); a changed composition or a send ends it.
  const [preview, setPreview] = useState<Preview | undefined>(undefined);
  const [seen, setSeen] = useState<Result | null>(null);
  const [when, setWhen] = useState<"now" | "later">("now");
  if (state !== seen) {
    setSeen(state);
    if (state?.ok) setPreview(state.data.preview ?? (state.data.sent ? undefined : preview));
    else if (state && previewGone.has(state.code ?? "")) setPreview(undefined);
    // React resets the form after each action: the radios come back as the answer says.
    setWhen(state && !state.ok && state.values?.when === "later" ? "later" : "now");
  }
  const echoed = state && !state.ok ? state.values : undefined;
  const values =
    echoed ?? (preview ? { topicId: preview.topicId, subject: preview.subject, body: preview.body } : undefined);
  const sendAtValue = echoed?.sendAt ?? "";
  const fieldError = (name: string) => (state && !state.ok ? state.fieldErrors?.[name]?.[0] : undefined);
  const describedBy = (name: string, hint = false) =>
    [hint ? `nl-${name}-hint` : "", fieldError(name) ? `nl-${name}-error` : ""].filter(Boolean).join(" ") || undefined;
  const zoneLabel = timeZoneChoices.find((z) => z.id === timeZone)?.label ?? timeZone;
  const people = (n: number) => `${n.toLocaleString("en-US")} ${n === 1 ? "person" : "people"}`;
  // The preview's own success (no message) shows nothing above the form; the preview says it all.
  const announced = state?.ok && !state.message ? null : state;
  return (
    <form action={formAction} className="min-w-0 space-y-3" aria-label="Send a newsletter">
      <FormMessage id="newsletter-message" state={announced} />
      <fieldset disabled={pending} className="min-w-0 space-y-3">
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
            aria-describedby={describedBy("topicId")}
            className="block max-w-full rounded-md border border-gray-400 bg-white px-3 py-2"
          >
            {topics.map((t) => (
              <option key={t.id} value={t.id}>
                {t.name}
              </option>
            ))}
          </select>
          <p id="nl-topicId-error" className="text-sm text-red-800" aria-live="polite">
            {fieldError("topicId")}
          </p>
        </div>
        <div className="space-y-1">
          <label htmlFor="nl-subject" className="block text-sm font-medium">
            Subject
          </label>
          <p id="nl-subject-hint" className="text-sm text-gray-700">
            Up to {SUBJECT_MAX} characters. Merge fields work here too.
          </p>
          <input
            id="nl-subject"
            name="subject"
            maxLength={SUBJECT_MAX}
            defaultValue={values?.subject ?? ""}
            aria-invalid={fieldError("subject") ? true : undefined}
            aria-describedby={describedBy("subject", true)}
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
          <div id="nl-body-hint" className="space-y-1 text-sm text-gray-700">
            <p>
              Markdown: **bold**, _italic_, # Heading, - list item, [link text](https://…). HTML typed here is shown as
              text, not run. Up to {BODY_MAX.toLocaleString("en-US")} characters.
            </p>
            <p>
              Merge fields: <code>{"{first_name}"}</code> is each reader&apos;s first name;{" "}
              <code>{"{first_name|there}"}</code> uses “there” for anyone without one. Every copy ends with “Why did I
              get this?” and an unsubscribe link.
            </p>
          </div>
          <textarea
            id="nl-body"
            name="body"
            rows={8}
            maxLength={BODY_MAX}
            defaultValue={values?.body ?? ""}
            aria-invalid={fieldError("body") ? true : undefined}
            aria-describedby={describedBy("body", true)}
            className="block w-full rounded-md border border-gray-400 px-3 py-2 font-mono text-sm"
          />
          <p id="nl-body-error" className="text-sm text-red-800" aria-live="polite">
            {fieldError("body")}
          </p>
        </div>
      </fieldset>
      {preview && <input type="hidden" name="previewDigest" value={preview.digest} />}
      {preview && <input type="hidden" name="sendKey" value={preview.sendKey} />}
      {preview && (
        <section
          aria-labelledby="preview-heading"
          className="min-w-0 space-y-3 rounded-md border border-brand-600 bg-brand-50 p-4"
          data-testid="newsletter-preview"
        >
          <h3 id="preview-heading" className="font-semibold">
            Preview — to {people(preview.recipients)} opted in to {preview.topicName}
          </h3>
          <p className="text-sm text-gray-700">
            As {preview.sample.firstName || "a reader without a first name"} would get it: each reader sees their own
            name, consent record and unsubscribe link.
          </p>
          <p className="break-words">
            <strong>Subject:</strong> <span data-testid="preview-subject">{preview.sample.subject}</span>
          </p>
          <h4 className="text-sm font-semibold">HTML part</h4>
          {/* sandbox="" gives the mail no scripts, forms, popups or navigation of this page, and an
              origin of its own; srcdoc needs no request, so the page CSP's frame rules (and the
              app's X-Frame-Options: DENY) do not stand in its way. */}
          <iframe
            sandbox=""
            srcDoc={preview.sample.html}
            title="HTML part of the newsletter, as sent"
            className="h-96 w-full rounded border border-gray-400 bg-white"
          />
          <h4 className="text-sm font-semibold">Plain-text part</h4>
          <pre
            data-testid="preview-text"
            className="max-h-96 overflow-auto whitespace-pre-wrap break-words rounded border border-gray-400 bg-white p-3 text-sm"
          >
            {preview.sample.text}
          </pre>
        </section>
      )}
      {preview && (
        <fieldset disabled={pending} className="min-w-0 space-y-2">
          <legend className="text-sm font-medium">When</legend>
          <div className="flex items-center gap-2">
            <input
              id="nl-when-now"
              type="radio"
              name="when"
              value="now"
              defaultChecked={(echoed?.when ?? "now") !== "later"}
              onChange={() => setWhen("now")}
            />
            <label htmlFor="nl-when-now">Send now</label>
          </div>
          <div className="flex items-center gap-2">
            <input
              id="nl-when-later"
              type="radio"
              name="when"
              value="later"
              defaultChecked={echoed?.when === "later"}
              onChange={() => setWhen("later")}
            />
            <label htmlFor="nl-when-later">Schedule for a date and time</label>
          </div>
          <div className="space-y-1 pl-6">
            <label htmlFor="nl-sendAt" className="block text-sm font-medium">
              Date and time
            </label>
            <p id="nl-sendAt-hint" className="text-sm text-gray-700">
              In your time zone: {zoneLabel}. It can be cancelled until it starts.
            </p>
            <input
              id="nl-sendAt"
              name="sendAt"
              type="datetime-local"
              data-time-zone={timeZone}
              maxLength={20}
              defaultValue={sendAtValue}
              onFocus={() => setWhen("later")}
              aria-invalid={fieldError("sendAt") ? true : undefined}
              aria-describedby={describedBy("sendAt", true)}
              className="block max-w-full rounded-md border border-gray-400 px-3 py-2"
            />
            <p id="nl-sendAt-error" className="text-sm text-red-800" aria-live="polite">
              {fieldError("sendAt")}
            </p>
          </div>
        </fieldset>
      )}
      <div className="flex flex-wrap gap-3">
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
            value="test"
            disabled={pending}
            className="rounded-md border border-brand-700 px-4 py-2 font-semibold text-brand-700"
          >
            Send a test to me
          </button>
        )}
        {preview && (
          <button
            type="submit"
            name="intent"
            value="send"
            disabled={pending}
            className="rounded-md bg-brand-600 px-4 py-2 font-semibold text-white"
          >
            {(when === "later" ? "Schedule for " : "Send to ") + people(preview.recipients)}
          </button>
        )}
      </div>
    </form>
  );
}

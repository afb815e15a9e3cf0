"use client";

// The Contact Us form, on /contact and inline in the chat panel when nobody can answer. It never
// imports its action (components/ must not import app/): the page or layout passes it in.
// Props: `action` — the server action `(prev, formData) => Promise<ActionResult<ContactSubmitted>>`
// (app/contact/actions.ts `submitContactRequestAction`); `defaults` — a signed-in customer's name,
// e-mail and account number, read from the session on the server; `compact` — one column and a
// shorter message box for the narrow panel; `headingLevel` — 2 on a page, 3 or 4 inside the panel;
// `idPrefix` — distinct per copy on one page (e.g. "chat-contact" in the panel).

import { useEffect, useRef, useState, type ReactNode } from "react";
import { Field } from "@/components/ui/Field";
import { FormMessage, SubmitButton } from "@/components/ui/FormMessage";
import { useActionForm, type FormAction } from "@/components/ui/form-hooks";
import { useHydrated } from "@/components/ui/use-hydrated";
import { CONTACT_REPLY_TIME } from "@/lib/contact/details";
import {
  CONTACT_MESSAGE_MAX,
  CONTACT_TOPICS,
  contactRequestSchema,
  type ContactDefaults,
  type ContactSubmitted,
} from "@/lib/contact/schema";
import { TextAreaField, TopicSelect } from "./ContactFields";

export type ContactFormProps = {
  /** `submitContactRequestAction` from app/contact/actions.ts. */
  action: FormAction<ContactSubmitted>;
  /** A signed-in customer's name, e-mail and account number (the page reads them from the session). */
  defaults?: Partial<ContactDefaults>;
  /** One column and a shorter message box, for the chat panel. */
  compact?: boolean;
  /** The level of the form's heading ("Send us a message") and of the confirmation that replaces it. */
  headingLevel?: 2 | 3 | 4;
  /** Prefix of every id in the form; give each copy on a page its own (default "contact"). */
  idPrefix?: string;
};

/**
 * Contact Us: name, e-mail, account number (optional), topic and message. Works with JavaScript
 * off (the browser posts it to the action and the server renders the outcome). After a successful
 * send the form is replaced by the confirmation with the request number; "Send another message"
 * brings back an empty form with the same defaults.
 */
export function ContactForm(props: ContactFormProps) {
  // A new key starts a new round: a fresh action state and fresh fields.
  const [round, setRound] = useState(0);
  return <ContactFormRound key={round} {...props} again={round > 0} onAnother={() => setRound((r) => r + 1)} />;
}

function Heading({ level, id, children }: { level: 2 | 3 | 4; id: string; children: ReactNode }) {
  const Tag = `h${level}` as const;
  return (
    <Tag id={id} tabIndex={-1} className={level === 2 ? "text-xl font-semibold" : "text-lg font-semibold"}>
      {children}
    </Tag>
  );
}

function ContactFormRound({
  action,
  defaults,
  compact = false,
  headingLevel = 2,
  idPrefix = "contact",
  again,
  onAnother,
}: ContactFormProps & { again: boolean; onAnother: () => void }) {
  const { form, state, pending, formAction, onSubmit, errorFor, defaultValues } = useActionForm(
    contactRequestSchema,
    action,
    {
      name: defaults?.name ?? "",
      email: defaults?.email ?? "",
      accountNumber: defaults?.accountNumber ?? "",
      topic: "",
      message: "",
    },
  );
  const hydrated = useHydrated();
  const id = (name: string) => `${idPrefix}-${name}`;
  const headingId = id("heading");

  // Starting again after a send: put the keyboard where the typing starts.
  useEffect(() => {
    if (again) form.setFocus("name");
  }, [again, form]);

  if (state?.ok) {
    return (
      <Confirmation
        id={id("confirmation")}
        headingLevel={headingLevel}
        message={state.message}
        data={state.data}
        hydrated={hydrated}
        onAnother={onAnother}
      />
    );
  }

  const typed = hydrated ? (form.watch("message") ?? "").length : 0;
  const counter = hydrated
    ? `${typed.toLocaleString("en-US")} of ${CONTACT_MESSAGE_MAX.toLocaleString("en-US")} characters`
    : `Up to ${CONTACT_MESSAGE_MAX.toLocaleString("en-US")} characters.`;

  return (
    <form action={formAction} onSubmit={onSubmit} noValidate aria-labelledby={headingId} className="space-y-3">
      <Heading level={headingLevel} id={headingId}>
        Send us a message
      </Heading>
      <p className="text-sm text-gray-700">
        Every field is required except the account number. We reply by e-mail {CONTACT_REPLY_TIME}.
      </p>
      <FormMessage id={id("message")} state={state} />
      <fieldset disabled={pending} className={compact ? "space-y-1" : "grid gap-x-4 sm:grid-cols-2"}>
        <legend className="sr-only">Your message to customer service</legend>
        <Field
          id={id("name")}
          label="Your name"
          registration={form.register("name")}
          defaultValue={defaultValues.name}
          error={errorFor("name")}
          autoComplete="name"
        />
        <Field
          id={id("email")}
          label="E-mail address"
          type="email"
          registration={form.register("email")}
          defaultValue={defaultValues.email}
          error={errorFor("email")}
          autoComplete="email"
          spellCheck={false}
        />
        <Field
          id={id("account-number")}
          label="Account number (optional)"
          hint="The 10-digit number on your bill."
          inputMode="numeric"
          registration={form.register("accountNumber")}
          defaultValue={defaultValues.accountNumber}
          error={errorFor("accountNumber")}
        />
        <TopicSelect
          id={id("topic")}
          label="Topic"
          hint="What your message is about."
          topics={CONTACT_TOPICS}
          registration={form.register("topic")}
          defaultValue={defaultValues.topic}
          error={errorFor("topic")}
        />
        <div className={compact ? undefined : "sm:col-span-2"}>
          <TextAreaField
            id={id("body")}
            label="Message"
            hint={counter}
            rows={compact ? 4 : 7}
            registration={form.register("message")}
            defaultValue={defaultValues.message}
            error={errorFor("message")}
          />
        </div>
      </fieldset>
      <SubmitButton pending={pending} pendingText="Sending…">
        Send message
      </SubmitButton>
    </form>
  );
}

function Confirmation({
  id,
  headingLevel,
  message,
  data,
  hydrated,
  onAnother,
}: {
  id: string;
  headingLevel: 2 | 3 | 4;
  message?: string;
  data: ContactSubmitted;
  hydrated: boolean;
  onAnother: () => void;
}) {
  const ref = useRef<HTMLDivElement>(null);
  // With JavaScript the form vanished under the keyboard: move focus to what replaced it.
  useEffect(() => {
    ref.current?.querySelector<HTMLElement>("h2, h3, h4")?.focus();
  }, []);
  return (
    <div
      ref={ref}
      id={id}
      role="status"
      aria-live="polite"
      className="space-y-3 rounded-md border border-green-700 bg-green-50 p-4 text-green-950"
    >
      <Heading level={headingLevel} id={`${id}-heading`}>
        Message sent — request {data.requestNumber}
      </Heading>
      <p className="wrap-anywhere">{message ?? `Your request number is ${data.requestNumber}.`}</p>
      {hydrated ? (
        <button type="button" onClick={onAnother} className="font-semibold text-brand-700 underline">
          Send another message
        </button>
      ) : (
        <a href="/contact" className="font-semibold text-brand-700 underline">
          Send another message
        </a>
      )}
    </div>
  );
}

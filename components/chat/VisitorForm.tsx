"use client";

import { useId, useState, type FormEvent } from "react";
import { CONTACT_TOPICS } from "@/lib/contact/schema";
import { CHAT_MESSAGE_MAX, type StartChatInput } from "./types";

export type StartOutcome = { ok: boolean; fieldErrors?: Record<string, string[] | undefined> };

type Values = Required<StartChatInput>;
type Errors = Partial<Record<keyof Values, string>>;

const max = CHAT_MESSAGE_MAX.toLocaleString("en-US");

// The same sentences the server answers with; checked here first so a slip is caught before sending.
function check(v: Values): Errors {
  const errors: Errors = {};
  if (!v.name.trim()) errors.name = "Enter your name";
  else if (v.name.trim().length > 100) errors.name = "Use at most 100 characters";
  if (!v.email.trim()) errors.email = "Enter your e-mail address";
  else if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(v.email.trim()))
    errors.email = "Enter an e-mail address like name@example.com";
  if (v.accountNumber.trim() && !/^\d{10}$/.test(v.accountNumber.trim()))
    errors.accountNumber = "Enter the 10-digit account number, or leave it empty";
  if (!v.message.trim()) errors.message = "Write your question";
  return errors;
}

/**
 * A visitor says who they are before the first message: name and e-mail (required), account number
 * and topic (optional). A signed-in customer never sees this form; the server knows them.
 */
export function VisitorForm({
  busy,
  onStart,
}: {
  busy: boolean;
  onStart: (input: StartChatInput) => Promise<StartOutcome>;
}) {
  const prefix = useId();
  const [values, setValues] = useState<Values>({ name: "", email: "", accountNumber: "", topic: "", message: "" });
  const [errors, setErrors] = useState<Errors>({});

  const set = (field: keyof Values) => (e: { target: { value: string } }) =>
    setValues((v) => ({ ...v, [field]: e.target.value }));

  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const found = check(values);
    setErrors(found);
    const first = (Object.keys(found) as (keyof Values)[])[0];
    if (first) {
      document.getElementById(`${prefix}-${first}`)?.focus();
      return;
    }
    const outcome = await onStart({
      name: values.name.trim(),
      email: values.email.trim(),
      message: values.message.trim(),
      ...(values.accountNumber.trim() && { accountNumber: values.accountNumber.trim() }),
      ...(values.topic && { topic: values.topic }),
    });
    if (!outcome.ok && outcome.fieldErrors) {
      const fromServer: Errors = {};
      for (const field of ["name", "email", "accountNumber", "topic", "message"] as const) {
        const said = outcome.fieldErrors[field]?.[0];
        if (said) fromServer[field] = said;
      }
      setErrors(fromServer);
    }
  };

  const field = (name: keyof Values) => {
    const id = `${prefix}-${name}`;
    return {
      id,
      name,
      value: values[name],
      onChange: set(name),
      "aria-invalid": errors[name] ? true : undefined,
      "aria-describedby":
        [errors[name] ? `${id}-error` : null, name === "message" ? `${id}-hint` : null].filter(Boolean).join(" ") ||
        undefined,
      className: `block w-full rounded-md border px-3 py-1.5 text-gray-900 ${errors[name] ? "border-red-700" : "border-gray-400"}`,
    };
  };
  const error = (name: keyof Values) =>
    errors[name] ? (
      <p id={`${prefix}-${name}-error`} className="text-sm text-red-800">
        {errors[name]}
      </p>
    ) : null;
  const label = "block text-sm font-medium";

  return (
    <form onSubmit={(e) => void submit(e)} noValidate aria-labelledby={`${prefix}-heading`} className="space-y-2">
      <h3 id={`${prefix}-heading`} className="font-semibold">
        Start a chat
      </h3>
      <p className="text-sm text-gray-700">
        Tell us who you are so the representative can help. Name and e-mail are required.
      </p>
      <fieldset disabled={busy} className="space-y-2">
        <legend className="sr-only">About you</legend>
        <div>
          <label htmlFor={`${prefix}-name`} className={label}>
            Your name
          </label>
          <input {...field("name")} autoComplete="name" data-autofocus />
          {error("name")}
        </div>
        <div>
          <label htmlFor={`${prefix}-email`} className={label}>
            E-mail address
          </label>
          <input {...field("email")} type="email" autoComplete="email" spellCheck={false} />
          {error("email")}
        </div>
        <div>
          <label htmlFor={`${prefix}-accountNumber`} className={label}>
            Account number (optional)
          </label>
          <input {...field("accountNumber")} inputMode="numeric" autoComplete="off" />
          {error("accountNumber")}
        </div>
        <div>
          <label htmlFor={`${prefix}-topic`} className={label}>
            Topic (optional)
          </label>
          <select {...field("topic")} className={`${field("topic").className} bg-white`}>
            <option value="">Choose a topic</option>
            {CONTACT_TOPICS.map((t) => (
              <option key={t} value={t}>
                {t}
              </option>
            ))}
          </select>
          {error("topic")}
        </div>
        <div>
          <label htmlFor={`${prefix}-message`} className={label}>
            Your question
          </label>
          <textarea {...field("message")} rows={3} maxLength={CHAT_MESSAGE_MAX} />
          <p id={`${prefix}-message-hint`} className="text-xs text-gray-700">
            {values.message.length.toLocaleString("en-US")} of {max} characters
          </p>
          {error("message")}
        </div>
      </fieldset>
      <button
        type="submit"
        disabled={busy}
        className="rounded-md bg-brand-600 px-4 py-2 font-semibold text-white hover:bg-brand-700 disabled:opacity-70"
      >
        {busy ? "Starting…" : "Start chat"}
      </button>
    </form>
  );
}

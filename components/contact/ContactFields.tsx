"use client";

import type { TextareaHTMLAttributes } from "react";
import type { UseFormRegisterReturn } from "react-hook-form";

// The Contact Us form's select and textarea, with ids of their own (the form can appear twice on a
// page: on /contact and inline in the chat panel). Same look and wiring as components/ui/Field.tsx.

const control = (error?: string) =>
  `block w-full rounded-md border bg-white px-3 py-2 text-gray-900 shadow-sm ${error ? "border-red-700" : "border-gray-400"}`;

function describedBy(...ids: (string | false | undefined)[]) {
  return ids.filter(Boolean).join(" ") || undefined;
}

export function TopicSelect({
  id,
  label,
  registration,
  error,
  hint,
  defaultValue,
  topics,
}: {
  id: string;
  label: string;
  registration: UseFormRegisterReturn;
  error?: string;
  hint?: string;
  defaultValue?: unknown;
  topics: readonly string[];
}) {
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  return (
    <div className="space-y-1">
      <label htmlFor={id} className="block text-sm font-medium text-gray-900">
        {label}
      </label>
      {hint && (
        <p id={hintId} className="text-sm text-gray-600">
          {hint}
        </p>
      )}
      <select
        id={id}
        {...registration}
        defaultValue={typeof defaultValue === "string" ? defaultValue : ""}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(hint && hintId, error && errorId)}
        // As tall as the text inputs beside it.
        className={`${control(error)} min-h-10.5`}
      >
        <option value="">Choose a topic</option>
        {topics.map((t) => (
          <option key={t} value={t}>
            {t}
          </option>
        ))}
      </select>
      <p id={errorId} className="min-h-5 text-sm text-red-800" aria-live="polite">
        {error}
      </p>
    </div>
  );
}

export function TextAreaField({
  id,
  label,
  registration,
  error,
  hint,
  defaultValue,
  ...rest
}: {
  id: string;
  label: string;
  registration: UseFormRegisterReturn;
  error?: string;
  hint?: string;
  defaultValue?: unknown;
} & Omit<TextareaHTMLAttributes<HTMLTextAreaElement>, "name" | "defaultValue" | "id">) {
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  return (
    <div className="space-y-1">
      <label htmlFor={id} className="block text-sm font-medium text-gray-900">
        {label}
      </label>
      <textarea
        id={id}
        {...registration}
        {...rest}
        defaultValue={typeof defaultValue === "string" ? defaultValue : undefined}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(hint && hintId, error && errorId)}
        className={`${control(error)} resize-y`}
      />
      {hint && (
        <p id={hintId} className="text-sm text-gray-600">
          {hint}
        </p>
      )}
      <p id={errorId} className="min-h-5 text-sm text-red-800" aria-live="polite">
        {error}
      </p>
    </div>
  );
}

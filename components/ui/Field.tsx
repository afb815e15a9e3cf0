"use client";

import type { InputHTMLAttributes } from "react";
import type { UseFormRegisterReturn } from "react-hook-form";

type FieldProps = {
  label: string;
  registration: UseFormRegisterReturn;
  error?: string;
  hint?: string;
  defaultValue?: unknown;
} & Omit<InputHTMLAttributes<HTMLInputElement>, "name" | "defaultValue">;

/** A labelled input whose hint and error are tied to it for screen readers. */
export function Field({ label, registration, error, hint, defaultValue, id, ...input }: FieldProps) {
  const fieldId = id ?? `field-${registration.name}`;
  const hintId = hint ? `${fieldId}-hint` : undefined;
  const errorId = `${fieldId}-error`;
  return (
    <div className="space-y-1">
      <label htmlFor={fieldId} className="block text-sm font-medium text-gray-900">
        {label}
      </label>
      {hint && (
        <p id={hintId} className="text-sm text-gray-600">
          {hint}
        </p>
      )}
      <input
        id={fieldId}
        {...registration}
        {...input}
        defaultValue={typeof defaultValue === "string" ? defaultValue : undefined}
        aria-invalid={error ? true : undefined}
        aria-describedby={[hintId, error ? errorId : undefined].filter(Boolean).join(" ") || undefined}
        className={`block w-full rounded-md border px-3 py-2 text-gray-900 shadow-sm ${
          error ? "border-red-700" : "border-gray-400"
        }`}
      />
      <p id={errorId} className="min-h-5 text-sm text-red-800" aria-live="polite">
        {error}
      </p>
    </div>
  );
}

type CheckboxProps = {
  label: string;
  registration: UseFormRegisterReturn;
  error?: string;
  defaultChecked?: boolean;
  /** A sentence under the box that says what ticking it does. */
  hint?: string;
};

export function Checkbox({ label, registration, error, defaultChecked, hint }: CheckboxProps) {
  const id = `field-${registration.name}`;
  const describedBy = [hint ? `${id}-hint` : "", error ? `${id}-error` : ""].filter(Boolean).join(" ");
  return (
    <div className="space-y-1">
      <div className="flex items-center gap-2">
        <input
          id={id}
          type="checkbox"
          value="on"
          {...registration}
          defaultChecked={defaultChecked}
          aria-invalid={error ? true : undefined}
          aria-describedby={describedBy || undefined}
          className="h-5 w-5 rounded border-gray-500"
        />
        <label htmlFor={id} className="text-sm text-gray-900">
          {label}
        </label>
      </div>
      {hint && (
        <p id={`${id}-hint`} className="text-sm text-gray-700">
          {hint}
        </p>
      )}
      <p id={`${id}-error`} className="min-h-5 text-sm text-red-800" aria-live="polite">
        {error}
      </p>
    </div>
  );
}

type SelectProps = {
  label: string;
  registration: UseFormRegisterReturn;
  error?: string;
  defaultValue?: unknown;
  options: { value: string; label: string }[];
  placeholder?: string;
  autoComplete?: string;
};

export function SelectField({
  label,
  registration,
  error,
  defaultValue,
  options,
  placeholder,
  autoComplete,
}: SelectProps) {
  const id = `field-${registration.name}`;
  return (
    <div className="space-y-1">
      <label htmlFor={id} className="block text-sm font-medium text-gray-900">
        {label}
      </label>
      <select
        id={id}
        {...registration}
        defaultValue={typeof defaultValue === "string" ? defaultValue : ""}
        autoComplete={autoComplete}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${id}-error` : undefined}
        className={`block w-full rounded-md border bg-white px-3 py-2 text-gray-900 ${error ? "border-red-700" : "border-gray-400"}`}
      >
        {placeholder !== undefined && <option value="">{placeholder}</option>}
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
      <p id={`${id}-error`} className="min-h-5 text-sm text-red-800" aria-live="polite">
        {error}
      </p>
    </div>
  );
}

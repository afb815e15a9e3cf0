"use client";

import { useActionState } from "react";
import { useActionForm, type FormAction } from "@/components/ui/form-hooks";
import { Field, SelectField } from "@/components/ui/Field";
import { FormMessage, SubmitButton } from "@/components/ui/FormMessage";
import type { ActionResult } from "@/lib/actions/result";
import { createStaffSchema, staffRoleNames, staffRoles, type StaffRole } from "@/lib/staff/schema";

type RowAction = (prev: ActionResult<unknown> | null, data: FormData) => Promise<ActionResult<unknown>>;

const roleOptions = staffRoles.map((r) => ({ value: r, label: staffRoleNames[r] }));

/** Adds a staff member; they get a mail with a link to choose their own password. */
export function CreateStaffForm({ action }: { action: FormAction<unknown> }) {
  const { form, state, pending, formAction, onSubmit, errorFor, defaultValues } = useActionForm(
    createStaffSchema,
    action,
    { firstName: "", lastName: "", username: "", email: "", role: "rep" },
  );
  return (
    <form action={formAction} onSubmit={onSubmit} noValidate className="space-y-3" aria-label="Add a staff member">
      <FormMessage id="create-staff-message" state={state} />
      <div className="grid gap-x-4 sm:grid-cols-2">
        <Field
          label="First name"
          registration={form.register("firstName")}
          defaultValue={defaultValues.firstName}
          maxLength={80}
          autoComplete="off"
          error={errorFor("firstName")}
        />
        <Field
          label="Last name"
          registration={form.register("lastName")}
          defaultValue={defaultValues.lastName}
          maxLength={80}
          autoComplete="off"
          error={errorFor("lastName")}
        />
        <Field
          label="Username"
          hint="3–32 lower-case letters, digits, dots, hyphens or underscores. They sign in with it."
          registration={form.register("username")}
          defaultValue={defaultValues.username}
          maxLength={32}
          autoComplete="off"
          autoCapitalize="none"
          spellCheck={false}
          error={errorFor("username")}
        />
        <Field
          label="Work e-mail address"
          hint="The link to set their password goes here."
          type="email"
          registration={form.register("email")}
          defaultValue={defaultValues.email}
          maxLength={254}
          autoComplete="off"
          error={errorFor("email")}
        />
      </div>
      <div className="sm:w-1/2 sm:pr-2">
        <SelectField
          label="Role"
          registration={form.register("role")}
          defaultValue={defaultValues.role}
          options={roleOptions}
          error={errorFor("role")}
        />
      </div>
      <SubmitButton pending={pending} pendingText="Adding…">
        Add staff member
      </SubmitButton>
    </form>
  );
}

/** Moves a member to another staff role; their sessions end, and they sign in again. */
export function RoleForm({
  member,
  action,
}: {
  member: { id: string; version: number; role: StaffRole; username: string };
  action: RowAction;
}) {
  const [state, formAction, pending] = useActionState(action, null);
  const id = `role-${member.id}`;
  return (
    <form action={formAction} className="space-y-1" aria-label={`Role of ${member.username}`}>
      <input type="hidden" name="userId" value={member.id} />
      <input type="hidden" name="version" value={member.version} />
      <div className="flex flex-wrap items-center gap-2">
        <label htmlFor={id} className="sr-only">
          Role of {member.username}
        </label>
        <select
          id={id}
          name="role"
          defaultValue={member.role}
          className="rounded-md border border-gray-400 bg-white px-2 py-1 text-gray-900"
        >
          {roleOptions.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>
        <button
          type="submit"
          disabled={pending}
          className="rounded-md border border-brand-700 px-3 py-1 text-sm font-semibold text-brand-800 hover:bg-brand-50 disabled:opacity-70"
        >
          {pending ? "Changing…" : "Change role"}
          <span className="sr-only"> of {member.username}</span>
        </button>
      </div>
      <FormMessage id={`${id}-message`} state={state} />
    </form>
  );
}

/** Disables a member (sessions end at once, sign-in refused) or enables them again. */
export function DisableForm({
  member,
  action,
}: {
  member: { id: string; version: number; disabled: boolean; username: string };
  action: RowAction;
}) {
  const [state, formAction, pending] = useActionState(action, null);
  const verb = member.disabled ? "Enable" : "Disable";
  return (
    <form action={formAction} className="space-y-1" aria-label={`${verb} ${member.username}`}>
      <input type="hidden" name="userId" value={member.id} />
      <input type="hidden" name="version" value={member.version} />
      <input type="hidden" name="disabled" value={member.disabled ? "enable" : "disable"} />
      <button
        type="submit"
        disabled={pending}
        className={`rounded-md border px-3 py-1 text-sm font-semibold disabled:opacity-70 ${
          member.disabled
            ? "border-brand-700 text-brand-800 hover:bg-brand-50"
            : "border-red-700 text-red-800 hover:bg-red-50"
        }`}
      >
        {pending ? `${verb === "Enable" ? "Enabling" : "Disabling"}…` : verb}
        <span className="sr-only"> {member.username}</span>
      </button>
      <FormMessage id={`disable-${member.id}-message`} state={state} />
    </form>
  );
}

/**
 * Resets a member's two-step sign-in (a lost phone): every factor goes, their sessions end, and
 * their next sign-in asks them to enrol again. Behind a disclosure, with a reason for the audit log.
 */
export function ResetTwoStepForm({
  member,
  action,
}: {
  member: { id: string; version: number; username: string };
  action: RowAction;
}) {
  const [state, formAction, pending] = useActionState(action, null);
  const id = `reset-two-step-${member.id}`;
  const error = state && !state.ok ? state.fieldErrors?.reason?.[0] : undefined;
  return (
    <details className="text-sm">
      <summary className="cursor-pointer font-semibold text-brand-800 underline">
        Reset two-step<span className="sr-only"> of {member.username}</span>
      </summary>
      <form action={formAction} className="mt-2 space-y-2" aria-label={`Reset two-step sign-in of ${member.username}`}>
        <input type="hidden" name="userId" value={member.id} />
        <input type="hidden" name="version" value={member.version} />
        <p className="text-gray-700">
          Removes their passkeys, authenticator app and recovery codes and signs them out. They set it up again at their
          next sign-in.
        </p>
        <label htmlFor={id} className="block font-medium">
          Reason (for the audit log)
        </label>
        <input
          id={id}
          name="reason"
          required
          maxLength={300}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? `${id}-error` : undefined}
          className="w-full rounded-md border border-gray-400 px-2 py-1"
        />
        {error && (
          <p id={`${id}-error`} className="text-red-800">
            {error}
          </p>
        )}
        <button
          type="submit"
          disabled={pending}
          className="rounded-md border border-red-700 px-3 py-1 font-semibold text-red-800 hover:bg-red-50 disabled:opacity-70"
        >
          {pending ? "Resetting…" : "Reset two-step sign-in"}
          <span className="sr-only"> of {member.username}</span>
        </button>
        <FormMessage id={`${id}-message`} state={state} />
      </form>
    </details>
  );
}

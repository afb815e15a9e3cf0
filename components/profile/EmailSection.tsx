"use client";

import { PasswordOrPasskey } from "@/components/two-step/UsePasskeyInstead";
import type { TwoStepAction } from "@/components/two-step/types";
import { useActionState, useEffect, useState, type ReactNode } from "react";
import { emailChangeSchema } from "@/lib/profile/schema";
import type { ActionResult } from "@/lib/actions/result";
import { Field } from "@/components/ui/Field";
import { FormMessage } from "@/components/ui/FormMessage";
import { useActionForm, type FormAction } from "@/components/ui/form-hooks";
import { FormButtons, type EditorControls } from "./FormButtons";

type Simple = (prev: unknown, data: FormData) => Promise<ActionResult<undefined>>;

/**
 * The e-mail change waiting for its link, with Resend and Cancel (each its own form, so both work
 * without JavaScript). Shared with the console's on-behalf form, which words it for a rep.
 */
export function PendingChange({
  children,
  resendAction,
  cancelAction,
  resending,
  cancelling,
  onChoose,
  labels = { resend: "Resend", cancel: "Cancel" },
}: {
  children: ReactNode;
  resendAction: (data: FormData) => void;
  cancelAction: (data: FormData) => void;
  resending: boolean;
  cancelling: boolean;
  onChoose?: (choice: "resend" | "cancel") => void;
  labels?: { resend: string; cancel: string };
}) {
  return (
    <div className="space-y-2 rounded-md border border-amber-600 bg-amber-50 p-3" data-testid="pending-email">
      <p>{children}</p>
      <div className="flex flex-wrap gap-3">
        <form action={resendAction} onSubmit={() => onChoose?.("resend")}>
          <button type="submit" disabled={resending} className="rounded-md border border-gray-600 px-3 py-1 text-sm">
            {resending ? "Sending…" : labels.resend}
          </button>
        </form>
        <form action={cancelAction} onSubmit={() => onChoose?.("cancel")}>
          <button type="submit" disabled={cancelling} className="rounded-md border border-gray-600 px-3 py-1 text-sm">
            {cancelling ? "Cancelling…" : labels.cancel}
          </button>
        </form>
      </div>
    </div>
  );
}

export function EmailSection({
  action: change,
  initial: { email, version, pending },
  more,
  editor,
}: {
  action: FormAction<unknown>;
  initial: { email: string; version: number | string; pending: { newEmail: string; expiresAt: string } | null };
  more?: Record<string, FormAction<unknown>>;
  editor?: EditorControls;
}) {
  const resend = more!.resend as Simple;
  const cancel = more!.cancel as Simple;
  // Given (by the profile page) only when the person has a passkey.
  const passkey =
    more?.reauthPasskeyOptions && more.reauthPasskey
      ? {
          reauthPasskeyOptions: more.reauthPasskeyOptions,
          reauthPasskey: more.reauthPasskey as TwoStepAction<undefined>,
        }
      : undefined;
  const {
    form,
    state,
    pending: saving,

    formAction,
    onSubmit,
    errorFor,
    defaultValues,
  } = useActionForm(
    emailChangeSchema,
    change,
    {
      version: String(version),
      newEmail: "",
      currentPassword: "",
      passkeyConfirmed: false,
    },
    editor,
  );
  // Resend and Cancel keep their outcome here, outside the pending box: a cancel removes the box,
  // and its confirmation must stay on screen. Only the latest choice is shown.
  const [resendState, resendAction, resending] = useActionState(resend, null);
  const [cancelState, cancelAction, cancelling] = useActionState(cancel, null);
  const [latest, setLatest] = useState<"resend" | "cancel" | "change" | "none">("none");
  // Without JavaScript each post renders afresh, so at most one of the two states is set.
  const pendingOutcome = { resend: resendState, cancel: cancelState, change: null, none: resendState ?? cancelState }[
    latest
  ];
  // A resend or cancel keeps the form open; the section's summary behind it takes the new state.
  const onData = editor?.onData;
  useEffect(() => {
    const outcome = latest === "resend" ? resendState : latest === "cancel" ? cancelState : null;
    if (outcome?.ok && outcome.data && onData) onData(outcome.data);
  }, [latest, resendState, cancelState, onData]);
  return (
    <div className="space-y-4">
      <p>
        Current address (used to sign in and to contact you):{" "}
        <strong data-testid="current-email">{email || "none"}</strong>
      </p>
      {pending && (
        <PendingChange
          resendAction={resendAction}
          cancelAction={cancelAction}
          resending={resending}
          cancelling={cancelling}
          onChoose={setLatest}
        >
          Waiting for confirmation: <strong className="break-all">{pending.newEmail}</strong>. Follow the link we sent
          there (it works until {pending.expiresAt}).
        </PendingChange>
      )}
      <FormMessage id="pending-email-message" state={pendingOutcome} />
      <form
        action={formAction}
        onSubmit={(event) => {
          setLatest("change");
          return onSubmit(event);
        }}
        noValidate
        className="space-y-3"
        aria-label="Change e-mail address"
      >
        <FormMessage id="email-message" state={state} />
        <input type="hidden" {...form.register("version")} defaultValue={String(defaultValues.version)} />
        <fieldset disabled={saving} className="grid gap-x-4 sm:grid-cols-2">
          <legend className="sr-only">Change e-mail address</legend>
          <Field
            label="New e-mail address"
            type="email"
            registration={form.register("newEmail")}
            defaultValue={defaultValues.newEmail}
            error={errorFor("newEmail")}
            autoComplete="email"
            maxLength={254}
          />
          <PasswordOrPasskey
            id="email-password"
            actions={passkey}
            expired={Boolean(state && !state.ok && state.fieldErrors?.currentPassword)}
            onConfirmed={() => {
              form.setValue("passkeyConfirmed", true);
              form.setValue("currentPassword", "");
              form.clearErrors("currentPassword");
            }}
            field={
              <Field
                label="Your current password"
                type="password"
                registration={form.register("currentPassword")}
                error={errorFor("currentPassword")}
                autoComplete="current-password"
                maxLength={128}
              />
            }
          />
        </fieldset>
        <FormButtons
          state={state}
          pending={saving}
          saveLabel="Change e-mail address"
          pendingText="Sending link…"
          editor={editor}
        />
      </form>
    </div>
  );
}

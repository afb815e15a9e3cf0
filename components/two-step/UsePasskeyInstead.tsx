"use client";

import { useState, useTransition, type ReactNode } from "react";
import { confirmWithPasskey } from "./passkey-ceremony";
import { buttonSecondary, type TwoStepActions } from "./types";

export type PasskeyConfirmActions = Pick<TwoStepActions, "reauthPasskeyOptions" | "reauthPasskey">;

/**
 * A current-password field with "Use a passkey instead" beside it (only for people who have a
 * passkey): the passkey confirms this session for 5 minutes, and the field gives way to
 * "Confirmed with your passkey ✓" plus a hidden passkeyConfirmed=on, so the schema lets the empty
 * password through. The server still decides (lib/two-step/fresh.ts confirmSensitiveChange);
 * when it says the confirmation lapsed, `expired` brings the field back. Without JavaScript the
 * button is not there (it needs WebAuthn) and the field works as always.
 */
export function PasswordOrPasskey({
  id,
  field,
  actions,
  expired,
  onConfirmed,
}: {
  id: string;
  /** The current-password Field as the form renders it. */
  field: ReactNode;
  actions?: PasskeyConfirmActions;
  /** The server refused the form for want of a password: show the field again. */
  expired: boolean;
  onConfirmed: () => void;
}) {
  const [confirmed, setConfirmed] = useState(false);
  const [error, setError] = useState("");
  const [pending, startTransition] = useTransition();
  const [lastExpired, setLastExpired] = useState(expired);
  // A lapsed confirmation (the server's answer) puts the field back.
  if (expired !== lastExpired) {
    setLastExpired(expired);
    if (expired) setConfirmed(false);
  }

  if (confirmed) {
    return (
      <div className="space-y-1">
        <input type="hidden" name="passkeyConfirmed" value="on" />
        <p id={`${id}-confirmed`} role="status" className="rounded-md bg-green-50 px-3 py-2 font-medium text-green-900">
          Confirmed with your passkey ✓
        </p>
      </div>
    );
  }

  return (
    <div className="space-y-1">
      {field}
      {actions && (
        <div className="space-y-1">
          <button
            type="button"
            disabled={pending}
            className={buttonSecondary}
            aria-describedby={`${id}-passkey-error`}
            onClick={() =>
              startTransition(async () => {
                setError("");
                const result = await confirmWithPasskey(actions.reauthPasskeyOptions, actions.reauthPasskey);
                if (!result.ok) {
                  setError(result.formError);
                  return;
                }
                setConfirmed(true);
                onConfirmed();
              })
            }
          >
            {pending ? "Waiting for your passkey…" : "Use a passkey instead"}
          </button>
          <p id={`${id}-passkey-error`} className="text-sm text-red-800" aria-live="polite">
            {error}
          </p>
        </div>
      )}
    </div>
  );
}

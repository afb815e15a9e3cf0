"use client";

import { useState, type FormEvent } from "react";
import { FormMessage } from "@/components/ui/FormMessage";
import type { ActionResult } from "@/lib/actions/result";
import { passkeyName } from "@/lib/two-step/manage-schema";
import { registerPasskey } from "./passkey-ceremony";
import { ConfirmSlot, useTwoStep } from "./TwoStepSection";
import { buttonDanger, buttonPrimary, buttonSecondary, formData } from "./types";

/** Passkeys: the list (name, added, last used, synced), add, rename, remove. */
export function PasskeyList() {
  const { actions, status, guard, showCodes } = useTwoStep();
  const [state, setState] = useState<ActionResult<unknown> | null>(null);
  const [busy, setBusy] = useState(false);
  const [name, setName] = useState(status.defaultPasskeyName);
  const [nameError, setNameError] = useState("");

  async function add(event: FormEvent) {
    event.preventDefault();
    const checked = passkeyName.safeParse(name);
    if (!checked.success) {
      setNameError(checked.error.issues[0]?.message ?? "Give the passkey a name");
      return;
    }
    setNameError("");
    setBusy(true);
    setState(null);
    const result = await guard("passkeys", async () => {
      const response = await registerPasskey(actions.passkeyOptions);
      if (!response.ok) return response;
      return actions.addPasskey(null, formData({ name: checked.data, response: response.data }));
    });
    setBusy(false);
    if (!result) return;
    setState(result);
    if (result.ok) {
      setName(status.defaultPasskeyName);
      showCodes(result.data.recoveryCodes);
    }
  }

  return (
    <div className="space-y-3" data-testid="passkeys">
      <h3 className="text-lg font-semibold">Passkeys</h3>
      <p className="text-sm text-gray-700">
        A passkey signs you in with your fingerprint, face or screen lock instead of a password. It stays on your device
        (or in your password manager) and only works on this site.
      </p>
      {status.passkeys.length === 0 ? (
        <p>You have no passkeys yet.</p>
      ) : (
        <ul className="divide-y divide-gray-300 rounded-md border border-gray-300" aria-label="Your passkeys">
          {status.passkeys.map((p) => (
            <PasskeyItem key={p.id} passkey={p} onRemoved={setState} />
          ))}
        </ul>
      )}
      <ConfirmSlot place="passkeys" />
      <form onSubmit={add} noValidate className="space-y-2">
        <div className="space-y-1">
          <label htmlFor="passkey-name" className="block text-sm font-medium text-gray-900">
            Name for the new passkey
          </label>
          <input
            id="passkey-name"
            name="name"
            value={name}
            maxLength={60}
            onChange={(e) => setName(e.target.value)}
            aria-invalid={nameError ? true : undefined}
            aria-describedby={nameError ? "passkey-name-error" : undefined}
            className={`block w-full max-w-md rounded-md border px-3 py-2 ${nameError ? "border-red-700" : "border-gray-400"}`}
          />
          <p id="passkey-name-error" className="min-h-5 text-sm text-red-800" aria-live="polite">
            {nameError}
          </p>
        </div>
        <button type="submit" disabled={busy} className={buttonPrimary}>
          {busy ? "Waiting for your passkey…" : "Add a passkey"}
        </button>
      </form>
      <FormMessage id="passkeys-message" state={state} />
    </div>
  );
}

function PasskeyItem({
  passkey,
  onRemoved,
}: {
  passkey: ReturnType<typeof useTwoStep>["status"]["passkeys"][number];
  /** The item leaves the list once removed, so the list announces the outcome. */
  onRemoved: (result: ActionResult<unknown>) => void;
}) {
  const { actions, guard } = useTwoStep();
  const [mode, setMode] = useState<"view" | "rename" | "remove">("view");
  const [name, setName] = useState(passkey.name);
  const [state, setState] = useState<ActionResult<unknown> | null>(null);
  const [busy, setBusy] = useState(false);
  const base = `passkey-${passkey.id}`;

  async function rename(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    const result = await actions.renamePasskey(null, formData({ passkeyId: passkey.id, name }));
    setBusy(false);
    setState(result);
    if (result.ok) setMode("view");
  }

  async function remove() {
    setBusy(true);
    const result = await guard("passkeys", () => actions.removePasskey(null, formData({ passkeyId: passkey.id })));
    setBusy(false);
    if (result?.ok) onRemoved(result);
    else if (result) setState(result);
  }

  return (
    <li className="space-y-2 p-4" data-testid="passkey">
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div className="min-w-0">
          <p className="font-medium break-words">
            {passkey.name}
            {passkey.backedUp && (
              <span className="ml-2 rounded bg-gray-100 px-2 py-0.5 text-sm font-normal text-gray-800">synced</span>
            )}
          </p>
          <p className="text-sm text-gray-700">
            Added {passkey.added} · {passkey.lastUsed ? `Last used ${passkey.lastUsed}` : "Not used yet"}
          </p>
        </div>
        {mode === "view" && (
          <div className="flex gap-2">
            <button
              type="button"
              className={buttonSecondary}
              aria-label={`Rename ${passkey.name}`}
              onClick={() => setMode("rename")}
            >
              Rename
            </button>
            <button
              type="button"
              className={buttonDanger}
              aria-label={`Remove ${passkey.name}`}
              onClick={() => setMode("remove")}
            >
              Remove
            </button>
          </div>
        )}
      </div>
      {mode === "rename" && (
        <form onSubmit={rename} className="flex flex-wrap items-end gap-2">
          <div className="min-w-0 flex-1">
            <label htmlFor={`${base}-name`} className="block text-sm font-medium">
              New name
            </label>
            <input
              id={`${base}-name`}
              value={name}
              maxLength={60}
              onChange={(e) => setName(e.target.value)}
              className="block w-full rounded-md border border-gray-400 px-3 py-2"
            />
          </div>
          <button type="submit" disabled={busy} className={buttonPrimary}>
            Save name
          </button>
          <button type="button" className={buttonSecondary} onClick={() => setMode("view")}>
            Cancel
          </button>
        </form>
      )}
      {mode === "remove" && (
        <div
          className="space-y-2 rounded-md border border-red-700 bg-red-50 p-3"
          role="group"
          aria-label="Confirm removal"
        >
          <p className="text-sm text-red-900">
            Remove “{passkey.name}”? You won&apos;t be able to sign in with it any more. Your other devices will be
            signed out.
          </p>
          <div className="flex flex-wrap gap-2">
            <button type="button" disabled={busy} className={buttonDanger} onClick={remove}>
              {busy ? "Removing…" : "Yes, remove it"}
            </button>
            <button type="button" className={buttonSecondary} onClick={() => setMode("view")}>
              Keep it
            </button>
          </div>
        </div>
      )}
      <FormMessage id={`${base}-message`} state={state} />
    </li>
  );
}

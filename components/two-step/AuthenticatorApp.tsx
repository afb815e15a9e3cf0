"use client";

import { useState, type FormEvent } from "react";
import { FormMessage } from "@/components/ui/FormMessage";
import type { ActionResult } from "@/lib/actions/result";
import { ConfirmSlot, useTwoStep } from "./TwoStepSection";
import { buttonDanger, buttonPrimary, buttonSecondary, formData } from "./types";

type Enrolment = { secret: string; uri: string; qrSvg: string };

/** "JBSW Y3DP EHPK 3PXP": groups of four are easier to type into an app than 32 letters in a row. */
function grouped(secret: string): string {
  return secret.replace(/(.{4})(?=.)/g, "$1 ");
}

/** Authenticator app: set up (QR code, secret as text, first code) or remove. */
export function AuthenticatorApp() {
  const { actions, status, guard, showCodes } = useTwoStep();
  const [enrolment, setEnrolment] = useState<Enrolment | null>(null);
  const [state, setState] = useState<ActionResult<unknown> | null>(null);
  const [busy, setBusy] = useState(false);
  const [code, setCode] = useState("");
  const [codeError, setCodeError] = useState("");
  const [removing, setRemoving] = useState(false);
  const [copied, setCopied] = useState(false);

  async function start() {
    setBusy(true);
    setState(null);
    const result = await guard("authenticator", () => actions.startAuthenticator(null, new FormData()));
    setBusy(false);
    if (!result) return;
    if (result.ok) setEnrolment(result.data);
    else setState(result);
  }

  async function confirm(event: FormEvent) {
    event.preventDefault();
    const digits = code.replace(/\s+/g, "");
    if (!/^\d{6}$/.test(digits)) {
      setCodeError("The code is 6 digits");
      return;
    }
    setCodeError("");
    setBusy(true);
    const result = await guard("authenticator", () => actions.confirmAuthenticator(null, formData({ code: digits })));
    setBusy(false);
    if (!result) return;
    if (!result.ok && result.fieldErrors?.code?.[0]) {
      setCodeError(result.fieldErrors.code[0]);
      return;
    }
    setState(result);
    if (result.ok) {
      setEnrolment(null);
      setCode("");
      showCodes(result.data.recoveryCodes);
    } else if (result.code === "authenticatorEnrolmentExpired") {
      setEnrolment(null);
    }
  }

  async function remove() {
    setBusy(true);
    const result = await guard("authenticator", () => actions.removeAuthenticator(null, new FormData()));
    setBusy(false);
    if (!result) return;
    setState(result);
    if (result.ok) setRemoving(false);
  }

  async function copy(text: string) {
    await navigator.clipboard?.writeText(text).catch(() => {});
    setCopied(true);
  }

  return (
    <div className="space-y-3" data-testid="authenticator">
      <h3 className="text-lg font-semibold">Authenticator app</h3>
      {status.authenticator ? (
        <div className="space-y-2">
          <p>
            On since {status.authenticator.added} ·{" "}
            {status.authenticator.lastUsed ? `Last used ${status.authenticator.lastUsed}` : "Not used yet"}
          </p>
          {!removing ? (
            <button type="button" className={buttonDanger} onClick={() => setRemoving(true)}>
              Remove the authenticator app
            </button>
          ) : (
            <div
              className="space-y-2 rounded-md border border-red-700 bg-red-50 p-3"
              role="group"
              aria-label="Confirm removal"
            >
              <p className="text-sm text-red-900">
                Remove the authenticator app? Its codes will stop working. Your other devices will be signed out.
              </p>
              <div className="flex flex-wrap gap-2">
                <button type="button" disabled={busy} className={buttonDanger} onClick={remove}>
                  {busy ? "Removing…" : "Yes, remove it"}
                </button>
                <button type="button" className={buttonSecondary} onClick={() => setRemoving(false)}>
                  Keep it
                </button>
              </div>
            </div>
          )}
        </div>
      ) : enrolment ? (
        <div className="space-y-4" data-testid="authenticator-setup">
          <ol className="list-decimal space-y-4 pl-5">
            <li className="space-y-2">
              <p>
                Scan this QR code with your authenticator app (for example Google Authenticator, Microsoft Authenticator
                or 1Password).
              </p>
              <div
                role="img"
                aria-label="QR code for your authenticator app. If you can't scan it, type the setup key shown below instead."
                className="h-48 w-48 max-w-full bg-white p-2 [&>svg]:h-full [&>svg]:w-full"
                dangerouslySetInnerHTML={{ __html: enrolment.qrSvg }}
              />
            </li>
            <li className="space-y-2">
              <p id="setup-key-label">Or type this setup key into the app:</p>
              <p
                aria-labelledby="setup-key-label"
                data-testid="setup-key"
                className="font-mono text-lg break-all tracking-wide"
              >
                {grouped(enrolment.secret)}
              </p>
              <button type="button" className={buttonSecondary} onClick={() => copy(enrolment.secret)}>
                Copy the setup key
              </button>
              <span role="status" aria-live="polite" className="ml-2 text-sm text-gray-700">
                {copied ? "Copied." : ""}
              </span>
            </li>
            <li>
              <form onSubmit={confirm} noValidate className="space-y-2">
                <div className="space-y-1">
                  <label htmlFor="authenticator-code" className="block text-sm font-medium text-gray-900">
                    Enter the 6-digit code
                  </label>
                  <p id="authenticator-code-hint" className="text-sm text-gray-600">
                    The code your app shows for this account now.
                  </p>
                  <input
                    id="authenticator-code"
                    name="code"
                    inputMode="numeric"
                    autoComplete="one-time-code"
                    maxLength={7}
                    value={code}
                    onChange={(e) => setCode(e.target.value)}
                    aria-invalid={codeError ? true : undefined}
                    aria-describedby={`authenticator-code-hint${codeError ? " authenticator-code-error" : ""}`}
                    className={`block w-40 rounded-md border px-3 py-2 font-mono ${codeError ? "border-red-700" : "border-gray-400"}`}
                  />
                  <p id="authenticator-code-error" className="min-h-5 text-sm text-red-800" aria-live="polite">
                    {codeError}
                  </p>
                </div>
                <div className="flex flex-wrap gap-2">
                  <button type="submit" disabled={busy} className={buttonPrimary}>
                    {busy ? "Checking…" : "Turn on"}
                  </button>
                  <button type="button" className={buttonSecondary} onClick={() => setEnrolment(null)}>
                    Cancel
                  </button>
                </div>
              </form>
            </li>
          </ol>
        </div>
      ) : (
        <div className="space-y-2">
          <p className="text-sm text-gray-700">An app on your phone that shows a new 6-digit code every 30 seconds.</p>
          <button type="button" disabled={busy} className={buttonPrimary} onClick={start}>
            {busy ? "Starting…" : "Set up an authenticator app"}
          </button>
        </div>
      )}
      <ConfirmSlot place="authenticator" />
      <FormMessage id="authenticator-message" state={state} />
    </div>
  );
}

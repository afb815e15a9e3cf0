"use client";

import { useActionState, useState, useTransition } from "react";
import { browserSupportsWebAuthn, startRegistration } from "@simplewebauthn/browser";
import { Field } from "@/components/ui/Field";
import { FormMessage, SubmitButton } from "@/components/ui/FormMessage";
import { useActionForm, type FormAction } from "@/components/ui/form-hooks";
import type { ActionResult } from "@/lib/actions/result";
import { messages } from "@/lib/messages";
import { authenticatorCodeSchema } from "@/lib/two-step/schema";

type Started = { secret: string; uri: string; qrSvg: string };
type Enrolled = { recoveryCodes: string[] };

/** "ABCD EFGH IJKL …": the secret as people type it into an app, in groups of four. */
function grouped(secret: string): string {
  return secret.replace(/(.{4})(?=.)/g, "$1 ");
}

/**
 * Staff enrolment at sign-in: an authenticator app or a passkey; then the ten recovery codes,
 * shown once. The session is full by the time the codes show, so "continue" is a plain link.
 */
export function EnrolSteps({
  startAuthenticator,
  confirmAuthenticator,
  passkeyOptions,
  savePasskey,
}: {
  startAuthenticator: FormAction<Started>;
  confirmAuthenticator: FormAction<Enrolled>;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  passkeyOptions: FormAction<any>;
  savePasskey: FormAction<Enrolled>;
}) {
  const [started, startAction, starting] = useActionState(startAuthenticator, null);
  const [viaPasskey, setViaPasskey] = useState<string[] | null>(null);
  const confirm = useActionForm(authenticatorCodeSchema, confirmAuthenticator, { code: "" });
  const codes = viaPasskey ?? (confirm.state?.ok ? confirm.state.data.recoveryCodes : null);

  if (codes) return <RecoveryCodes codes={codes} />;

  return (
    <div className="space-y-8">
      <section aria-labelledby="app-heading" className="space-y-3">
        <h2 id="app-heading" className="text-lg font-semibold">
          Set up an authenticator app
        </h2>
        <p className="text-sm text-gray-700">
          Use an app such as Google Authenticator, Microsoft Authenticator, 1Password or Authy on your phone.
        </p>
        <form action={startAction} aria-describedby="start-message" className="space-y-2">
          <FormMessage id="start-message" state={started && !started.ok ? started : null} />
          {!started?.ok && (
            <SubmitButton pending={starting} pendingText="Preparing…">
              Set up an authenticator app
            </SubmitButton>
          )}
        </form>
        {started?.ok && (
          <div className="space-y-4">
            <ol className="list-decimal space-y-1 pl-5 text-sm">
              <li>In your app, add an account and scan this QR code.</li>
              <li>Or type the key shown under it (time-based, 6 digits).</li>
              <li>Enter the 6-digit code the app then shows.</li>
            </ol>
            <figure className="space-y-2">
              <div
                role="img"
                aria-label="QR code for your authenticator app"
                className="h-48 w-48 bg-white p-2 [&>svg]:h-full [&>svg]:w-full"
                dangerouslySetInnerHTML={{ __html: started.data.qrSvg }}
              />
              <figcaption className="text-sm">
                Key:{" "}
                <code data-testid="totp-secret" className="font-mono text-base break-words">
                  {grouped(started.data.secret)}
                </code>
              </figcaption>
            </figure>
            <form
              action={confirm.formAction}
              onSubmit={confirm.onSubmit}
              noValidate
              className="space-y-3"
              aria-describedby="confirm-message"
            >
              <FormMessage id="confirm-message" state={confirm.state} />
              <Field
                label="6-digit code"
                registration={confirm.form.register("code")}
                error={confirm.errorFor("code")}
                inputMode="numeric"
                autoComplete="one-time-code"
                pattern="[0-9 ]*"
                maxLength={7}
                required
              />
              <SubmitButton pending={confirm.pending} pendingText="Checking…">
                Turn on
              </SubmitButton>
            </form>
          </div>
        )}
      </section>
      <section aria-labelledby="passkey-heading" className="space-y-3">
        <h2 id="passkey-heading" className="text-lg font-semibold">
          Or add a passkey
        </h2>
        <p className="text-sm text-gray-700">
          A passkey lives on this device or in your password manager and is unlocked with your fingerprint, face or
          screen lock.
        </p>
        <AddPasskey passkeyOptions={passkeyOptions} savePasskey={savePasskey} onSaved={setViaPasskey} />
      </section>
    </div>
  );
}

function AddPasskey({
  passkeyOptions,
  savePasskey,
  onSaved,
}: {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  passkeyOptions: FormAction<any>;
  savePasskey: FormAction<Enrolled>;
  onSaved: (codes: string[]) => void;
}) {
  const [error, setError] = useState("");
  const [pending, startTransition] = useTransition();
  function run() {
    setError("");
    startTransition(async () => {
      if (!browserSupportsWebAuthn()) return setError(messages.passkeyNotSupported);
      const options: ActionResult<unknown> = await passkeyOptions(null, new FormData());
      if (!options.ok) return setError(options.formError);
      let response;
      try {
        response = await startRegistration({ optionsJSON: options.data as never });
      } catch (err) {
        const name = (err as { name?: string }).name;
        return setError(
          name === "NotAllowedError" || name === "AbortError" ? messages.passkeyCancelled : messages.passkeyFailed,
        );
      }
      const data = new FormData();
      data.set("response", JSON.stringify(response));
      const saved = await savePasskey(null, data);
      if (!saved.ok) return setError(saved.formError);
      onSaved(saved.data.recoveryCodes);
    });
  }
  return (
    <div className="space-y-2">
      <button
        type="button"
        onClick={run}
        disabled={pending}
        aria-describedby="enrol-passkey-message"
        className="rounded-md border border-brand-700 bg-white px-4 py-2 font-semibold text-brand-700 hover:bg-brand-50 disabled:opacity-70"
      >
        {pending ? "Waiting for your passkey…" : "Add a passkey"}
      </button>
      <noscript>
        <p className="text-sm text-gray-700">Passkeys need JavaScript. Turn it on, or set up an authenticator app.</p>
      </noscript>
      <div id="enrol-passkey-message" role="status" aria-live="polite">
        {error && <p className="rounded-md border border-red-700 bg-red-50 px-3 py-2 text-sm text-red-900">{error}</p>}
      </div>
    </div>
  );
}

/** The ten recovery codes, shown this once: copy, download, then continue to the console. */
export function RecoveryCodes({ codes, continueTo = "/console" }: { codes: string[]; continueTo?: string }) {
  const [copied, setCopied] = useState("");
  const text = `MyAccount recovery codes (each works once)\n\n${codes.join("\n")}\n`;
  return (
    <section aria-labelledby="codes-heading" className="space-y-4">
      <h2 id="codes-heading" className="text-lg font-semibold" tabIndex={-1}>
        Two-step sign-in is on. Save your recovery codes
      </h2>
      <p className="text-sm">
        If you lose your phone or passkey, each of these codes signs you in once. Keep them somewhere safe, such as your
        password manager. They are shown only now.
      </p>
      <ol aria-label="Recovery codes" className="grid grid-cols-1 gap-1 font-mono sm:grid-cols-2">
        {codes.map((c) => (
          <li key={c} data-testid="recovery-code" className="rounded bg-gray-100 px-2 py-1">
            {c}
          </li>
        ))}
      </ol>
      <div className="flex flex-wrap gap-3">
        <button
          type="button"
          className="rounded-md border border-brand-700 px-3 py-2 text-sm font-semibold text-brand-700"
          onClick={() =>
            navigator.clipboard.writeText(text).then(
              () => setCopied("Copied."),
              () => setCopied("Copying didn't work; select the codes and copy them."),
            )
          }
        >
          Copy codes
        </button>
        <a
          className="rounded-md border border-brand-700 px-3 py-2 text-sm font-semibold text-brand-700"
          href={`data:text/plain;charset=utf-8,${encodeURIComponent(text)}`}
          download="myaccount-recovery-codes.txt"
        >
          Download as .txt
        </a>
      </div>
      <p role="status" aria-live="polite" className="text-sm">
        {copied}
      </p>
      <a
        href={continueTo}
        className="inline-block rounded-md bg-brand-600 px-4 py-2 font-semibold text-white hover:bg-brand-700"
      >
        I have saved my codes — continue
      </a>
    </section>
  );
}

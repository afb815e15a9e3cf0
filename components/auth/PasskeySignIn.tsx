"use client";

import { useState, useTransition } from "react";
import { browserSupportsWebAuthn, startAuthentication } from "@simplewebauthn/browser";
import type { ActionResult } from "@/lib/actions/result";
import { messages } from "@/lib/messages";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Action<T> = (prev: ActionResult<any> | null, data: FormData) => Promise<ActionResult<T>>;

/**
 * A passkey button: asks the server for a challenge, lets the browser find a passkey, and sends
 * the signed answer back. The verifying action redirects on success. Passkeys need JavaScript, so
 * the <noscript> hint says so.
 */
export function PasskeyButton({
  id,
  label,
  optionsAction,
  verifyAction,
  next,
  primary = false,
}: {
  id: string;
  label: string;
  // The options are WebAuthn's JSON; typed loosely here so this client module imports no server types.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  optionsAction: Action<any>;
  verifyAction: Action<unknown>;
  next: string;
  primary?: boolean;
}) {
  const [error, setError] = useState("");
  const [pending, startTransition] = useTransition();

  function run() {
    setError("");
    startTransition(async () => {
      if (!browserSupportsWebAuthn()) {
        setError(messages.passkeyNotSupported);
        return;
      }
      const options = await optionsAction(null, new FormData());
      if (!options.ok) {
        setError(options.formError);
        return;
      }
      let response;
      try {
        response = await startAuthentication({ optionsJSON: options.data });
      } catch (err) {
        const name = (err as { name?: string }).name;
        setError(
          name === "NotAllowedError" || name === "AbortError" ? messages.passkeyCancelled : messages.passkeyFailed,
        );
        return;
      }
      const data = new FormData();
      data.set("response", JSON.stringify(response));
      data.set("next", next);
      // On success the action redirects; only a refusal comes back here.
      const result = await verifyAction(null, data);
      if (!result.ok) setError(result.formError);
    });
  }

  return (
    <div className="space-y-2">
      <button
        type="button"
        onClick={run}
        disabled={pending}
        aria-disabled={pending}
        aria-describedby={`${id}-message`}
        className={
          primary
            ? "w-full rounded-md bg-brand-600 px-4 py-2 font-semibold text-white hover:bg-brand-700 disabled:opacity-70"
            : "w-full rounded-md border border-brand-700 bg-white px-4 py-2 font-semibold text-brand-700 hover:bg-brand-50 disabled:opacity-70"
        }
      >
        {pending ? "Waiting for your passkey…" : label}
      </button>
      <noscript>
        <p className="text-sm text-gray-700">Passkeys need JavaScript. Turn it on, or use another way below.</p>
      </noscript>
      <div id={`${id}-message`} role="status" aria-live="polite">
        {error && <p className="rounded-md border border-red-700 bg-red-50 px-3 py-2 text-sm text-red-900">{error}</p>}
      </div>
    </div>
  );
}

"use client";

import { useEffect, useRef, useState } from "react";
import { FormMessage } from "@/components/ui/FormMessage";
import type { ActionResult } from "@/lib/actions/result";
import { ConfirmSlot, useTwoStep } from "./TwoStepSection";
import { buttonPrimary, buttonSecondary } from "./types";

/**
 * Recovery codes: the ten codes right after turning two-step on or making new ones (shown this
 * once: only their hashes are stored), else how many are left and "Make new codes".
 */
export function RecoveryCodes({
  shown,
  onDismiss,
  on,
}: {
  shown: string[] | null;
  onDismiss: () => void;
  on: boolean;
}) {
  const { actions, status, guard, showCodes } = useTwoStep();
  const [state, setState] = useState<ActionResult<unknown> | null>(null);
  const [busy, setBusy] = useState(false);
  const [copied, setCopied] = useState(false);
  const heading = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    if (shown) heading.current?.focus();
  }, [shown]);

  if (!on && !shown) return null;

  async function regenerate() {
    setBusy(true);
    setState(null);
    const result = await guard("codes", () => actions.regenerateRecoveryCodes(null, new FormData()));
    setBusy(false);
    if (!result) return;
    setState(result);
    if (result.ok) showCodes(result.data.recoveryCodes);
  }

  if (shown) {
    const text = `MyAccount recovery codes (each works once)\n\n${shown.join("\n")}\n`;
    const href = `data:text/plain;charset=utf-8,${encodeURIComponent(text)}`;
    return (
      <div
        className="space-y-3 rounded-md border-2 border-amber-600 bg-amber-50 p-4"
        data-testid="recovery-codes"
        role="group"
        aria-labelledby="codes-heading"
      >
        <h3 id="codes-heading" ref={heading} tabIndex={-1} className="text-lg font-semibold">
          Your recovery codes
        </h3>
        <p className="font-medium text-amber-950">
          Save these codes now: this is the only time we show them. If you lose your passkeys and your authenticator
          app, a recovery code is the only way to finish signing in. Each code works once.
        </p>
        <ul
          className="grid grid-cols-1 gap-x-6 gap-y-1 font-mono text-base min-[380px]:grid-cols-2"
          aria-label="Recovery codes"
        >
          {shown.map((c) => (
            <li key={c}>{c}</li>
          ))}
        </ul>
        <div className="flex flex-wrap items-center gap-2">
          <button
            type="button"
            className={buttonSecondary}
            onClick={async () => {
              await navigator.clipboard?.writeText(shown.join("\n")).catch(() => {});
              setCopied(true);
            }}
          >
            Copy
          </button>
          <a href={href} download="myaccount-recovery-codes.txt" className={buttonSecondary}>
            Download (.txt)
          </a>
          <button type="button" className={buttonPrimary} onClick={onDismiss}>
            I saved my codes
          </button>
          <span role="status" aria-live="polite" className="text-sm text-gray-800">
            {copied ? "Copied." : ""}
          </span>
        </div>
      </div>
    );
  }

  return (
    <div className="space-y-2" data-testid="recovery-codes-summary">
      <h3 className="text-lg font-semibold">Recovery codes</h3>
      <p>
        {status.recoveryCodes
          ? `${status.recoveryCodes.unused} of 10 unused, created ${status.recoveryCodes.created}.`
          : "You have no recovery codes."}
      </p>
      <p className="text-sm text-gray-700">Making new codes stops the old ones from working.</p>
      <button type="button" disabled={busy} className={buttonSecondary} onClick={regenerate}>
        {busy ? "Making codes…" : "Make new codes"}
      </button>
      <ConfirmSlot place="codes" />
      <FormMessage id="codes-message" state={state} />
    </div>
  );
}

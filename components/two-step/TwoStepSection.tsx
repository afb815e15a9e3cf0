"use client";

import { createContext, useCallback, useContext, useRef, useState, type ReactNode } from "react";
import type { ActionResult } from "@/lib/actions/result";
import { AuthenticatorApp } from "./AuthenticatorApp";
import { ConfirmItsYou } from "./ConfirmItsYou";
import { PasskeyList } from "./PasskeyList";
import { RecoveryCodes } from "./RecoveryCodes";
import type { TwoStepActions, TwoStepStatus } from "./types";

type Place = "passkeys" | "authenticator" | "codes";

type TwoStepContext = {
  actions: TwoStepActions;
  status: TwoStepStatus;
  /**
   * Runs a change; when the server answers "freshVerificationNeeded", shows "Confirm it's you" at
   * `place` and, once confirmed, runs it again. null when the person cancelled.
   */
  guard: <T>(place: Place, run: () => Promise<ActionResult<T>>) => Promise<ActionResult<T> | null>;
  /** Recovery codes to show once (after turning two-step on, or making new ones). */
  showCodes: (codes: string[] | null) => void;
};

const Context = createContext<TwoStepContext | null>(null);

export function useTwoStep(): TwoStepContext {
  const value = useContext(Context);
  if (!value) throw new Error("useTwoStep outside TwoStepSection");
  return value;
}

/** Where "Confirm it's you" appears when a change at `place` asks for it. */
export function ConfirmSlot({ place }: { place: Place }) {
  const slot = useContext(SlotContext);
  if (!slot || slot.place !== place) return null;
  return slot.node;
}
const SlotContext = createContext<{ place: Place; node: ReactNode } | null>(null);

/**
 * "Two-step sign-in" on /account/security (customers, optional) and /console/security (staff,
 * required): status, passkeys, authenticator app, recovery codes. Changes are the server's to
 * allow (lib/two-step/manage.ts); this only asks for the fresh verification when told to.
 */
export function TwoStepSection({ actions, status }: { actions: TwoStepActions; status: TwoStepStatus }) {
  const [confirming, setConfirming] = useState<{ place: Place; resolve: (confirmed: boolean) => void } | null>(null);
  const [codes, setCodes] = useState<string[] | null>(null);
  const codesRef = useRef<HTMLDivElement>(null);

  const guard = useCallback(
    async <T,>(place: Place, run: () => Promise<ActionResult<T>>): Promise<ActionResult<T> | null> => {
      const first = await run();
      if (first.ok || first.code !== "freshVerificationNeeded") return first;
      const confirmed = await new Promise<boolean>((resolve) => setConfirming({ place, resolve }));
      setConfirming(null);
      return confirmed ? run() : null;
    },
    [],
  );

  const showCodes = useCallback((next: string[] | null) => {
    if (!next) return;
    setCodes(next);
    // The codes are the one thing the person must act on now: bring them into view.
    requestAnimationFrame(() => codesRef.current?.scrollIntoView({ block: "start" }));
  }, []);

  const on = status.passkeys.length > 0 || status.authenticator !== null;
  const methods = [
    status.passkeys.length > 0 && `${status.passkeys.length} passkey${status.passkeys.length === 1 ? "" : "s"}`,
    status.authenticator && "an authenticator app",
  ].filter(Boolean);

  const slot = confirming && {
    place: confirming.place,
    node: (
      <ConfirmItsYou
        actions={actions}
        hasPasskey={status.passkeys.length > 0}
        onConfirmed={() => confirming.resolve(true)}
        onCancel={() => confirming.resolve(false)}
      />
    ),
  };

  return (
    <Context.Provider value={{ actions, status, guard, showCodes }}>
      <SlotContext.Provider value={slot || null}>
        <section id="two-step" aria-labelledby="two-step-heading" className="scroll-mt-4 space-y-6">
          <div className="space-y-2">
            <h2 id="two-step-heading" className="text-xl font-semibold">
              Two-step sign-in
            </h2>
            <p data-testid="two-step-status" className={on ? "font-medium text-green-900" : "font-medium"}>
              {on ? `Two-step sign-in is on, with ${methods.join(" and ")}.` : "Two-step sign-in is off."}
            </p>
            <p className="text-sm text-gray-700">
              {status.staff
                ? "Staff accounts must keep at least one passkey or authenticator app."
                : "With two-step on, signing in needs your password and a second step: a passkey or a code from an authenticator app. A passkey can also sign you in on its own."}
            </p>
            <noscript>
              <p className="text-sm text-gray-800">
                Adding and removing passkeys and authenticator apps needs JavaScript. Turn it on to manage two-step
                sign-in.
              </p>
            </noscript>
          </div>
          <PasskeyList />
          <AuthenticatorApp />
          <div ref={codesRef} className="scroll-mt-4">
            <RecoveryCodes shown={codes} onDismiss={() => setCodes(null)} on={on} />
          </div>
        </section>
      </SlotContext.Provider>
    </Context.Provider>
  );
}

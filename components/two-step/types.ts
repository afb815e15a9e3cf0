import type { ActionResult } from "@/lib/actions/result";

// Client-safe types shared by the two-step components and the pages that give them data.

// `prev` is loosely typed so one type fits every action (their success data differs).
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type TwoStepAction<T = any> = (prev: ActionResult<any> | null, data: FormData) => Promise<ActionResult<T>>;

/** The server actions of app/account/security/actions.ts, handed down by both security pages. */
export type TwoStepActions = {
  reauthPassword: TwoStepAction<undefined>;
  reauthPasskeyOptions: TwoStepAction;
  reauthPasskey: TwoStepAction<undefined>;
  passkeyOptions: TwoStepAction;
  addPasskey: TwoStepAction<{ recoveryCodes: string[] | null }>;
  renamePasskey: TwoStepAction<undefined>;
  removePasskey: TwoStepAction<undefined>;
  startAuthenticator: TwoStepAction<{ secret: string; uri: string; qrSvg: string }>;
  confirmAuthenticator: TwoStepAction<{ recoveryCodes: string[] | null }>;
  removeAuthenticator: TwoStepAction<undefined>;
  regenerateRecoveryCodes: TwoStepAction<{ recoveryCodes: string[] }>;
};

/** What the page knows about the person's factors, with times already in their zone. */
export type TwoStepStatus = {
  staff: boolean;
  passkeys: { id: string; name: string; added: string; lastUsed: string | null; backedUp: boolean }[];
  authenticator: { added: string; lastUsed: string | null } | null;
  recoveryCodes: { unused: number; created: string } | null;
  /** "Passkey on Chrome on Linux" for the device in use. */
  defaultPasskeyName: string;
};

/** Runs a change; when the server asks for a fresh verification, shows "Confirm it's you" and runs it again after. */
export type Guard = <T>(run: () => Promise<ActionResult<T>>) => Promise<ActionResult<T> | null>;

export const buttonPrimary =
  "rounded-md bg-brand-600 px-4 py-2 font-semibold text-white hover:bg-brand-700 disabled:opacity-70";
export const buttonSecondary =
  "rounded-md border border-gray-500 bg-white px-3 py-1.5 text-sm font-medium text-gray-900 hover:bg-gray-100 disabled:opacity-70";
export const buttonDanger =
  "rounded-md border border-red-700 bg-white px-3 py-1.5 text-sm font-medium text-red-800 hover:bg-red-50 disabled:opacity-70";

export function formData(values: Record<string, string>): FormData {
  const data = new FormData();
  for (const [k, v] of Object.entries(values)) data.set(k, v);
  return data;
}

import type { TwoStepActions } from "@/components/two-step/types";
import {
  addPasskeyAction,
  confirmAuthenticatorAction,
  passkeyOptionsAction,
  reauthPasskeyAction,
  reauthPasskeyOptionsAction,
  reauthPasswordAction,
  regenerateRecoveryCodesAction,
  removeAuthenticatorAction,
  removePasskeyAction,
  renamePasskeyAction,
  startAuthenticatorAction,
} from "./actions";

// Not in actions.ts: a "use server" module may export only async functions.
/** Handed to components/two-step by both security pages. */
export const twoStepActions: TwoStepActions = {
  reauthPassword: reauthPasswordAction,
  reauthPasskeyOptions: reauthPasskeyOptionsAction,
  reauthPasskey: reauthPasskeyAction,
  passkeyOptions: passkeyOptionsAction,
  addPasskey: addPasskeyAction,
  renamePasskey: renamePasskeyAction,
  removePasskey: removePasskeyAction,
  startAuthenticator: startAuthenticatorAction,
  confirmAuthenticator: confirmAuthenticatorAction,
  removeAuthenticator: removeAuthenticatorAction,
  regenerateRecoveryCodes: regenerateRecoveryCodesAction,
};

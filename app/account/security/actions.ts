"use server";

import { revalidatePath } from "next/cache";
import { ok, type Outcome } from "@/lib/actions/result";
import { secureAction } from "@/lib/actions/secure-action";
import { changePassword } from "@/lib/auth/password-change";
import { changePasswordSchema, emptySchema, revokeSessionGroupSchema } from "@/lib/auth/schema";
import type { ActiveSession } from "@/lib/auth/sessions";
import { signOutDeviceGroup, signOutEverywhereElse, type SessionActor } from "@/lib/auth/sign-out";
import { reauthenticateWithPasskey, reauthenticateWithPassword, reauthPasskeyOptions } from "@/lib/two-step/fresh";
import {
  addPasskey,
  confirmAuthenticatorSetup,
  regenerateRecoveryCodes,
  removeOwnAuthenticator,
  removeOwnPasskey,
  renameOwnPasskey,
  startAddingPasskey,
  startAuthenticatorSetup,
} from "@/lib/two-step/manage";
import {
  addPasskeySchema,
  passkeyIdSchema,
  reauthPasswordSchema,
  renamePasskeySchema,
} from "@/lib/two-step/manage-schema";
import { authenticatorCodeSchema, passkeyResponseSchema } from "@/lib/two-step/schema";

// Every change here: HTTPS only, the signed-in customer only, on their own sessions.
const door = { capability: "account.own", httpsOnly: true } as const;

function actorOf(ctx: { session: { userId: string; sessionId: string }; request: { clientIp: string } }): SessionActor {
  return { userId: ctx.session.userId, sessionId: ctx.session.sessionId, ip: ctx.request.clientIp };
}

/** A successful change redraws the device list. */
async function refreshed<T>(outcome: Promise<Outcome<T>>): Promise<Outcome<T>> {
  const result = await outcome;
  if (result.ok) revalidatePath("/account/security");
  return result;
}

export const signOutDeviceGroupAction = secureAction(
  { ...door, schema: revokeSessionGroupSchema },
  async ({ sessionIds }, ctx) => refreshed(signOutDeviceGroup(actorOf(ctx), sessionIds.split(","))),
);

export const signOutEverywhereElseAction = secureAction({ ...door, schema: emptySchema }, async (_input, ctx) =>
  refreshed(signOutEverywhereElse(actorOf(ctx))),
);

export const changePasswordAction = secureAction({ ...door, schema: changePasswordSchema }, async (input, ctx) =>
  refreshed(changePassword(input, ctx.session, { ip: ctx.request.clientIp })),
);

// ---------------------------------------------------------------------------------------------
// Two-step sign-in (lib/two-step/manage.ts, fresh.ts): the same actions serve the customers'
// /account/security and the staff's /console/security, so a change redraws both.

const twoStepDoor = { capability: "twoStep.own", httpsOnly: true } as const;

type TwoStepCtx = { session: ActiveSession; request: { clientIp: string } };

function manager(ctx: TwoStepCtx) {
  return { session: ctx.session, ip: ctx.request.clientIp };
}

async function redrawn<T>(outcome: Promise<Outcome<T>>): Promise<Outcome<T>> {
  const result = await outcome;
  if (result.ok) {
    revalidatePath("/account/security");
    revalidatePath("/console/security");
  }
  return result;
}

/** A WebAuthn answer arrives as JSON text (one form field); unreadable text is a failed passkey. */
function parsedResponse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

export const reauthPasswordAction = secureAction({ ...twoStepDoor, schema: reauthPasswordSchema }, async (input, ctx) =>
  reauthenticateWithPassword(manager(ctx), input.password),
);

export const reauthPasskeyOptionsAction = secureAction({ ...twoStepDoor, schema: emptySchema }, async (_input, ctx) =>
  ok(await reauthPasskeyOptions(ctx.session)),
);

export const reauthPasskeyAction = secureAction({ ...twoStepDoor, schema: passkeyResponseSchema }, async (input, ctx) =>
  reauthenticateWithPasskey(manager(ctx), parsedResponse(input.response)),
);

export const passkeyOptionsAction = secureAction({ ...twoStepDoor, schema: emptySchema }, async (_input, ctx) =>
  startAddingPasskey(manager(ctx)),
);

export const addPasskeyAction = secureAction({ ...twoStepDoor, schema: addPasskeySchema }, async (input, ctx) =>
  redrawn(addPasskey(manager(ctx), { name: input.name, response: parsedResponse(input.response) })),
);

export const renamePasskeyAction = secureAction({ ...twoStepDoor, schema: renamePasskeySchema }, async (input, ctx) =>
  redrawn(renameOwnPasskey(manager(ctx), input.passkeyId, input.name)),
);

export const removePasskeyAction = secureAction({ ...twoStepDoor, schema: passkeyIdSchema }, async (input, ctx) =>
  redrawn(removeOwnPasskey(manager(ctx), input.passkeyId)),
);

export const startAuthenticatorAction = secureAction({ ...twoStepDoor, schema: emptySchema }, async (_input, ctx) =>
  startAuthenticatorSetup(manager(ctx)),
);

export const confirmAuthenticatorAction = secureAction(
  { ...twoStepDoor, schema: authenticatorCodeSchema },
  async (input, ctx) => redrawn(confirmAuthenticatorSetup(manager(ctx), input.code)),
);

export const removeAuthenticatorAction = secureAction({ ...twoStepDoor, schema: emptySchema }, async (_input, ctx) =>
  redrawn(removeOwnAuthenticator(manager(ctx))),
);

export const regenerateRecoveryCodesAction = secureAction(
  { ...twoStepDoor, schema: emptySchema },
  async (_input, ctx) => redrawn(regenerateRecoveryCodes(manager(ctx))),
);

"use server";

import { revalidatePath } from "next/cache";
import type { Outcome } from "@/lib/actions/result";
import { secureAction } from "@/lib/actions/secure-action";
import { changePassword } from "@/lib/auth/password-change";
import { changePasswordSchema, emptySchema, revokeSessionGroupSchema } from "@/lib/auth/schema";
import { signOutDeviceGroup, signOutEverywhereElse, type SessionActor } from "@/lib/auth/sign-out";

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

"use server";

import { revalidatePath } from "next/cache";
import type { Outcome } from "@/lib/actions/result";
import { secureAction } from "@/lib/actions/secure-action";
import { emptySchema } from "@/lib/auth/schema";
import { preferencesSchema } from "@/lib/preferences/schema";
import { savePreferences } from "@/lib/preferences/update";
import { cancelEmailChange, requestEmailChange, resendEmailChange } from "@/lib/profile/email-change";
import { addressSchema, emailChangeSchema, nameSchema, paymentSchema, phoneSchema } from "@/lib/profile/schema";
import type { ProfileActor } from "@/lib/profile/sections";
import { savePaymentMethod, updateAddresses, updateName, updatePhone } from "@/lib/profile/update";

// Every Edit Profile save: HTTPS only, the signed-in customer only, and the user is always the
// session's (a userId in the form is never read).
const door = { capability: "account.own", httpsOnly: true } as const;

function actorOf(ctx: { session: { userId: string }; request: { clientIp: string } }): ProfileActor {
  return { userId: ctx.session.userId, actorId: ctx.session.userId, ip: ctx.request.clientIp };
}

async function refreshed<T>(result: Promise<Outcome<T>>): Promise<Outcome<T>> {
  const r = await result;
  revalidatePath("/account/profile");
  return r;
}

export const updateNameAction = secureAction({ ...door, schema: nameSchema }, async (input, ctx) =>
  refreshed(updateName(actorOf(ctx), input)),
);

export const updateAddressAction = secureAction({ ...door, schema: addressSchema }, async (input, ctx) =>
  refreshed(updateAddresses(actorOf(ctx), input)),
);

export const updatePhoneAction = secureAction({ ...door, schema: phoneSchema }, async (input, ctx) =>
  refreshed(updatePhone(actorOf(ctx), input)),
);

export const savePaymentAction = secureAction({ ...door, schema: paymentSchema }, async (input, ctx) =>
  refreshed(savePaymentMethod(actorOf(ctx), input)),
);

export const requestEmailChangeAction = secureAction({ ...door, schema: emailChangeSchema }, async (input, ctx) =>
  refreshed(requestEmailChange(actorOf(ctx), input)),
);

export const resendEmailChangeAction = secureAction({ ...door, schema: emptySchema }, async (_input, ctx) =>
  refreshed(resendEmailChange(actorOf(ctx))),
);

export const cancelEmailChangeAction = secureAction({ ...door, schema: emptySchema }, async (_input, ctx) =>
  refreshed(cancelEmailChange(actorOf(ctx))),
);

export const savePreferencesAction = secureAction({ ...door, schema: preferencesSchema }, async (input, ctx) =>
  refreshed(
    savePreferences(
      {
        userId: ctx.session.userId,
        actorId: ctx.session.userId,
        ip: ctx.request.clientIp,
        userAgent: ctx.request.userAgent,
        source: "account",
      },
      input,
    ),
  ),
);

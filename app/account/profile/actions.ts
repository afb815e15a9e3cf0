"use server";

import type { Outcome } from "@/lib/actions/result";
import { secureAction } from "@/lib/actions/secure-action";
import { emptySchema } from "@/lib/auth/schema";
import { getPreferences } from "@/lib/preferences/queries";
import { preferencesSchema } from "@/lib/preferences/schema";
import { savePreferences } from "@/lib/preferences/update";
import { emailData, preferencesData, type EmailInitial, type SectionData } from "@/lib/profile/display";
import { cancelEmailChange, requestEmailChange, resendEmailChange } from "@/lib/profile/email-change";
import { getProfile } from "@/lib/profile/queries";
import {
  addressSchema,
  emailChangeSchema,
  nameSchema,
  paymentRemoveSchema,
  paymentSchema,
  phoneSchema,
  timeZoneSchema,
} from "@/lib/profile/schema";
import type { ProfileActor } from "@/lib/profile/sections";
import {
  removePaymentMethod,
  savePaymentMethod,
  updateAddresses,
  updateName,
  updatePhone,
  updateTimeZone,
} from "@/lib/profile/update";

// Every Edit Profile save: HTTPS only, the signed-in customer only, and the user is always the
// session's (a userId in the form is never read). No revalidatePath: each save returns its
// section's summary lines and new starting values, and the section updates itself from them, so
// a save never renders the whole page again.
const door = { capability: "account.own", httpsOnly: true } as const;

type Ctx = { session: { userId: string; timeZone: string }; request: { clientIp: string } };

function actorOf(ctx: Ctx): ProfileActor {
  return { userId: ctx.session.userId, actorId: ctx.session.userId, ip: ctx.request.clientIp };
}

export const updateNameAction = secureAction({ ...door, schema: nameSchema }, async (input, ctx) =>
  updateName(actorOf(ctx), input),
);

export const updateAddressAction = secureAction({ ...door, schema: addressSchema }, async (input, ctx) =>
  updateAddresses(actorOf(ctx), input),
);

export const updatePhoneAction = secureAction({ ...door, schema: phoneSchema }, async (input, ctx) =>
  updatePhone(actorOf(ctx), input),
);

export const savePaymentAction = secureAction({ ...door, schema: paymentSchema }, async (input, ctx) =>
  savePaymentMethod(actorOf(ctx), input),
);

export const removePaymentAction = secureAction({ ...door, schema: paymentRemoveSchema }, async (input, ctx) =>
  removePaymentMethod(actorOf(ctx), input),
);

export const updateTimeZoneAction = secureAction({ ...door, schema: timeZoneSchema }, async (input, ctx) =>
  updateTimeZone(actorOf(ctx), input),
);

/**
 * The e-mail section as stored after a change, resend or cancel (or beside a stale change): the
 * domain functions say what they did; the section's lines come from one read afterwards.
 */
async function withEmailSection<T>(ctx: Ctx, result: Outcome<T>): Promise<Outcome<SectionData<EmailInitial>>> {
  const profile = await getProfile(ctx.session.userId);
  const data = profile ? emailData(profile.email, ctx.session.timeZone) : undefined;
  if (!result.ok) return result.error === "staleSection" && data ? { ...result, current: data } : result;
  return { ...result, data: data ?? { display: [], initial: { email: "", version: 1, pending: null } } };
}

export const requestEmailChangeAction = secureAction({ ...door, schema: emailChangeSchema }, async (input, ctx) =>
  withEmailSection(ctx, await requestEmailChange(actorOf(ctx), input, ctx.session)),
);

export const resendEmailChangeAction = secureAction({ ...door, schema: emptySchema }, async (_input, ctx) =>
  withEmailSection(ctx, await resendEmailChange(actorOf(ctx))),
);

export const cancelEmailChangeAction = secureAction({ ...door, schema: emptySchema }, async (_input, ctx) =>
  withEmailSection(ctx, await cancelEmailChange(actorOf(ctx))),
);

export const savePreferencesAction = secureAction({ ...door, schema: preferencesSchema }, async (input, ctx) => {
  const result = await savePreferences(
    {
      userId: ctx.session.userId,
      actorId: ctx.session.userId,
      ip: ctx.request.clientIp,
      userAgent: ctx.request.userAgent,
      source: "account",
    },
    input,
  );
  if (!result.ok) return result;
  return { ...result, data: preferencesData(await getPreferences(ctx.session.userId)) };
});

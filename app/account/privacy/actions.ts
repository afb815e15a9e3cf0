"use server";

import { revalidatePath } from "next/cache";
import { ok } from "@/lib/actions/result";
import { secureAction } from "@/lib/actions/secure-action";
import { signOut } from "@/lib/auth/config";
import { setAreaOffers } from "@/lib/privacy/area-offers";
import { closeAccount } from "@/lib/privacy/close-account";
import { areaOffersSchema, closeAccountSchema } from "@/lib/privacy/schema";

// The signed-in customer only, over HTTPS, on their own account (the user comes from the session).
const door = { capability: "account.own", httpsOnly: true } as const;

export const setAreaOffersAction = secureAction({ ...door, schema: areaOffersSchema }, async ({ enabled }, ctx) => {
  const result = await setAreaOffers(
    { userId: ctx.session.userId, ip: ctx.request.clientIp, userAgent: ctx.request.userAgent },
    enabled === "on",
  );
  if (result.ok) revalidatePath("/account/privacy");
  return result;
});

export const closeAccountAction = secureAction({ ...door, schema: closeAccountSchema }, async (input, ctx) => {
  const result = await closeAccount(
    {
      userId: ctx.session.userId,
      sessionId: ctx.session.sessionId,
      ip: ctx.request.clientIp,
      userAgent: ctx.request.userAgent,
    },
    input,
  );
  if (!result.ok) return result;
  // The sessions are already revoked; this clears the browser's cookie and throws Next's redirect.
  await signOut({ redirectTo: "/account/closed" });
  return ok(undefined);
});

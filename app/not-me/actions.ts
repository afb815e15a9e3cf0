"use server";

import { redirect } from "next/navigation";
import { secureAction } from "@/lib/actions/secure-action";
import { recoverAccount } from "@/lib/recovery/recover";
import { recoveryTokenSchema } from "@/lib/recovery/schema";

// Public: the single-use token in the mailed link is the proof; every session has just ended anyway.
export const notMeAction = secureAction(
  { schema: recoveryTokenSchema, capability: "public", httpsOnly: true },
  async ({ token }, { request }) => {
    const result = await recoverAccount(token, { ip: request.clientIp });
    if (!result.ok) return result;
    redirect(`/reset-password?token=${encodeURIComponent(result.data.resetToken)}`);
  },
);

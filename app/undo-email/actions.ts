"use server";

import { redirect } from "next/navigation";
import { secureAction } from "@/lib/actions/secure-action";
import { undoEmailChange } from "@/lib/recovery/recover";
import { recoveryTokenSchema } from "@/lib/recovery/schema";

// Public: the single-use token mailed to the old address is the proof.
export const undoEmailAction = secureAction(
  { schema: recoveryTokenSchema, capability: "public", httpsOnly: true },
  async ({ token }, { request }) => {
    const result = await undoEmailChange(token, { ip: request.clientIp });
    if (!result.ok) return result;
    redirect(`/reset-password?token=${encodeURIComponent(result.data.resetToken)}`);
  },
);

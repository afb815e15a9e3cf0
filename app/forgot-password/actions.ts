"use server";

import { secureAction } from "@/lib/actions/secure-action";
import { ok } from "@/lib/actions/result";
import { RESET_REQUESTED_MESSAGE, answerResetRequest } from "@/lib/auth/password-reset";
import { forgotPasswordSchema } from "@/lib/auth/schema";

export const forgotPasswordAction = secureAction(
  { schema: forgotPasswordSchema, capability: "public", httpsOnly: true },
  async (input, { request }) => {
    // Answered at once: the lookup and the mail run after the response (lib/auth/password-reset.ts).
    answerResetRequest(input.identifier, { ip: request.clientIp });
    // Same words whether or not an account matched.
    return ok(undefined, RESET_REQUESTED_MESSAGE);
  },
);

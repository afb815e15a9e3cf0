"use server";

import { secureAction } from "@/lib/actions/secure-action";
import { confirmEmailChange } from "@/lib/profile/email-change";
import { emailChangeTokenSchema } from "@/lib/profile/schema";

// Public: the single-use token in the link is the proof; the person may be signed in elsewhere.
export const confirmEmailChangeAction = secureAction(
  { schema: emailChangeTokenSchema, capability: "public", httpsOnly: true },
  async ({ token }, { request }) => confirmEmailChange(token, { ip: request.clientIp }),
);

"use server";

import { secureAction } from "@/lib/actions/secure-action";
import { currentSession } from "@/lib/auth/current";
import { contactSenderId } from "@/lib/contact/prefill";
import { contactRequestSchema } from "@/lib/contact/schema";
import { submitContactRequest } from "@/lib/contact/submit";

// Contact Us works signed in or not (and from the chat panel when no rep is online). The account a
// request is linked to comes from the session, never from the form. The door does not look up the
// session of a "public" action, so it is read here.
export const submitContactRequestAction = secureAction(
  { schema: contactRequestSchema, capability: "public", httpsOnly: true },
  async (input, ctx) =>
    submitContactRequest(input, { userId: contactSenderId(await currentSession()), ip: ctx.request.clientIp }),
);

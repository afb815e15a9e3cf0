"use server";

import { redirect } from "next/navigation";
import { fail } from "@/lib/actions/result";
import { secureAction } from "@/lib/actions/secure-action";
import { resubscribeSchema } from "@/lib/preferences/schema";
import { resolveUnsubscribeToken, resubscribe } from "@/lib/preferences/unsubscribe";

/** "Subscribe again": the token names the person and the topic; no session is needed or used. */
export const resubscribeAction = secureAction(
  { schema: resubscribeSchema, capability: "public", httpsOnly: true },
  async ({ token }, { request }) => {
    const target = await resolveUnsubscribeToken(token);
    if (!target) return fail("unsubscribeLinkInvalid");
    await resubscribe(target, { ip: request.clientIp, userAgent: request.userAgent });
    redirect(`/unsubscribe/${encodeURIComponent(token)}?resubscribed=1`);
  },
);

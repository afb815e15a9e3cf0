"use server";

import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { registerAction } from "@/lib/actions/registry";
import { secureAction } from "@/lib/actions/secure-action";
import { safeNextPath } from "@/lib/auth/next-path";
import { saveCookieChoices } from "@/lib/cookies/consent";
import { sendsGpc } from "@/lib/cookies/consent-token";
import { cookieChoiceSchema } from "@/lib/cookies/schema";
import { countConsentedLanding } from "@/lib/usage/count";
import { appRoutePatterns } from "@/lib/usage/paths";

const saveCookieChoice = secureAction(
  { schema: cookieChoiceSchema, capability: "public", httpsOnly: true },
  async (input, { session, request }) => {
    const choice =
      input.choice === "all"
        ? { functional: true, analytics: true }
        : input.choice === "custom"
          ? { functional: input.functional, analytics: input.analytics }
          : { functional: false, analytics: false };
    const source = input.choice === "gpc" ? "gpc" : input.from === "settings" ? "privacy-centre" : "banner";
    await saveCookieChoices(choice, { session, request, source });
    // Back to the page the form was on: a local path only, whatever the form claimed.
    const back = safeNextPath(input.returnTo, "/");
    const h = await headers();
    // Next-Action: sent by Next's client (JavaScript on); see countConsentedLanding.
    if (input.from === "banner" && choice.analytics && h.has("next-action") && !sendsGpc(h.get("sec-gpc"))) {
      void countConsentedLanding(back, { patterns: appRoutePatterns() }).catch((err) =>
        console.error("[usage] counting failed:", err),
      );
    }
    if (input.from !== "settings") redirect(back);
    const url = new URL(back, "https://local.invalid");
    url.searchParams.set("cookies", "saved");
    redirect(`${url.pathname}${url.search}#cookie-settings`);
  },
);

/**
 * A plain `<form action>`: with JavaScript off the browser posts the form and follows the
 * redirect back to the page it was on; with it on, Next does the same without a reload.
 */
export async function cookieChoiceAction(formData: FormData): Promise<void> {
  await saveCookieChoice(undefined, formData);
}
// The plain-form wrapper passes everything to the door-built action above; the role walk calls it
// with the input object a form would post.
registerAction(cookieChoiceAction, "public", (action, input) => action(input as unknown as FormData));

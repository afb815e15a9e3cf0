import { CookieBanner } from "@/components/cookies/CookieBanner";
import { currentConsent } from "@/lib/cookies/consent";
import { GPC_NOTICE } from "@/lib/cookies/wording";
import { cookieChoiceAction } from "./privacy/cookies/actions";

/**
 * The root layout's cookie banner: asks on a first visit, or says once that the browser's Global
 * Privacy Control signal was taken as a refusal. Silent once a choice is stored.
 */
export async function CookieBannerSlot() {
  let mode: "ask" | "gpc" | "none" = "none";
  try {
    const consent = await currentConsent();
    if (consent.gpc) mode = consent.from === "none" ? "gpc" : "none";
    else if (!consent.decided) mode = "ask";
  } catch {
    // The layout renders while the database is down; the banner can wait.
  }
  return <CookieBanner mode={mode} action={cookieChoiceAction} gpcNotice={GPC_NOTICE} />;
}

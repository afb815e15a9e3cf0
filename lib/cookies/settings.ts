import "server-only";
import { currentConsent, type Consent } from "./consent";
import { GPC_NOTICE } from "./wording";

/** What a settings form shows: the choices as made, where they are kept, and GPC. */
export async function cookieSettingsView(): Promise<{
  consent: Consent;
  functional: boolean | null;
  analytics: boolean | null;
  gpc: boolean;
  gpcNotice: string;
  status: string;
}> {
  const consent = await currentConsent();
  const status =
    consent.from === "cookie"
      ? "Your choices are kept in a cookie in this browser."
      : consent.from === "account"
        ? "These are the choices saved with your account; saving here also keeps them in this browser."
        : "You have not chosen yet: nothing optional is set until you do.";
  return {
    consent,
    functional: consent.chosen.functional,
    analytics: consent.chosen.analytics,
    gpc: consent.gpc,
    gpcNotice: GPC_NOTICE,
    status,
  };
}

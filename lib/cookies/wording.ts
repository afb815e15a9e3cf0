import type { Consent } from "./consent";

// The sentences the banner, the settings page and the sign-in form use, in one place.

export const GPC_NOTICE =
  "Your browser sends a Global Privacy Control signal, so we treat it as refusing all optional cookies: we set only the essential ones and do not count your visits.";

/**
 * Beside "Remember my username" for someone who has not allowed functional cookies: ticking the
 * box sets one, and ticking it is consent to that one cookie. Undefined when they are allowed.
 */
export function rememberUsernameHint(consent: Pick<Consent, "functional" | "gpc" | "chosen">): string | undefined {
  if (consent.functional) return undefined;
  const why = consent.gpc
    ? "Your browser asks sites not to set optional cookies"
    : consent.chosen.functional === false
      ? "You have refused functional cookies"
      : "You have not allowed functional cookies";
  return `${why}. Ticking this box sets one functional cookie that keeps your username on this device for a year; ticking it is your consent to that one cookie.`;
}

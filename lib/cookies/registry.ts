/**
 * Every cookie this app sets, in one place: /privacy/cookies renders this list, the consent
 * rules read the categories from it, and the e2e journey (e2e/cookies.spec.ts) fails on any
 * cookie found in the browser that is not listed here. Add a cookie here before setting it.
 *
 * Client-safe: plain data, no server imports.
 */
export type CookieCategory = "essential" | "functional" | "analytics";

export type RegisteredCookie = {
  name: string;
  purpose: string;
  category: CookieCategory;
  /** How long the browser keeps it, in words. */
  lifetime: string;
  /** Who sets it, for the people maintaining this list. */
  setBy: string;
};

/** The consent cookie's name; __Host-: HTTPS only, this host only, path "/". */
export const CONSENT_COOKIE = "__Host-myaccount-consent";
/** Kept as long as the choice is asked again: six months. */
export const CONSENT_MAX_AGE_SECONDS = 182 * 24 * 60 * 60;

export const COOKIE_REGISTRY: readonly RegisteredCookie[] = [
  {
    name: "__Secure-authjs.session-token",
    purpose:
      "Keeps you signed in to MyAccount. It holds only an encrypted reference to your session, which we check on every page and end when you sign out.",
    category: "essential",
    lifetime: "30 days, or until you sign out",
    setBy: "lib/auth/config.ts (Auth.js)",
  },
  {
    name: "__Secure-authjs.callback-url",
    purpose: "Remembers which page to return to after signing in.",
    category: "essential",
    lifetime: "Until you close the browser",
    setBy: "lib/auth/config.ts (Auth.js)",
  },
  {
    name: "__Host-myaccount-chat",
    purpose:
      "Lets a visitor who is not signed in continue the support chat they started (Need Help) after a reload or on another page.",
    category: "essential",
    lifetime: "1 day",
    setBy: "lib/chat/caller.ts",
  },
  {
    // Named here rather than imported: lib/auth/known-device.ts is server-only, this list is not.
    name: "__Host-myaccount-device",
    purpose:
      "Recognises this browser as one you have signed in with before, so that wrong passwords typed elsewhere by someone else never slow down or block your own sign-in. It holds a signed reference to your account, which stops working when your password changes.",
    category: "essential",
    lifetime: "1 year, or until your password changes",
    setBy: "lib/auth/known-device.ts",
  },
  {
    name: CONSENT_COOKIE,
    purpose: "Remembers your cookie choices (functional and analytics, yes or no), so we do not ask on every page.",
    category: "essential",
    lifetime: "6 months",
    setBy: "lib/cookies/consent.ts",
  },
  {
    name: "myaccount_remember_username",
    purpose:
      "Fills in your username on the sign-in form. Set only when you tick “Remember my username”, which is your consent to this cookie.",
    category: "functional",
    lifetime: "1 year, or until you untick the box or refuse functional cookies",
    setBy: "lib/auth/remembered-username.ts",
  },
];

export const CATEGORY_LABELS: Record<CookieCategory, string> = {
  essential: "Essential",
  functional: "Functional",
  analytics: "Analytics",
};

/** The category of a cookie by name, or undefined for one this app does not set. */
export function registeredCookie(name: string): RegisteredCookie | undefined {
  return COOKIE_REGISTRY.find((c) => c.name === name);
}

import "server-only";
import { BRAND_NAME } from "@/lib/brand";
import { appUrl } from "@/lib/env";

export type RelyingParty = {
  /** The WebAuthn RP ID: the bare host name passkeys are bound to ("localhost" in e2e, the real domain in production). */
  rpID: string;
  /** What the browser puts in clientDataJSON.origin: scheme, host and port, no path. */
  origin: string;
  /** Shown by the browser's passkey dialog. */
  rpName: string;
};

/**
 * Derived from APP_URL (lib/env.ts appUrl(): APP_URL, else https://localhost:<PORT>), the one
 * address the app is served from. A passkey is bound to the RP ID for good, so changing the
 * domain APP_URL names orphans every passkey made under the old one.
 */
export function relyingParty(): RelyingParty {
  const url = new URL(appUrl());
  return { rpID: url.hostname, origin: url.origin, rpName: BRAND_NAME };
}

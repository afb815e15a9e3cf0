/**
 * Chromium's virtual WebAuthn authenticator (DevTools protocol), standing in for a phone or a
 * laptop's platform authenticator: it makes discoverable credentials, verifies the user and
 * answers every ceremony by itself, so specs can add passkeys and sign in with them.
 *
 * Works on the e2e server's self-signed certificate as it is: Chromium (156, Debian) refuses
 * WebAuthn on pages with certificate errors except on localhost, which is where every run's
 * baseURL points. A run on another host name would need Chromium to trust the certificate
 * (--ignore-certificate-errors-spki-list with the key's SPKI hash).
 */
import type { CDPSession, Page } from "@playwright/test";

export type VirtualAuthenticator = {
  authenticatorId: string;
  cdp: CDPSession;
};

export type VirtualCredential = {
  credentialId: string;
  isResidentCredential: boolean;
  rpId?: string;
  userHandle?: string;
  signCount: number;
};

/** A platform authenticator with user verification, attached to the page's browser context. */
export async function addVirtualAuthenticator(
  page: Page,
  options: { isUserVerified?: boolean } = {},
): Promise<VirtualAuthenticator> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("WebAuthn.enable");
  const { authenticatorId } = await cdp.send("WebAuthn.addVirtualAuthenticator", {
    options: {
      protocol: "ctap2",
      transport: "internal",
      hasResidentKey: true,
      hasUserVerification: true,
      isUserVerified: options.isUserVerified ?? true,
      automaticPresenceSimulation: true,
    },
  });
  return { authenticatorId, cdp };
}

/** The credentials the authenticator holds (one per passkey a ceremony created). */
export async function credentials(authenticator: VirtualAuthenticator): Promise<VirtualCredential[]> {
  const { credentials: list } = await authenticator.cdp.send("WebAuthn.getCredentials", {
    authenticatorId: authenticator.authenticatorId,
  });
  return list;
}

/**
 * Makes the next ceremonies fail as if the person dismissed the prompt (no user verification and
 * no presence), e.g. to see the "cancelled" message.
 */
export async function setUserVerified(authenticator: VirtualAuthenticator, isUserVerified: boolean): Promise<void> {
  await authenticator.cdp.send("WebAuthn.setUserVerified", {
    authenticatorId: authenticator.authenticatorId,
    isUserVerified,
  });
}

export async function removeVirtualAuthenticator(authenticator: VirtualAuthenticator): Promise<void> {
  await authenticator.cdp.send("WebAuthn.removeVirtualAuthenticator", {
    authenticatorId: authenticator.authenticatorId,
  });
  await authenticator.cdp.detach().catch(() => {});
}

import path from "node:path";
import { expect, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from "@playwright/test";
import { e2e } from "./config";

export const DEMO_PASSWORD = "demo-password-2026";
export const INCORRECT_SIGN_IN = "The username or password is incorrect";
/** The authenticator secret the demo staff (rep, marketing, admin) are seeded with (lib/demo/seed.ts). */
export const DEMO_TOTP_SECRET = "JBSWY3DPEHPK3PXP";

/** The demo accounts (lib/demo/seed.ts) and where each lands after signing in. */
export const demoRoles = {
  customer: { username: "demo", home: "/account", heading: "Welcome, Dana", shows: "What would you like to do?" },
  rep: { username: "rep", home: "/console", heading: "Staff console", shows: "Signed in as Riley Rep (Service rep)" },
  marketing: {
    username: "marketing",
    home: "/console",
    heading: "Staff console",
    shows: "Signed in as Morgan Marketing (Marketing)",
  },
  admin: {
    username: "admin",
    home: "/console",
    heading: "Staff console",
    shows: "Signed in as Alex Admin (Administrator)",
  },
} as const;
export type DemoRole = keyof typeof demoRoles;

/**
 * Saved sign-in state per demo role, written by auth.setup.ts. Specs that use it must never sign
 * out or revoke sessions: every spec shares these sessions.
 */
export function storageStateFor(role: DemoRole): string {
  // Per run: two runs at once (another port, another database) must not share sessions.
  return path.join(import.meta.dirname, "..", ".auth", e2e.runId, `${role}.json`);
}

/** Fills and submits the sign-in form on the current /login page. */
export async function submitSignIn(
  page: Page,
  identifier: string,
  password: string,
  opts: { remember?: boolean } = {},
) {
  await page.getByLabel("Username or account number").fill(identifier);
  await page.getByLabel("Password", { exact: true }).fill(password);
  if (opts.remember !== undefined) await page.getByLabel("Remember my username").setChecked(opts.remember);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
}

/** Opens /login, signs in and waits until the browser has left the sign-in page. */
export async function signIn(page: Page, identifier: string, password: string, opts: { remember?: boolean } = {}) {
  await page.goto("/login");
  await submitSignIn(page, identifier, password, opts);
  await expect(page).not.toHaveURL(/\/login/);
}

/** The form-level outcome of the sign-in form (its own live region, not Next's route announcer). */
export function signInMessage(page: Page) {
  return page.locator("#login-message");
}

/** A fresh browser context with the run's settings (self-signed certificate, base URL). */
export function newContext(browser: Browser, options: BrowserContextOptions = {}): Promise<BrowserContext> {
  return browser.newContext({ baseURL: e2e.baseURL, ignoreHTTPSErrors: true, ...options });
}

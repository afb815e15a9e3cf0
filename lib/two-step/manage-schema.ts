import { z } from "zod/mini";

// Shared by the security pages' two-step forms (zodResolver) and their server actions
// (app/account/security/actions.ts). The passkey and code schemas of sign-in are reused from
// ./schema.ts.

/** "Confirm it's you" with the password. */
export const reauthPasswordSchema = z.object({
  password: z
    .string()
    .check(z.minLength(1, "Enter your password"), z.maxLength(128, "Passwords are at most 128 characters")),
});

const passkeyId = z.string().check(z.regex(/^[0-9a-f-]{36}$/i, "Unknown passkey"));

/** A passkey's name as its owner types it (the default names the browser and system). */
export const passkeyName = z
  .string()
  .check(z.trim(), z.minLength(1, "Give the passkey a name"), z.maxLength(60, "Use at most 60 characters"));

export const passkeyIdSchema = z.object({ passkeyId });

export const renamePasskeySchema = z.object({ passkeyId, name: passkeyName });

export const addPasskeySchema = z.object({
  response: z.string().check(z.minLength(2), z.maxLength(20_000)),
  name: passkeyName,
});

/** "Passkey on Chrome on Linux": the browser without its version, so the name reads like a device. */
export function defaultPasskeyName(browser: string, os: string): string {
  const b = browser.replace(/\s+[\d.]+$/, "").trim();
  return b && os ? `Passkey on ${b} on ${os}` : "Passkey";
}

import { z } from "zod/mini";
import { isValidTimeZone } from "@/lib/time-zone";

// Shared by the forms (zodResolver) and the server actions: one schema, both sides.
// zod/mini: the same validation as classic zod, but tree-shakable, so the browser downloads only
// the checks these forms use (the Edit Profile bundle budget is framework + 40 KB gzip).
// The common-password check is server-only (the list is large), see lib/auth/common-passwords.ts.

const PASSWORD_MIN = 8;
const PASSWORD_MAX = 128;

/** A trimmed string with a required-message and a maximum. */
export function text(max: number, maxMessage: string, requiredMessage?: string) {
  return z
    .string()
    .check(z.trim(), ...(requiredMessage ? [z.minLength(1, requiredMessage)] : []), z.maxLength(max, maxMessage));
}

/** A checkbox as FormData sends it ("on" or absent) or as a boolean. */
export const checkbox = z.pipe(
  z.optional(z.union([z.literal("on"), z.literal("true"), z.literal("false"), z.boolean()])),
  z.transform((v) => v === "on" || v === "true" || v === true),
);

export const newPassword = z
  .string()
  .check(
    z.minLength(PASSWORD_MIN, `Use at least ${PASSWORD_MIN} characters (15 or more is best)`),
    z.maxLength(PASSWORD_MAX, `Use at most ${PASSWORD_MAX} characters`),
  );

const passwordsMatch = z.refine<{ password: string; confirmPassword: string }>(
  (v) => v.password === v.confirmPassword,
  {
    path: ["confirmPassword"],
    message: "The passwords do not match",
  },
);

const confirmPassword = z.string().check(z.maxLength(PASSWORD_MAX));

export const signInSchema = z.object({
  identifier: text(254, "That is longer than any username or account number", "Enter your username or account number"),
  password: z
    .string()
    .check(
      z.minLength(1, "Enter your password"),
      z.maxLength(PASSWORD_MAX, `Passwords are at most ${PASSWORD_MAX} characters`),
    ),
  remember: checkbox,
  next: z.optional(z.string().check(z.maxLength(512))),
  // The browser's own time zone, filled in by script; anything that is not a zone is dropped
  // rather than refused (a sign-in never fails over a field the person cannot see).
  timeZone: z.pipe(
    z.optional(z.string()),
    z.transform((v) => (v && isValidTimeZone(v) ? v : undefined)),
  ),
});

export const registerSchema = z
  .object({
    accountNumber: z
      .string()
      .check(z.trim(), z.regex(/^\d{6,12}$/, "Enter the 6–12 digit account number shown on your bill")),
    serviceZip: z
      .string()
      .check(z.trim(), z.regex(/^\d{5}(-\d{4})?$/, "Enter the 5-digit ZIP code (or ZIP+4) of your service address")),
    username: z.string().check(
      z.trim(),
      z.minLength(3, "Use at least 3 characters"),
      z.maxLength(32, "Use at most 32 characters"),
      z.regex(/^[A-Za-z0-9._-]+$/, "Use letters, digits, dots, hyphens and underscores only"),
      z.refine((v) => !/^\d+$/.test(v), "A username cannot be only digits (those are account numbers)"),
    ),
    email: z.pipe(text(254, "Use at most 254 characters"), z.email("Enter a valid e-mail address")),
    password: newPassword,
    confirmPassword,
    over13: z.literal("on", { error: "You must be 13 or older to create an online account." }),
    offers: checkbox,
  })
  .check(passwordsMatch);

export const forgotPasswordSchema = z.object({
  identifier: text(254, "Use at most 254 characters", "Enter your username, account number or e-mail address"),
});

export const resetPasswordSchema = z
  .object({
    token: z.string().check(z.minLength(1, "This link is incomplete"), z.maxLength(200)),
    password: newPassword,
    confirmPassword,
  })
  .check(passwordsMatch);

/**
 * The current password, unless the person confirmed with a passkey instead ("Use a passkey
 * instead" sets passkeyConfirmed). The flag only spares the browser's check: the server decides
 * from the session whether a passkey confirmation is fresh (lib/two-step/fresh.ts).
 */
const currentPasswordOrPasskey = z.refine<{ currentPassword: string; passkeyConfirmed: boolean }>(
  (v) => v.passkeyConfirmed || v.currentPassword.length > 0,
  { path: ["currentPassword"], message: "Enter your current password" },
);

export const changePasswordSchema = z
  .object({
    // Absent once "Confirmed with your passkey ✓" replaced the field.
    currentPassword: z._default(z.string().check(z.maxLength(PASSWORD_MAX)), ""),
    passkeyConfirmed: checkbox,
    password: newPassword,
    confirmPassword,
  })
  .check(passwordsMatch, currentPasswordOrPasskey);

/** "Sign out" on a group of the device list: the sessions it showed, comma-separated (at most 100). */
export const revokeSessionGroupSchema = z.object({
  sessionIds: z
    .string()
    .check(z.maxLength(100 * 37, "Unknown device"), z.regex(/^[0-9a-f-]{36}(,[0-9a-f-]{36})*$/i, "Unknown device")),
});
export const emptySchema = z.object({});

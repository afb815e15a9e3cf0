import { z } from "zod/mini";

// Shared by the second-step and enrolment forms (zodResolver) and their server actions.

/** A 6-digit authenticator code; spaces (some apps show "123 456") are ignored. */
export const totpCode = z.pipe(
  z.string().check(z.trim(), z.minLength(1, "Enter the 6-digit code from your authenticator app")),
  z.pipe(
    z.transform((v: string) => v.replace(/\s+/g, "")),
    z.string().check(z.regex(/^\d{6}$/, "The code is 6 digits")),
  ),
);

export const authenticatorCodeSchema = z.object({ code: totpCode });

export const recoveryCodeSchema = z.object({
  recoveryCode: z
    .string()
    .check(
      z.trim(),
      z.minLength(1, "Enter one of your recovery codes"),
      z.maxLength(64, "That is not a recovery code"),
    ),
});

/** A WebAuthn response as the browser package produces it, sent as JSON text. */
export const passkeyResponseSchema = z.object({
  response: z.string().check(z.minLength(2), z.maxLength(20_000)),
});

export const passkeyEnrolSchema = z.object({
  response: z.string().check(z.minLength(2), z.maxLength(20_000)),
  name: z.optional(z.string().check(z.trim(), z.maxLength(60))),
});

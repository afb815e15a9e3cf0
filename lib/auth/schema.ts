import { z } from "zod";

// Shared by the forms (zodResolver) and the server actions: one schema, both sides.
// The common-password check is server-only (the list is large), see lib/auth/common-passwords.ts.

export const PASSWORD_MIN = 8;
export const PASSWORD_MAX = 128;

export const newPassword = z
  .string()
  .min(PASSWORD_MIN, `Use at least ${PASSWORD_MIN} characters (15 or more is best)`)
  .max(PASSWORD_MAX, `Use at most ${PASSWORD_MAX} characters`);

export const signInSchema = z.object({
  identifier: z
    .string()
    .trim()
    .min(1, "Enter your username or account number")
    .max(254, "That is longer than any username or account number"),
  password: z.string().min(1, "Enter your password").max(PASSWORD_MAX, `Passwords are at most ${PASSWORD_MAX} characters`),
  remember: z
    .union([z.literal("on"), z.literal("true"), z.boolean()])
    .optional()
    .transform((v) => v === "on" || v === "true" || v === true),
  next: z.string().max(512).optional(),
});

export const registerSchema = z
  .object({
    accountNumber: z
      .string()
      .trim()
      .regex(/^\d{6,12}$/, "Enter the 6–12 digit account number shown on your bill"),
    serviceZip: z
      .string()
      .trim()
      .regex(/^\d{5}(-\d{4})?$/, "Enter the 5-digit ZIP code (or ZIP+4) of your service address"),
    username: z
      .string()
      .trim()
      .min(3, "Use at least 3 characters")
      .max(32, "Use at most 32 characters")
      .regex(/^[A-Za-z0-9._-]+$/, "Use letters, digits, dots, hyphens and underscores only")
      .refine((v) => !/^\d+$/.test(v), "A username cannot be only digits (those are account numbers)"),
    email: z.string().trim().max(254, "Use at most 254 characters").pipe(z.email("Enter a valid e-mail address")),
    password: newPassword,
    confirmPassword: z.string().max(PASSWORD_MAX),
    over13: z.literal("on", { error: "You must be 13 or older to create an online account." }),
  })
  .refine((v) => v.password === v.confirmPassword, {
    path: ["confirmPassword"],
    message: "The passwords do not match",
  });

export const forgotPasswordSchema = z.object({
  identifier: z
    .string()
    .trim()
    .min(1, "Enter your username, account number or e-mail address")
    .max(254, "Use at most 254 characters"),
});

export const resetPasswordSchema = z
  .object({
    token: z.string().min(1, "This link is incomplete").max(200),
    password: newPassword,
    confirmPassword: z.string().max(PASSWORD_MAX),
  })
  .refine((v) => v.password === v.confirmPassword, { path: ["confirmPassword"], message: "The passwords do not match" });

export const changePasswordSchema = z
  .object({
    currentPassword: z.string().min(1, "Enter your current password").max(PASSWORD_MAX),
    password: newPassword,
    confirmPassword: z.string().max(PASSWORD_MAX),
  })
  .refine((v) => v.password === v.confirmPassword, { path: ["confirmPassword"], message: "The passwords do not match" });

export const revokeSessionSchema = z.object({ sessionId: z.uuid("Unknown device") });
export const emptySchema = z.object({});

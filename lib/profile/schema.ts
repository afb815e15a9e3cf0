import { z } from "zod/mini";
import { checkbox, text } from "@/lib/auth/schema";
import { isValidTimeZone } from "@/lib/time-zone";
import { US_STATES, abaRoutingValid, digitsOnly, luhnValid, normalizeUsPhone } from "./us";

// One schema per Edit Profile section, used by the form (zodResolver) and by the server action.
// Every field has a limit and a message. FormData is strings: numbers are coerced.

const version = z.coerce
  .number({ error: "Reload the page and try again" })
  .check(z.int(), z.minimum(1, "Reload the page and try again"));

// Letters of any script (with their combining marks), spaces, hyphens and apostrophes.
const personName = (label: string) =>
  z
    .string()
    .check(
      z.trim(),
      z.minLength(1, `Enter your ${label}`),
      z.maxLength(80, "Use at most 80 characters"),
      z.regex(/^[\p{L}\p{M}]+(?:[ '’-][\p{L}\p{M}]+)*[.]?$/u, "Use letters, spaces, hyphens and apostrophes only"),
    );

export const nameSchema = z.object({
  version,
  firstName: personName("first name"),
  lastName: personName("last name"),
});

const isState = (v: string) => v.toUpperCase() in US_STATES;
const zipPattern = /^\d{5}(-\d{4})?$/;
const ZIP_MESSAGE = "Enter a 5-digit ZIP code or ZIP+4 (12345-6789)";
const optionalText = (max: number, message: string) => z._default(text(max, message), "");

export const addressSchema = z
  .object({
    version,
    serviceLine1: text(100, "Use at most 100 characters", "Enter the street address"),
    serviceLine2: optionalText(100, "Use at most 100 characters"),
    serviceCity: text(60, "Use at most 60 characters", "Enter the city"),
    serviceState: z.pipe(
      z.string().check(z.trim(), z.refine(isState, "Choose a US state")),
      z.transform((v) => v.toUpperCase()),
    ),
    serviceZip: z.string().check(z.trim(), z.regex(zipPattern, ZIP_MESSAGE)),
    billingSameAsService: checkbox,
    billingLine1: optionalText(100, "Use at most 100 characters"),
    billingLine2: optionalText(100, "Use at most 100 characters"),
    billingCity: optionalText(60, "Use at most 60 characters"),
    billingState: optionalText(2, "Choose a US state"),
    billingZip: optionalText(10, ZIP_MESSAGE),
  })
  .check(
    z.superRefine((v, ctx) => {
      if (v.billingSameAsService) return;
      const issue = (path: string, message: string) =>
        ctx.addIssue({ code: "custom", path: [path], message, input: v });
      if (!v.billingLine1) issue("billingLine1", "Enter the street address");
      if (!v.billingCity) issue("billingCity", "Enter the city");
      if (!isState(v.billingState)) issue("billingState", "Choose a US state");
      if (!zipPattern.test(v.billingZip)) issue("billingZip", ZIP_MESSAGE);
    }),
  );

export const phoneSchema = z.object({
  version,
  phone: z.string().check(
    z.trim(),
    z.maxLength(25, "Use at most 25 characters"),
    z.refine((v) => v === "" || normalizeUsPhone(v) !== null, "Enter a US phone number, such as (303) 555-0123"),
  ),
});

export const emailChangeSchema = z.object({
  version,
  newEmail: z.pipe(text(254, "Use at most 254 characters"), z.email("Enter a valid e-mail address")),
  // Empty is allowed here only because "Use a passkey instead" may stand in for it: the server
  // refuses an empty one unless this session's passkey confirmation is fresh (lib/two-step/fresh.ts).
  // No refinement on this object: the console omits currentPassword from it (z.omit refuses refined objects).
  currentPassword: z._default(z.string().check(z.maxLength(128)), ""),
  passkeyConfirmed: checkbox,
});

export const emailChangeTokenSchema = z.object({
  token: z.string().check(z.minLength(20, "This link is incomplete"), z.maxLength(200)),
});

const holder = text(80, "Use at most 80 characters", "Enter the name on the account");

/** Digits typed with spaces or dashes, checked after those are removed. */
const digits = (max: number, pattern: RegExp, message: string, ...more: Parameters<typeof z.refine<string>>[]) =>
  z
    .pipe(z.string().check(z.maxLength(max, message)), z.transform(digitsOnly))
    .check(z.regex(pattern, message), ...more.map((args) => z.refine<string>(...args)));

const month = z.coerce
  .number({ error: "Choose the expiry month" })
  .check(
    z.int("Choose the expiry month"),
    z.minimum(1, "Choose the expiry month"),
    z.maximum(12, "Choose the expiry month"),
  );
const year = z.coerce
  .number({ error: "Enter the expiry year" })
  .check(
    z.int("Enter a 4-digit year"),
    z.minimum(2000, "Enter a 4-digit year"),
    z.maximum(2100, "Enter a 4-digit year"),
  );

const cardSchema = z
  .object({
    version,
    kind: z.literal("card"),
    cardName: holder,
    cardNumber: digits(30, /^\d{12,19}$/, "Enter a card number of 12 to 19 digits", [
      luhnValid,
      "Check the card number — it isn't valid",
    ]),
    expMonth: month,
    expYear: year,
  })
  .check(
    z.superRefine((v, ctx) => {
      const now = new Date();
      const thisMonth = now.getUTCFullYear() * 12 + now.getUTCMonth() + 1;
      const issue = (message: string) => ctx.addIssue({ code: "custom", path: ["expYear"], message, input: v });
      if (v.expYear * 12 + v.expMonth < thisMonth) issue("This card has expired");
      else if (v.expYear > now.getUTCFullYear() + 20) issue("Check the expiry year");
    }),
  );

const bankSchema = z.object({
  version,
  kind: z.literal("bank"),
  accountHolder: holder,
  accountType: z.enum(["checking", "savings"], { error: "Choose checking or savings" }),
  routingNumber: z
    .string()
    .check(
      z.trim(),
      z.regex(/^\d{9}$/, "Enter the 9-digit routing number"),
      z.refine(abaRoutingValid, "Check the routing number — it isn't valid"),
    ),
  bankAccountNumber: digits(30, /^\d{4,17}$/, "Enter 4 to 17 digits"),
});

export const paymentSchema = z.discriminatedUnion("kind", [cardSchema, bankSchema], {
  error: "Choose card or bank account",
});

/** Removing the payment method: only the version the confirmation was shown with. */
export const paymentRemoveSchema = z.object({ version });

export const timeZoneSchema = z.object({
  timeZone: z
    .string()
    .check(
      z.trim(),
      z.maxLength(64, "Choose a time zone from the list"),
      z.refine(isValidTimeZone, "Choose a time zone from the list"),
    ),
});

export type NameInput = z.infer<typeof nameSchema>;
export type AddressInput = z.infer<typeof addressSchema>;
export type PhoneInput = z.infer<typeof phoneSchema>;
export type PaymentInput = z.infer<typeof paymentSchema>;
export type PaymentRemoveInput = z.infer<typeof paymentRemoveSchema>;
export type TimeZoneInput = z.infer<typeof timeZoneSchema>;

import { z } from "zod";
import { US_STATES, abaRoutingValid, digitsOnly, luhnValid, normalizeUsPhone } from "./us";

// One schema per Edit Profile section, used by the form (zodResolver) and by the server action.
// Every field has a limit and a message. FormData is strings: numbers are coerced.

const version = z.coerce.number({ error: "Reload the page and try again" }).int().min(1);

// Letters of any script (with their combining marks), spaces, hyphens and apostrophes.
const personName = (label: string) =>
  z
    .string()
    .trim()
    .min(1, `Enter your ${label}`)
    .max(80, `Use at most 80 characters`)
    .regex(/^[\p{L}\p{M}]+(?:[ '’-][\p{L}\p{M}]+)*[.]?$/u, `Use letters, spaces, hyphens and apostrophes only`);

export const nameSchema = z.object({
  version,
  firstName: personName("first name"),
  lastName: personName("last name"),
});

const line = (label: string, max: number, required: boolean) => {
  const base = z.string().trim().max(max, `Use at most ${max} characters`);
  return required ? base.min(1, `Enter the ${label}`) : base;
};
const state = z
  .string()
  .trim()
  .transform((v) => v.toUpperCase())
  .refine((v) => v in US_STATES, "Choose a US state");
const zip = z
  .string()
  .trim()
  .regex(/^\d{5}(-\d{4})?$/, "Enter a 5-digit ZIP code or ZIP+4 (12345-6789)");

const checkbox = z
  .union([z.literal("on"), z.literal("true"), z.literal("false"), z.boolean()])
  .optional()
  .transform((v) => v === "on" || v === "true" || v === true);

export const addressSchema = z
  .object({
    version,
    serviceLine1: line("street address", 100, true),
    serviceLine2: line("apartment or suite", 100, false).default(""),
    serviceCity: line("city", 60, true),
    serviceState: state,
    serviceZip: zip,
    billingSameAsService: checkbox,
    billingLine1: z.string().trim().max(100, "Use at most 100 characters").default(""),
    billingLine2: z.string().trim().max(100, "Use at most 100 characters").default(""),
    billingCity: z.string().trim().max(60, "Use at most 60 characters").default(""),
    billingState: z.string().trim().max(2, "Choose a US state").default(""),
    billingZip: z.string().trim().max(10, "Enter a 5-digit ZIP code or ZIP+4 (12345-6789)").default(""),
  })
  .superRefine((v, ctx) => {
    if (v.billingSameAsService) return;
    if (!v.billingLine1) ctx.addIssue({ code: "custom", path: ["billingLine1"], message: "Enter the street address" });
    if (!v.billingCity) ctx.addIssue({ code: "custom", path: ["billingCity"], message: "Enter the city" });
    if (!(v.billingState.toUpperCase() in US_STATES)) ctx.addIssue({ code: "custom", path: ["billingState"], message: "Choose a US state" });
    if (!/^\d{5}(-\d{4})?$/.test(v.billingZip)) {
      ctx.addIssue({ code: "custom", path: ["billingZip"], message: "Enter a 5-digit ZIP code or ZIP+4 (12345-6789)" });
    }
  });

export const phoneSchema = z.object({
  version,
  phone: z
    .string()
    .trim()
    .max(25, "Use at most 25 characters")
    .refine((v) => v === "" || normalizeUsPhone(v) !== null, "Enter a US phone number, such as (303) 555-0123"),
});

export const emailChangeSchema = z.object({
  version,
  newEmail: z.string().trim().max(254, "Use at most 254 characters").pipe(z.email("Enter a valid e-mail address")),
  currentPassword: z.string().min(1, "Enter your current password to confirm it's you").max(128),
});

export const emailChangeTokenSchema = z.object({ token: z.string().min(20, "This link is incomplete").max(200) });

const holder = z.string().trim().min(1, "Enter the name on the account").max(80, "Use at most 80 characters");

export const cardSchema = z
  .object({
    version,
    kind: z.literal("card"),
    cardName: holder,
    cardNumber: z
      .string()
      .max(30, "Enter a card number of 12 to 19 digits")
      .transform(digitsOnly)
      .refine((v) => /^\d{12,19}$/.test(v), "Enter a card number of 12 to 19 digits")
      .refine(luhnValid, "Check the card number — it isn't valid"),
    expMonth: z.coerce.number({ error: "Choose the expiry month" }).int().min(1, "Choose the expiry month").max(12, "Choose the expiry month"),
    expYear: z.coerce.number({ error: "Enter the expiry year" }).int().min(2000, "Enter a 4-digit year").max(2100, "Enter a 4-digit year"),
  })
  .superRefine((v, ctx) => {
    const now = new Date();
    const ym = now.getUTCFullYear() * 12 + now.getUTCMonth() + 1;
    if (v.expYear * 12 + v.expMonth < ym) ctx.addIssue({ code: "custom", path: ["expYear"], message: "This card has expired" });
    if (v.expYear > now.getUTCFullYear() + 20) ctx.addIssue({ code: "custom", path: ["expYear"], message: "Check the expiry year" });
  });

export const bankSchema = z.object({
  version,
  kind: z.literal("bank"),
  accountHolder: holder,
  accountType: z.enum(["checking", "savings"], { error: "Choose checking or savings" }),
  routingNumber: z
    .string()
    .trim()
    .regex(/^\d{9}$/, "Enter the 9-digit routing number")
    .refine(abaRoutingValid, "Check the routing number — it isn't valid"),
  bankAccountNumber: z
    .string()
    .max(30, "Enter 4 to 17 digits")
    .transform(digitsOnly)
    .refine((v) => /^\d{4,17}$/.test(v), "Enter 4 to 17 digits"),
});

export const paymentSchema = z.discriminatedUnion("kind", [cardSchema, bankSchema], { error: "Choose card or bank account" });

export type NameInput = z.infer<typeof nameSchema>;
export type AddressInput = z.infer<typeof addressSchema>;
export type PhoneInput = z.infer<typeof phoneSchema>;
export type PaymentInput = z.infer<typeof paymentSchema>;

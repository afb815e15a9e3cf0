import { z } from "zod/mini";
import { checkbox, text } from "@/lib/auth/schema";

// Client-safe: the admin's register form (components/console/lawful) checks with the same schema
// the server action runs.

/** One entry names at most this many customers; a larger request is recorded as several entries. */
export const LAWFUL_MAX_CUSTOMERS = 100;

const ACCOUNT_NUMBER = /^\d{10}$/;

/**
 * The account numbers typed into the form (one per line, or separated by commas, semicolons or
 * spaces), without blanks and repeats, in the order typed.
 */
export function parseAccountNumbers(raw: string): string[] {
  return [
    ...new Set(
      raw
        .split(/[\s,;]+/)
        .map((s) => s.trim())
        .filter(Boolean),
    ),
  ];
}

/** "2026-11-30" as a real calendar day. */
function isCalendarDay(v: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(v)) return false;
  const d = new Date(`${v}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === v;
}

/** Today in UTC plus a day: an entry made late in the evening in Hawaii is not "in the future". */
function latestReceivedDay(now = new Date()): string {
  return new Date(now.getTime() + 24 * 60 * 60 * 1000).toISOString().slice(0, 10);
}

export const lawfulRequestSchema = z
  .object({
    authority: text(200, "Use at most 200 characters", "Enter the requesting authority"),
    legalBasis: text(300, "Use at most 300 characters", "Enter the legal basis (statute, order or warrant)"),
    reference: z.string().check(
      z.trim(),
      z.minLength(1, "Enter the register reference"),
      // The reason-before-access form takes a reference of at most 60 characters.
      z.maxLength(60, "Use at most 60 characters"),
      z.regex(/^[A-Za-z0-9][A-Za-z0-9 ./_#-]*$/, "Use letters, digits, spaces and . / _ # - only"),
    ),
    receivedOn: z.string().check(
      z.trim(),
      z.minLength(1, "Enter the date the request was received"),
      z.maxLength(10, "Enter a date such as 2026-11-30"),
      z.refine(isCalendarDay, "Enter a date such as 2026-11-30"),
      z.refine((v) => v >= "2000-01-01", "Enter a date from 2000 onwards"),
      z.refine((v) => !isCalendarDay(v) || v <= latestReceivedDay(), "The date received can't be in the future"),
    ),
    disclosed: text(2000, "Use at most 2,000 characters", "Say what was disclosed"),
    accounts: text(
      2000,
      `Use at most 2,000 characters (${LAWFUL_MAX_CUSTOMERS} account numbers)`,
      "Enter the account number of at least one affected customer",
    ),
    restricted: checkbox,
    restrictionBasis: z._default(text(500, "Use at most 500 characters"), ""),
  })
  .check(
    z.superRefine((v, ctx) => {
      const accounts = parseAccountNumbers(v.accounts);
      const malformed = accounts.filter((a) => !ACCOUNT_NUMBER.test(a));
      if (malformed.length) {
        const shown = malformed.slice(0, 5).join(", ") + (malformed.length > 5 ? ", …" : "");
        ctx.addIssue({
          code: "custom",
          path: ["accounts"],
          message: `An account number has 10 digits; not: ${shown}`,
          input: v.accounts,
        });
      } else if (accounts.length > LAWFUL_MAX_CUSTOMERS) {
        ctx.addIssue({
          code: "custom",
          path: ["accounts"],
          message: `At most ${LAWFUL_MAX_CUSTOMERS} customers per entry (there are ${accounts.length}); record the rest as another entry`,
          input: v.accounts,
        });
      }
      if (v.restricted && !v.restrictionBasis) {
        ctx.addIssue({
          code: "custom",
          path: ["restrictionBasis"],
          message: "Say what restricts notice (for example the court order's non-disclosure clause)",
          input: v,
        });
      }
    }),
  );

export type LawfulRequestInput = z.output<typeof lawfulRequestSchema>;

/** The form's empty values (also what it shows again after an entry is recorded). */
export const emptyLawfulRequest = {
  authority: "",
  legalBasis: "",
  reference: "",
  receivedOn: "",
  disclosed: "",
  accounts: "",
  restricted: false,
  restrictionBasis: "",
} as const;

import { z } from "zod/mini";
import { checkbox, text } from "@/lib/auth/schema";

// Client-safe: the admin's policy forms import these.

export const POLICY_MAX_CHARS = 100_000;
export const SUMMARY_MAX_CHARS = 600;
/** Days of notice a material change needs between publishing and taking effect. */
export const MATERIAL_NOTICE_DAYS = 30;

const id = z.coerce.number({ error: "Reload the page and try again" }).check(z.int(), z.positive());
const rowVersion = z.coerce
  .number({ error: "Reload the page and try again" })
  .check(z.int(), z.minimum(1, "Reload the page and try again"));

export const startDraftSchema = z.object({});

export const saveDraftSchema = z.object({
  id,
  rowVersion,
  markdown: text(POLICY_MAX_CHARS, "Use at most 100,000 characters", "Write the policy text"),
  summary: text(SUMMARY_MAX_CHARS, `Use at most ${SUMMARY_MAX_CHARS} characters`),
  material: checkbox,
});
export type SaveDraftInput = z.output<typeof saveDraftSchema>;

const isoDay = /^\d{4}-\d{2}-\d{2}$/;

/** A calendar day as YYYY-MM-DD that exists (no 31 February). */
export function isCalendarDay(value: string): boolean {
  if (!isoDay.test(value)) return false;
  const d = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === value;
}

export const publishSchema = z.object({
  id,
  rowVersion,
  effectiveDate: z
    .string()
    .check(
      z.trim(),
      z.minLength(1, "Choose the date the new version takes effect"),
      z.refine(isCalendarDay, "Enter a date such as 2027-01-31"),
    ),
});
export type PublishInput = z.output<typeof publishSchema>;

export const withdrawSchema = z.object({ id });

import { z } from "zod/mini";
import { checkbox, text } from "@/lib/auth/schema";

// Client-safe: the admin's support page and the rep's console import these.

const version = z.coerce
  .number({ error: "Reload the page and try again" })
  .check(z.int(), z.minimum(1, "Reload the page and try again"));

// ---- canned replies ----------------------------------------------------------------------

export const cannedReplySchema = z.object({
  /** Absent for a new reply. */
  id: z._default(z.string().check(z.maxLength(36)), ""),
  version: z._default(z.coerce.number().check(z.int(), z.minimum(0)), 0),
  title: text(80, "Use at most 80 characters", "Enter a short title"),
  body: text(2000, "Use at most 2,000 characters (a chat message's limit)", "Write the reply"),
});

export const cannedReplyDeleteSchema = z.object({
  id: z.string().check(z.minLength(1), z.maxLength(36)),
  version,
});

// ---- business hours, retention, expected reply --------------------------------------------

export const weekdays = [
  ["mon", "Monday"],
  ["tue", "Tuesday"],
  ["wed", "Wednesday"],
  ["thu", "Thursday"],
  ["fri", "Friday"],
  ["sat", "Saturday"],
  ["sun", "Sunday"],
] as const;
export type Weekday = (typeof weekdays)[number][0];

/** The zones the form offers first; any IANA zone the runtime knows is accepted. */
export const commonTimeZones = [
  ["America/New_York", "Eastern Time"],
  ["America/Chicago", "Central Time"],
  ["America/Denver", "Mountain Time"],
  ["America/Phoenix", "Mountain Time — Arizona"],
  ["America/Los_Angeles", "Pacific Time"],
  ["America/Anchorage", "Alaska Time"],
  ["Pacific/Honolulu", "Hawaii Time"],
  ["UTC", "UTC"],
] as const;

export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: zone });
    return zone.length > 0;
  } catch {
    return false;
  }
}

const timeOfDay = /^([01]\d|2[0-3]):[0-5]\d$/;
const optionalTime = z._default(z.string().check(z.trim(), z.maxLength(5)), "");

const dayFields = Object.fromEntries(
  weekdays.flatMap(([d]) => [
    [`${d}Closed`, checkbox],
    [`${d}Open`, optionalTime],
    [`${d}Close`, optionalTime],
  ]),
) as Record<`${Weekday}Closed`, typeof checkbox> & Record<`${Weekday}Open` | `${Weekday}Close`, typeof optionalTime>;

export const RETENTION_MIN_DAYS = 30;
export const RETENTION_MAX_DAYS = 3650;

/**
 * The admin's settings form. "Open at all hours" stores no hours (null); otherwise each day is
 * closed or has an opening time before its closing time, in the chosen time zone.
 */
export const supportSettingsSchema = z
  .object({
    version,
    alwaysOpen: checkbox,
    ...dayFields,
    timeZone: z.string().check(z.trim(), z.maxLength(64), z.refine(isTimeZone, "Choose a time zone")),
    retentionDays: z.coerce
      .number({ error: "Enter a number of days" })
      .check(
        z.int("Enter a whole number of days"),
        z.minimum(RETENTION_MIN_DAYS, `Keep transcripts at least ${RETENTION_MIN_DAYS} days`),
        z.maximum(RETENTION_MAX_DAYS, `Keep transcripts at most ${RETENTION_MAX_DAYS} days (10 years)`),
      ),
    expectedReply: text(120, "Use at most 120 characters", "Say when people can expect a reply"),
  })
  .check(
    z.superRefine((v, ctx) => {
      if (v.alwaysOpen) return;
      const values = v as unknown as Record<string, string | boolean>;
      let openDays = 0;
      for (const [d, name] of weekdays) {
        if (values[`${d}Closed`]) continue;
        openDays++;
        const open = String(values[`${d}Open`]);
        const close = String(values[`${d}Close`]);
        const issue = (field: string, message: string) =>
          ctx.addIssue({ code: "custom", path: [field], message, input: v });
        if (!timeOfDay.test(open))
          issue(`${d}Open`, `${name}: enter an opening time such as 08:00, or mark the day closed`);
        if (!timeOfDay.test(close)) issue(`${d}Close`, `${name}: enter a closing time such as 20:00`);
        else if (timeOfDay.test(open) && close <= open)
          issue(`${d}Close`, `${name}: the closing time must be after the opening time`);
      }
      if (openDays === 0) {
        ctx.addIssue({
          code: "custom",
          path: ["alwaysOpen"],
          message: "Open on at least one day, or choose “Open every day at all hours”",
          input: v,
        });
      }
    }),
  );
export type SupportSettingsInput = z.output<typeof supportSettingsSchema>;

/** Stored hours from the form: null when always open; a closed day is left out. */
export function hoursFromInput(input: SupportSettingsInput): Record<string, [string, string]> | null {
  if (input.alwaysOpen) return null;
  const values = input as unknown as Record<string, string | boolean>;
  const hours: Record<string, [string, string]> = {};
  for (const [d] of weekdays) {
    if (!values[`${d}Closed`]) hours[d] = [String(values[`${d}Open`]), String(values[`${d}Close`])];
  }
  return hours;
}

// ---- closed-chat search -----------------------------------------------------------------

export const closedChatSearchSchema = z.object({
  q: z._default(z.string().check(z.trim(), z.maxLength(100)), ""),
});

/** A Contact Us request a rep marks handled from the chat console. */
export const contactHandledSchema = z.object({ id: z.coerce.number().check(z.int(), z.positive()) });

import "server-only";
import { and, eq, sql } from "drizzle-orm";
import { db } from "@/db/client";
import { supportSettings } from "@/db/schema";
import { fail, ok, type Outcome } from "@/lib/actions/result";
import { recordAudit } from "@/lib/audit/record";
import { hoursFromInput, weekdays, type SupportSettingsInput } from "./schema";

export type SupportSettingsForm = {
  version: number;
  hours: Record<string, [string, string]> | null;
  timeZone: string;
  retentionDays: number;
  expectedReply: string;
  updatedAt: Date;
};

/** The settings row as the admin's form edits it (with its version). */
export async function getSupportSettingsForAdmin(): Promise<SupportSettingsForm> {
  const [row] = await db
    .select({
      version: supportSettings.version,
      hours: supportSettings.hours,
      timeZone: supportSettings.timeZone,
      retentionDays: supportSettings.retentionDays,
      expectedReply: supportSettings.expectedReply,
      updatedAt: supportSettings.updatedAt,
    })
    .from(supportSettings)
    .where(eq(supportSettings.id, 1));
  return row;
}

/** The form's field values for stored settings (a day missing from the hours is closed). */
export function settingsFormValues(s: SupportSettingsForm): Record<string, string | boolean> {
  const values: Record<string, string | boolean> = {
    version: String(s.version),
    alwaysOpen: s.hours === null,
    timeZone: s.timeZone,
    retentionDays: String(s.retentionDays),
    expectedReply: s.expectedReply,
  };
  for (const [d] of weekdays) {
    const day = s.hours?.[d];
    values[`${d}Closed`] = s.hours !== null && !day;
    values[`${d}Open`] = day?.[0] ?? "08:00";
    values[`${d}Close`] = day?.[1] ?? "20:00";
  }
  return values;
}

function asStrings(values: Record<string, string | boolean>): Record<string, string> {
  return Object.fromEntries(Object.entries(values).map(([k, v]) => [k, typeof v === "boolean" ? (v ? "on" : "") : v]));
}

/**
 * Saves hours, time zone, retention and the expected-reply text when the form's version is still
 * current (else refused with the stored values); the change and its audit row commit together.
 */
export async function updateSupportSettings(
  actor: { userId: string; ip: string },
  input: SupportSettingsInput,
): Promise<Outcome<{ values: Record<string, string | boolean> }>> {
  const hours = hoursFromInput(input);
  const saved = await db.transaction(async (tx) => {
    const [row] = await tx
      .update(supportSettings)
      .set({
        hours,
        timeZone: input.timeZone,
        retentionDays: input.retentionDays,
        expectedReply: input.expectedReply,
        version: sql`${supportSettings.version} + 1`,
        updatedBy: actor.userId,
        updatedAt: sql`now()`,
      })
      .where(and(eq(supportSettings.id, 1), eq(supportSettings.version, input.version)))
      .returning({ version: supportSettings.version });
    if (!row) return null;
    await recordAudit(tx, {
      actorId: actor.userId,
      subjectUserId: null,
      action: "support.settings_updated",
      detail: { hours, timeZone: input.timeZone, retentionDays: input.retentionDays },
      ip: actor.ip,
    });
    return row;
  });
  const current = settingsFormValues(await getSupportSettingsForAdmin());
  if (!saved) return { ...fail("staleSection"), values: asStrings(current) };
  return ok({ values: current }, "Support settings saved.");
}

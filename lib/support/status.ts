import "server-only";
import { eq } from "drizzle-orm";
import { db } from "@/db/client";
import { supportSettings } from "@/db/schema";
import { repsOnline } from "@/lib/chat/presence";
import { commonTimeZones, weekdays } from "./schema";

/** What the chat panel says about whether someone can answer now (docs/support-chat.md). */
export type SupportStatus = {
  available: boolean;
  reason: "open" | "noRep" | "closedHours";
  expectedReply: string;
  /** "Mon 08:00–20:00, …" in the desk's time zone; null when open at all hours. */
  hours: string | null;
};

type Hours = Record<string, [string, string]> | null;

/** The weekday ("mon") and time ("14:05") it is now in `timeZone`. */
export function localDayAndTime(now: Date, timeZone: string): { day: string; time: string } {
  const parts = new Intl.DateTimeFormat("en-US", {
    timeZone,
    weekday: "short",
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
  }).formatToParts(now);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? "";
  return { day: get("weekday").slice(0, 3).toLowerCase(), time: `${get("hour")}:${get("minute")}` };
}

/** Null hours mean open at all hours (the default until an admin sets some). */
export function withinHours(hours: Hours, timeZone: string, now: Date): boolean {
  if (!hours) return true;
  const { day, time } = localDayAndTime(now, timeZone);
  const today = hours[day];
  if (!today) return false;
  const [open, close] = today;
  return time >= open && time < close;
}

export function describeHours(hours: Hours, timeZone: string): string | null {
  if (!hours) return null;
  const zone = commonTimeZones.find(([z]) => z === timeZone)?.[1] ?? timeZone;
  const days = weekdays
    .filter(([d]) => hours[d])
    .map(([d, name]) => `${name.slice(0, 3)} ${hours[d][0]}–${hours[d][1]}`);
  return days.length ? `${days.join(", ")} (${zone})` : `Closed (${zone})`;
}

export async function getSupportStatus(now = new Date()): Promise<SupportStatus> {
  const [settings] = await db.select().from(supportSettings).where(eq(supportSettings.id, 1));
  const hours = settings?.hours ?? null;
  const timeZone = settings?.timeZone ?? "America/Denver";
  const base = {
    expectedReply: settings?.expectedReply ?? "within one business day",
    hours: describeHours(hours, timeZone),
  };
  if (!withinHours(hours, timeZone, now)) return { available: false, reason: "closedHours", ...base };
  if ((await repsOnline()) === 0) return { available: false, reason: "noRep", ...base };
  return { available: true, reason: "open", ...base };
}

/**
 * Time zones a customer can choose, and the one a US state falls in when they have not chosen.
 * Client-safe (Edit Profile's select and the sign-in form's browser hint use it too).
 */

/** What Edit Profile offers, labelled as customers know them. Any other IANA zone is refused. */
export const timeZoneChoices = [
  { id: "America/New_York", label: "Eastern (New York)" },
  { id: "America/Chicago", label: "Central (Chicago)" },
  { id: "America/Denver", label: "Mountain (Denver)" },
  { id: "America/Phoenix", label: "Mountain, no daylight saving (Phoenix)" },
  { id: "America/Los_Angeles", label: "Pacific (Los Angeles)" },
  { id: "America/Anchorage", label: "Alaska (Anchorage)" },
  { id: "Pacific/Honolulu", label: "Hawaii (Honolulu)" },
  { id: "America/Puerto_Rico", label: "Atlantic (Puerto Rico)" },
  { id: "Pacific/Guam", label: "Chamorro (Guam)" },
  { id: "UTC", label: "UTC" },
] as const;

export type TimeZoneId = (typeof timeZoneChoices)[number]["id"];

const known = new Set<string>(timeZoneChoices.map((z) => z.id));

export function isTimeZoneChoice(value: string): value is TimeZoneId {
  return known.has(value);
}

/**
 * Any IANA zone this runtime knows (a browser may report e.g. America/Detroit, which is fine to
 * keep even though Edit Profile's list does not name it).
 */
export function isValidTimeZone(value: string): boolean {
  if (!value || value.length > 64) return false;
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

// The zone most of a state's people live in; a state split between two zones gets its larger part.
const byState: Record<string, TimeZoneId> = {};
const groups: [TimeZoneId, string][] = [
  ["America/New_York", "CT DE DC FL GA IN KY ME MD MA MI NH NJ NY NC OH PA RI SC TN VT VA WV"],
  ["America/Chicago", "AL AR IL IA KS LA MN MS MO NE ND OK SD TX WI"],
  ["America/Denver", "CO ID MT NM UT WY"],
  ["America/Phoenix", "AZ"],
  ["America/Los_Angeles", "CA NV OR WA"],
  ["America/Anchorage", "AK"],
  ["Pacific/Honolulu", "HI"],
  ["America/Puerto_Rico", "PR VI"],
  ["Pacific/Guam", "GU MP"],
];
for (const [zone, states] of groups) for (const s of states.split(" ")) byState[s] = zone;

/** The zone for a two-letter state code, or UTC when there is none (staff, no address yet). */
export function zoneForState(state: string | null | undefined): TimeZoneId {
  return (state && byState[state.toUpperCase()]) || "UTC";
}

/** The zone to show times in: the one the person chose, else their service address's state's. */
export function resolveTimeZone(chosen: string | null | undefined, serviceState?: string | null): string {
  return chosen && isValidTimeZone(chosen) ? chosen : zoneForState(serviceState);
}

// ——— Wall-clock time in a zone → an instant ———

const wallFormatters = new Map<string, Intl.DateTimeFormat>();

/** The wall-clock reading of `instant` in `timeZone`, as milliseconds of a UTC date with the same reading. */
function wallClockMs(instant: number, timeZone: string): number {
  let f = wallFormatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    });
    wallFormatters.set(timeZone, f);
  }
  const p = Object.fromEntries(f.formatToParts(instant).map((x) => [x.type, x.value]));
  return Date.UTC(+p.year, +p.month - 1, +p.day, +p.hour, +p.minute, +p.second);
}

export type WallTime =
  /** The one instant that reads so; `ambiguous` when clocks fall back and it reads so twice (the first is taken). */
  | { ok: true; instant: Date; ambiguous: boolean }
  /** "invalid": not a date and time; "nonexistent": skipped when clocks sprang forward. */
  | { ok: false; reason: "invalid" | "nonexistent" };

/**
 * The instant a wall-clock time ("2026-03-08T02:30", as a datetime-local field sends it) means in
 * `timeZone`. Intl only converts the other way, so this tries the zone's offsets a day either side
 * (no zone changes its offset twice within two days) and keeps each candidate that reads back as
 * the same wall time: none means the time fell in a spring-forward gap, two that it is repeated
 * when clocks fall back — the earlier (still daylight-saving) one is taken and the caller shows
 * the zone's abbreviation so the reader sees which.
 */
export function wallTimeToInstant(local: string, timeZone: string): WallTime {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(local);
  if (!m || !isValidTimeZone(timeZone)) return { ok: false, reason: "invalid" };
  const [year, month, day, hour, minute] = m.slice(1).map(Number);
  const wall = Date.UTC(year, month - 1, day, hour, minute);
  const check = new Date(wall);
  // Date.UTC rolls 31 February over into March: refuse rather than move the date.
  if (check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day || hour > 23 || minute > 59) {
    return { ok: false, reason: "invalid" };
  }
  const DAY = 86_400_000;
  const offsets = new Set([
    wallClockMs(wall - DAY, timeZone) - (wall - DAY),
    wallClockMs(wall + DAY, timeZone) - (wall + DAY),
  ]);
  const candidates = [...offsets]
    .map((offset) => wall - offset)
    .filter((instant) => wallClockMs(instant, timeZone) === wall)
    .sort((a, b) => a - b);
  if (candidates.length === 0) return { ok: false, reason: "nonexistent" };
  return { ok: true, instant: new Date(candidates[0]), ambiguous: candidates.length > 1 };
}

/** `instant` as a datetime-local field's value ("2026-03-08T03:30") in `timeZone`. */
export function instantToWallTime(instant: Date, timeZone: string): string {
  return new Date(wallClockMs(instant.getTime(), timeZone)).toISOString().slice(0, 16);
}

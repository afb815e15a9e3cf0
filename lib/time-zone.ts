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

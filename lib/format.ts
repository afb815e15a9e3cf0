/**
 * How dates read on every page. Client-safe. Times are shown in UTC, with the zone named, until
 * pages know the viewer's time zone.
 */
const dateTime = new Intl.DateTimeFormat("en-US", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" });
const dateOnly = new Intl.DateTimeFormat("en-US", { dateStyle: "medium", timeZone: "UTC" });

/** "Dec 1, 2026, 8:11 AM" (UTC). */
export function formatDateTime(value: Date | string | number): string {
  return dateTime.format(new Date(value));
}

/** "Dec 1, 2026" (UTC). */
export function formatDate(value: Date | string | number): string {
  return dateOnly.format(new Date(value));
}

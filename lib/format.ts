/**
 * How dates read on every page and in every mail. Client-safe. Every time carries its zone's
 * short name ("Dec 1, 2026, 3:11 AM MST"), so a reader never has to guess which clock it is;
 * pages pass the viewer's zone (lib/time-zone.ts), and anything that has none shows UTC.
 */
const cache = new Map<string, Intl.DateTimeFormat>();

function formatter(kind: "dateTime" | "date", timeZone: string): Intl.DateTimeFormat {
  const key = `${kind}|${timeZone}`;
  let f = cache.get(key);
  if (!f) {
    f =
      kind === "dateTime"
        ? new Intl.DateTimeFormat("en-US", {
            year: "numeric",
            month: "short",
            day: "numeric",
            hour: "numeric",
            minute: "2-digit",
            timeZoneName: "short",
            timeZone,
          })
        : new Intl.DateTimeFormat("en-US", { dateStyle: "medium", timeZone });
    cache.set(key, f);
  }
  return f;
}

/** "Dec 1, 2026, 1:11 AM MST" in `timeZone` (UTC when not given). */
export function formatDateTime(value: Date | string | number, timeZone = "UTC"): string {
  return formatter("dateTime", timeZone).format(new Date(value));
}

/** "Dec 1, 2026" as the calendar reads in `timeZone` (UTC when not given). */
export function formatDate(value: Date | string | number, timeZone = "UTC"): string {
  return formatter("date", timeZone).format(new Date(value));
}

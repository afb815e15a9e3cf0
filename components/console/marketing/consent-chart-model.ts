/**
 * The arithmetic behind the consent chart, kept apart from the markup so it can be tested: how
 * days become bars, the value axis's steps, which dates get a label, and the words a bar reads as.
 * Client-safe (no server imports); every date is a UTC calendar day "YYYY-MM-DD".
 */
export type DayFigures = { day: string; optIns: number; optOuts: number };

/** One bar: days `from`..`to` (indexes into the period's days, inclusive) and their sums. */
export type Bucket = { from: number; to: number; firstDay: string; lastDay: string; optIns: number; optOuts: number };

/**
 * Longer than this, bars are weeks. 365 daily bars would be under 2 px wide on a laptop and under
 * 1 px on a phone: too thin to point at, and 365 arrow-key presses to cross. Weeks (53 bars) stay
 * readable and quick to step through; the table beside the chart keeps every single day.
 */
export const WEEKLY_AFTER_DAYS = 120;

/**
 * Days as bars: one per day, or, for long periods, one per 7 days counted back from today, so the
 * newest bar is the last full week and only the oldest may be shorter (drawn narrower to show it).
 */
export function toBuckets(days: DayFigures[]): { unit: "day" | "week"; buckets: Bucket[] } {
  const size = days.length > WEEKLY_AFTER_DAYS ? 7 : 1;
  const buckets: Bucket[] = [];
  for (let to = days.length - 1; to >= 0; to -= size) {
    const from = Math.max(0, to - size + 1);
    const slice = days.slice(from, to + 1);
    buckets.unshift({
      from,
      to,
      firstDay: days[from].day,
      lastDay: days[to].day,
      optIns: slice.reduce((n, d) => n + d.optIns, 0),
      optOuts: slice.reduce((n, d) => n + d.optOuts, 0),
    });
  }
  return { unit: size === 7 ? "week" : "day", buckets };
}

/** The smallest of 1, 2, 2.5, 5 × 10ⁿ (whole numbers only) that is at least `x`. */
export function niceStep(x: number): number {
  if (x <= 1) return 1;
  const magnitude = 10 ** Math.floor(Math.log10(x));
  for (const m of [1, 2, 2.5, 5, 10]) {
    const step = m * magnitude;
    if (step >= x && Number.isInteger(step)) return step;
  }
  return 10 * magnitude;
}

/**
 * The value axis: opt-ins upwards from 0, opt-outs downwards, on one scale so bars compare. About
 * five steps in all, split by how tall each side needs to be (at least one step each way, so an
 * empty side still reads as "none" rather than disappearing).
 */
export function valueScale(buckets: Bucket[]): { step: number; up: number; down: number } {
  const maxIn = Math.max(0, ...buckets.map((b) => b.optIns));
  const maxOut = Math.max(0, ...buckets.map((b) => b.optOuts));
  const step = niceStep((maxIn + maxOut) / 5);
  return { step, up: Math.max(1, Math.ceil(maxIn / step)), down: Math.max(1, Math.ceil(maxOut / step)) };
}

const dateFormat = (options: Intl.DateTimeFormatOptions) =>
  new Intl.DateTimeFormat("en-US", { ...options, timeZone: "UTC" });
const monthDay = dateFormat({ month: "short", day: "numeric" });
const month = dateFormat({ month: "short" });
const monthYear = dateFormat({ month: "short", year: "numeric" });
const fullDay = dateFormat({ weekday: "short", month: "short", day: "numeric", year: "numeric" });
const dateOnly = dateFormat({ month: "short", day: "numeric", year: "numeric" });

const utcDate = (day: string) => new Date(`${day}T00:00:00Z`);

/** "Wed, Dec 2, 2026": how a day reads in the table and the read-out. */
export const formatDay = (day: string) => fullDay.format(utcDate(day));

/** "Sep 4 – Dec 2, 2026" (or one date when both are the same day). */
export function formatRange(first: string, last: string): string {
  return first === last ? dateOnly.format(utcDate(first)) : dateOnly.formatRange(utcDate(first), utcDate(last));
}

/** A count with its sign: "+12", "−3" (a real minus sign), "0". */
export function signed(n: number): string {
  const abs = Math.abs(n).toLocaleString("en-US");
  return n > 0 ? `+${abs}` : n < 0 ? `\u2212${abs}` : "0";
}

const plural = (n: number, one: string, many: string) => `${n.toLocaleString("en-US")} ${n === 1 ? one : many}`;

/** What one bar says, in words: "Wed, Dec 2, 2026: 3 opt-ins, 1 opt-out, net +2". */
export function describeBucket(b: Bucket, unit: "day" | "week"): string {
  const when = unit === "day" ? formatDay(b.firstDay) : formatRange(b.firstDay, b.lastDay);
  return `${when}: ${plural(b.optIns, "opt-in", "opt-ins")}, ${plural(b.optOuts, "opt-out", "opt-outs")}, net ${signed(b.optIns - b.optOuts)}`;
}

/** A date label under the chart at day `index`; `minor` ones are left out on narrow screens. */
export type Tick = { index: number; label: string; minor: boolean };

/**
 * Which days get a date under the chart. 30 days: every 7th day back from today (5 labels). 90
 * days: the 1st and 15th of each month (the 15ths only from 640 px up). Longer: each month's 1st,
 * every other one only from 640 px up, with the year on January and on the first label.
 */
export function dateTicks(days: string[]): Tick[] {
  const n = days.length;
  if (n <= 31) {
    const ticks: Tick[] = [];
    for (let i = n - 1; i >= 0; i -= 7)
      ticks.unshift({ index: i, label: monthDay.format(utcDate(days[i])), minor: false });
    return ticks;
  }
  if (n <= WEEKLY_AFTER_DAYS)
    return days.flatMap((day, index) => {
      const date = day.slice(8);
      return date === "01" || date === "15"
        ? [{ index, label: monthDay.format(utcDate(day)), minor: date === "15" }]
        : [];
    });
  const starts = days.flatMap((day, index) => (day.endsWith("-01") ? [index] : []));
  return starts.map((index, k) => {
    const d = utcDate(days[index]);
    const withYear = k === 0 || d.getUTCMonth() === 0;
    // Counted from the newest so the latest month always keeps its label on a phone.
    return { index, label: (withYear ? monthYear : month).format(d), minor: (starts.length - 1 - k) % 2 === 1 };
  });
}

import { describe, expect, it } from "vitest";
import { dateTicks, describeBucket, formatRange, niceStep, signed, toBuckets, valueScale } from "./consent-chart-model";

/** `n` consecutive UTC days ending on `last`, all zero unless `figures` says otherwise. */
function period(n: number, last: string, figures: Record<string, [number, number]> = {}) {
  const end = Date.parse(`${last}T00:00:00Z`);
  return Array.from({ length: n }, (_, i) => {
    const day = new Date(end - (n - 1 - i) * 86_400_000).toISOString().slice(0, 10);
    const [optIns, optOuts] = figures[day] ?? [0, 0];
    return { day, optIns, optOuts };
  });
}

describe("consent chart model", () => {
  it("30 and 90 days are one bar per day; 365 are weeks counted back from today, the oldest a partial week", () => {
    expect(toBuckets(period(30, "2026-12-02")).buckets).toHaveLength(30);
    expect(toBuckets(period(90, "2026-12-02")).unit).toBe("day");
    const days = period(365, "2026-12-02", { "2026-12-02": [2, 1], "2026-11-26": [1, 0], "2026-11-25": [5, 5] });
    const { unit, buckets } = toBuckets(days);
    expect(unit).toBe("week");
    expect(buckets).toHaveLength(53);
    expect(buckets.at(-1)).toEqual({
      from: 358,
      to: 364,
      firstDay: "2026-11-26",
      lastDay: "2026-12-02",
      optIns: 3,
      optOuts: 1,
    });
    expect(buckets.at(-2)).toMatchObject({ firstDay: "2026-11-19", lastDay: "2026-11-25", optIns: 5, optOuts: 5 });
    expect(buckets[0]).toMatchObject({ from: 0, to: 0, firstDay: days[0].day, lastDay: days[0].day });
    // Every day is in exactly one bar, and the sums are kept.
    expect(buckets.reduce((n, b) => n + b.to - b.from + 1, 0)).toBe(365);
    expect(buckets.reduce((n, b) => n + b.optIns, 0)).toBe(8);
  });

  it("the value axis has round steps, room on both sides, and covers the tallest bars", () => {
    expect([0, 1, 3, 4.2, 11, 20.2, 49, 260].map(niceStep)).toEqual([1, 1, 5, 5, 20, 25, 50, 500]);
    const empty = valueScale(toBuckets(period(30, "2026-12-02")).buckets);
    expect(empty).toEqual({ step: 1, up: 1, down: 1 });
    const busy = valueScale(
      toBuckets(period(30, "2026-12-02", { "2026-12-01": [37, 2], "2026-12-02": [4, 9] })).buckets,
    );
    expect(busy).toEqual({ step: 10, up: 4, down: 1 });
    expect(busy.up * busy.step).toBeGreaterThanOrEqual(37);
  });

  it("dates under the chart: weekly for 30 days, 1st and 15th for 90, months for 365 (every other on phones)", () => {
    const d30 = period(30, "2026-12-02").map((d) => d.day);
    expect(dateTicks(d30).map((t) => t.label)).toEqual(["Nov 4", "Nov 11", "Nov 18", "Nov 25", "Dec 2"]);
    const d90 = period(90, "2026-12-02").map((d) => d.day);
    expect(dateTicks(d90).map((t) => `${t.label}${t.minor ? "*" : ""}`)).toEqual([
      "Sep 15*",
      "Oct 1",
      "Oct 15*",
      "Nov 1",
      "Nov 15*",
      "Dec 1",
    ]);
    const d365 = period(365, "2026-12-02").map((d) => d.day);
    const months = dateTicks(d365);
    expect(months.map((t) => t.label)).toEqual([
      "Jan 2026",
      "Feb",
      "Mar",
      "Apr",
      "May",
      "Jun",
      "Jul",
      "Aug",
      "Sep",
      "Oct",
      "Nov",
      "Dec",
    ]);
    expect(months.at(-1)?.minor).toBe(false);
    expect(months.filter((t) => !t.minor)).toHaveLength(6);
    expect(months.every((t) => d365[t.index].endsWith("-01"))).toBe(true);
  });

  it("words: signed net with a real minus, date ranges, and a bar's read-out", () => {
    expect([12, -3, 0, 1234].map(signed)).toEqual(["+12", "\u22123", "0", "+1,234"]);
    expect(formatRange("2026-09-04", "2026-12-02")).toBe("Sep 4\u2009–\u2009Dec 2, 2026");
    expect(formatRange("2026-12-02", "2026-12-02")).toBe("Dec 2, 2026");
    const bucket = { from: 0, to: 0, firstDay: "2026-12-02", lastDay: "2026-12-02", optIns: 1, optOuts: 3 };
    expect(describeBucket(bucket, "day")).toBe("Wed, Dec 2, 2026: 1 opt-in, 3 opt-outs, net \u22122");
    expect(describeBucket({ ...bucket, firstDay: "2026-11-26" }, "week")).toBe(
      "Nov 26\u2009–\u2009Dec 2, 2026: 1 opt-in, 3 opt-outs, net \u22122",
    );
  });
});

/** The periods the marketing charts offer, in days. Client-safe: the page and its links share it. */
export const CHART_PERIODS = [30, 90, 365] as const;
export type ChartPeriod = (typeof CHART_PERIODS)[number];
export const DEFAULT_CHART_PERIOD: ChartPeriod = 90;

/** `?period=` as the page receives it: one of CHART_PERIODS written plainly, else the default (90). */
export function parseChartPeriod(value: string | string[] | undefined): ChartPeriod {
  const raw = Array.isArray(value) ? value[0] : value;
  const n = raw !== undefined && /^\d{1,3}$/.test(raw) ? Number(raw) : NaN;
  return CHART_PERIODS.find((p) => p === n) ?? DEFAULT_CHART_PERIOD;
}

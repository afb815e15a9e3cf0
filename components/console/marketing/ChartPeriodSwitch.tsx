import Link from "next/link";
import { CHART_PERIODS, type ChartPeriod } from "@/lib/marketing/chart-period";

/**
 * The charts' period as plain links (`?period=30|90|365`), so it works before or without
 * JavaScript and each period has its own address to share; the current one is marked for
 * assistive technology with aria-current as well as visually.
 */
export function ChartPeriodSwitch({ period }: { period: ChartPeriod }) {
  return (
    <nav aria-label="Chart period" className="flex flex-wrap items-center gap-2">
      <span className="text-sm font-semibold">Charts show the last</span>
      <ul className="flex flex-wrap gap-2">
        {CHART_PERIODS.map((p) => (
          <li key={p}>
            <Link
              href={`/console/marketing?period=${p}`}
              scroll={false}
              aria-current={p === period ? "page" : undefined}
              className={
                p === period
                  ? "inline-block rounded-md border-2 border-brand-700 bg-brand-700 px-3 py-1 text-sm font-semibold text-white"
                  : "inline-block rounded-md border-2 border-gray-300 px-3 py-1 text-sm text-brand-700 underline hover:border-brand-700"
              }
            >
              {p} days
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}

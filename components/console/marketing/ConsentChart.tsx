import { ChartReadout } from "./ChartReadout";
import {
  dateTicks,
  describeBucket,
  formatRange,
  signed,
  toBuckets,
  valueScale,
  type DayFigures,
} from "./consent-chart-model";

// The plot is drawn in a nominal 720 × 192 box and stretched to the column's width (fixed
// 192 px height), so it never scrolls sideways on a phone. Everything that is text (axis
// values, dates, titles) is HTML placed by percentage around it, so it keeps its size at any
// width instead of shrinking with the drawing; lines keep 1 px with non-scaling strokes.
const W = 720;
const H = 192;
const IN = "#0b5cad";
const OUT = "#b45309";
const AXIS = "#374151";

/** Keeps an edge label inside the plot's width instead of half outside it. */
function anchor(pct: number): string {
  if (pct < 6) return "translate-x-0";
  if (pct > 94) return "-translate-x-full";
  return "-translate-x-1/2";
}

/**
 * Opt-ins and opt-outs over the period as a server-drawn SVG bar chart. Opt-ins are solid bars
 * above the zero line, opt-outs hatched bars below it, and the legend says so in words: the two
 * differ in place and pattern, not only in colour. Dates are UTC calendar days (the ledger's day
 * boundaries are the same for every viewer and match the export's UTC times), said on the axis.
 */
export function ConsentChart({ id, topicName, days }: { id: string; topicName: string; days: DayFigures[] }) {
  const { unit, buckets } = toBuckets(days);
  const { step, up, down } = valueScale(buckets);
  const range = (up + down) * step;
  const y = (v: number) => ((up * step - v) / range) * H;
  const x = (dayIndex: number) => (dayIndex / days.length) * W;
  const pct = (dayIndex: number) => ((dayIndex + 0.5) / days.length) * 100;
  const values = Array.from({ length: up + down + 1 }, (_, k) => (up - k) * step);
  const ticks = dateTicks(days.map((d) => d.day));
  const totalIn = days.reduce((n, d) => n + d.optIns, 0);
  const totalOut = days.reduce((n, d) => n + d.optOuts, 0);
  const first = days[0]?.day ?? "";
  const last = days.at(-1)?.day ?? "";
  const per = unit === "day" ? "per day" : "per week";

  const yAxis = (
    <div className="relative w-10 text-right text-xs text-gray-700 tabular-nums" aria-hidden="true">
      {values.map((v) => (
        <span key={v} className="absolute right-0 -translate-y-1/2" style={{ top: `${(y(v) / H) * 100}%` }}>
          {Math.abs(v).toLocaleString("en-US")}
        </span>
      ))}
    </div>
  );
  const xAxis = (
    <div className="space-y-1" aria-hidden="true">
      <div className="relative h-5 overflow-x-clip text-xs whitespace-nowrap text-gray-700">
        {ticks.map((t) => (
          <span
            key={t.index}
            className={`absolute top-1 ${anchor(pct(t.index))} ${t.minor ? "hidden sm:inline" : ""}`}
            style={{ left: `${pct(t.index)}%` }}
          >
            {t.label}
          </span>
        ))}
      </div>
      <p className="text-center text-xs text-gray-700">Date (UTC)</p>
    </div>
  );

  return (
    <figure className="min-w-0 space-y-3" aria-labelledby={`${id}-caption`} data-testid="consent-chart">
      <figcaption id={`${id}-caption`} className="text-sm text-gray-900">
        {topicName}, last {days.length} days ({formatRange(first, last)}, dates in UTC):{" "}
        {totalIn.toLocaleString("en-US")} opt-ins and {totalOut.toLocaleString("en-US")} opt-outs, net growth{" "}
        {signed(totalIn - totalOut)}.
      </figcaption>
      <ul className="flex flex-wrap gap-x-5 gap-y-1 text-sm" aria-label="Legend">
        <li className="flex items-center gap-2">
          <svg width="16" height="16" aria-hidden="true" focusable="false">
            <rect x="1" y="1" width="14" height="14" fill={IN} />
          </svg>
          Opt-ins: solid bars above the zero line
        </li>
        <li className="flex items-center gap-2">
          <svg width="16" height="16" aria-hidden="true" focusable="false">
            <rect x="1" y="1" width="14" height="14" fill={`url(#${id}-hatch)`} stroke={OUT} strokeWidth="1.5" />
          </svg>
          Opt-outs: hatched bars below it
        </li>
      </ul>
      <p className="text-xs text-gray-700">
        People {per}
        {unit === "week" ? " (each bar is 7 days ending on its last date; the table has every day)" : ""}
      </p>
      <ChartReadout
        id={id}
        label={`${topicName}: chart of opt-ins and opt-outs ${per}. Use the left and right arrow keys to read each ${unit}.`}
        hint={`Point at a bar, or focus the chart and use the arrow keys, to read each ${unit}'s figures.`}
        readouts={buckets.map((b) => describeBucket(b, unit))}
        spans={buckets.map((b) => [b.from, b.to])}
        days={days.length}
        yAxis={yAxis}
        xAxis={xAxis}
      >
        <svg
          viewBox={`0 0 ${W} ${H}`}
          preserveAspectRatio="none"
          className="absolute inset-0 h-full w-full overflow-visible"
          aria-hidden="true"
          focusable="false"
        >
          <defs>
            <pattern
              id={`${id}-hatch`}
              patternUnits="userSpaceOnUse"
              width="6"
              height="6"
              patternTransform="rotate(45)"
            >
              <rect width="6" height="6" fill="#fff" />
              <line x1="0" y1="0" x2="0" y2="6" stroke={OUT} strokeWidth="3.5" />
            </pattern>
          </defs>
          {values.map((v) => (
            <line
              key={v}
              x1={0}
              x2={W}
              y1={y(v)}
              y2={y(v)}
              stroke={v === 0 ? AXIS : "#e5e7eb"}
              strokeWidth={v === 0 ? 1.5 : 1}
              vectorEffect="non-scaling-stroke"
            />
          ))}
          {ticks.map((t) => (
            <line
              key={t.index}
              x1={(pct(t.index) / 100) * W}
              x2={(pct(t.index) / 100) * W}
              y1={H - 6}
              y2={H}
              stroke={AXIS}
              vectorEffect="non-scaling-stroke"
            />
          ))}
          {buckets.map((b) => {
            const left = x(b.from);
            const width = x(b.to + 1) - left;
            const gap = Math.min(width * 0.15, 3);
            return (
              <g key={b.from} data-testid="chart-bar">
                <title>{describeBucket(b, unit)}</title>
                {/* A transparent full-height hit area so the tooltip shows anywhere in the bar's column. */}
                <rect x={left} y={0} width={width} height={H} fill="transparent" />
                {b.optIns > 0 && (
                  <rect
                    x={left + gap}
                    y={y(b.optIns)}
                    width={width - 2 * gap}
                    height={y(0) - y(b.optIns)}
                    fill={IN}
                    data-kind="opt-ins"
                  />
                )}
                {b.optOuts > 0 && (
                  <rect
                    x={left + gap}
                    y={y(0)}
                    width={width - 2 * gap}
                    height={y(-b.optOuts) - y(0)}
                    fill={`url(#${id}-hatch)`}
                    stroke={OUT}
                    strokeWidth={1}
                    vectorEffect="non-scaling-stroke"
                    data-kind="opt-outs"
                  />
                )}
              </g>
            );
          })}
        </svg>
      </ChartReadout>
    </figure>
  );
}

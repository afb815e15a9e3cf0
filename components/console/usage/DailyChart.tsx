/**
 * A bar chart of one number per day, drawn on the server as SVG: axes with dates and values,
 * each bar's exact figure in its <title> (a tooltip), and the whole series as text for screen
 * readers (the SVG is described by a visually hidden list; the page's table has the same numbers).
 */
export type DailyPoint = { day: string; total: number };

const WIDTH = 720;
const HEIGHT = 240;
const MARGIN = { top: 12, right: 12, bottom: 40, left: 48 };

/** A round axis maximum so the 4 gridlines fall on round numbers. */
function niceMax(max: number): number {
  if (max <= 4) return 4;
  const magnitude = 10 ** Math.floor(Math.log10(max));
  const step = [0.25, 0.5, 1, 2, 2.5, 5, 10].map((m) => m * magnitude).find((s) => s * 4 >= max) ?? magnitude * 10;
  return step * 4;
}

export const shortDate = (day: string) =>
  new Date(`${day}T00:00:00Z`).toLocaleDateString("en-US", { month: "short", day: "numeric", timeZone: "UTC" });

export function DailyChart({
  id,
  title,
  unit,
  points,
}: {
  id: string;
  title: string;
  unit: string;
  points: DailyPoint[];
}) {
  const max = niceMax(Math.max(0, ...points.map((p) => p.total)));
  const plotW = WIDTH - MARGIN.left - MARGIN.right;
  const plotH = HEIGHT - MARGIN.top - MARGIN.bottom;
  const slot = plotW / Math.max(points.length, 1);
  const barW = Math.max(2, slot * 0.7);
  const y = (v: number) => MARGIN.top + plotH - (v / max) * plotH;
  const ticks = [0, 1, 2, 3, 4].map((i) => (max / 4) * i);
  const total = points.reduce((n, p) => n + p.total, 0);
  const axis = "#374151";
  return (
    <figure className="min-w-0 space-y-2">
      <figcaption id={`${id}-title`} className="font-semibold">
        {title}: {total.toLocaleString("en-US")} {unit} in {points.length} days
      </figcaption>
      <svg
        viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
        role="img"
        aria-labelledby={`${id}-title`}
        aria-describedby={`${id}-desc`}
        className="h-auto w-full"
      >
        {ticks.map((t) => (
          <g key={t}>
            <line x1={MARGIN.left} x2={WIDTH - MARGIN.right} y1={y(t)} y2={y(t)} stroke="#d1d5db" strokeWidth={1} />
            <text x={MARGIN.left - 6} y={y(t) + 4} textAnchor="end" fontSize={12} fill={axis}>
              {Number.isInteger(t) ? t.toLocaleString("en-US") : t.toFixed(1)}
            </text>
          </g>
        ))}
        <line x1={MARGIN.left} x2={MARGIN.left} y1={MARGIN.top} y2={MARGIN.top + plotH} stroke={axis} />
        <line
          x1={MARGIN.left}
          x2={WIDTH - MARGIN.right}
          y1={MARGIN.top + plotH}
          y2={MARGIN.top + plotH}
          stroke={axis}
        />
        {points.map((p, i) => {
          const h = (p.total / max) * plotH;
          return (
            <rect
              key={p.day}
              x={MARGIN.left + i * slot + (slot - barW) / 2}
              y={MARGIN.top + plotH - h}
              width={barW}
              height={h}
              fill="#0b5cad"
            >
              <title>{`${shortDate(p.day)}: ${p.total.toLocaleString("en-US")} ${unit}`}</title>
            </rect>
          );
        })}
        {points.map((p, i) =>
          (points.length - 1 - i) % 7 === 0 ? (
            <text
              key={p.day}
              x={MARGIN.left + i * slot + slot / 2}
              y={MARGIN.top + plotH + 18}
              textAnchor="middle"
              fontSize={12}
              fill={axis}
            >
              {shortDate(p.day)}
            </text>
          ) : null,
        )}
        <text x={MARGIN.left + plotW / 2} y={HEIGHT - 4} textAnchor="middle" fontSize={12} fill={axis}>
          Day (UTC)
        </text>
        <text
          x={12}
          y={MARGIN.top + plotH / 2}
          textAnchor="middle"
          fontSize={12}
          fill={axis}
          transform={`rotate(-90 12 ${MARGIN.top + plotH / 2})`}
        >
          {unit}
        </text>
      </svg>
      <ul id={`${id}-desc`} className="sr-only">
        {points.map((p) => (
          <li key={p.day}>
            {shortDate(p.day)}: {p.total} {unit}
          </li>
        ))}
      </ul>
    </figure>
  );
}

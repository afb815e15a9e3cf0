import type { DailyConsent } from "@/lib/marketing/lists";

/**
 * Opt-ins (up) and opt-outs (down) per day as an SVG bar chart, with the same numbers in a table
 * for screen readers and for anyone who wants exact figures.
 */
export function ConsentChart({ topicName, days }: { topicName: string; days: DailyConsent[] }) {
  const width = 720;
  const height = 160;
  const mid = height / 2;
  const max = Math.max(1, ...days.map((d) => Math.max(d.optIns, d.optOuts)));
  const bar = width / days.length;
  const scale = (n: number) => (n / max) * (mid - 8);
  const totalIn = days.reduce((a, d) => a + d.optIns, 0);
  const totalOut = days.reduce((a, d) => a + d.optOuts, 0);
  const id = `chart-${topicName.replace(/\W+/g, "-").toLowerCase()}`;
  return (
    <figure className="space-y-2" aria-labelledby={`${id}-caption`}>
      <svg
        viewBox={`0 0 ${width} ${height}`}
        preserveAspectRatio="none"
        className="h-40 w-full"
        role="img"
        aria-labelledby={`${id}-caption`}
        data-testid="consent-chart"
      >
        <line x1="0" x2={width} y1={mid} y2={mid} stroke="#6b7280" strokeWidth="1" />
        {days.map((d, i) => (
          <g key={d.day}>
            {d.optIns > 0 && (
              <rect
                x={i * bar + 1}
                y={mid - scale(d.optIns)}
                width={Math.max(1, bar - 2)}
                height={scale(d.optIns)}
                fill="#0b5cad"
              />
            )}
            {d.optOuts > 0 && (
              <rect x={i * bar + 1} y={mid} width={Math.max(1, bar - 2)} height={scale(d.optOuts)} fill="#b45309" />
            )}
          </g>
        ))}
      </svg>
      <figcaption id={`${id}-caption`} className="text-sm text-gray-700">
        {topicName}, last {days.length} days: {totalIn} opt-ins (blue, above the line) and {totalOut} opt-outs (orange,
        below).
      </figcaption>
      <details>
        <summary className="cursor-pointer text-sm text-brand-700 underline">Daily figures</summary>
        <table className="mt-2 text-sm">
          <caption className="sr-only">Opt-ins and opt-outs per day for {topicName}</caption>
          <thead>
            <tr>
              <th scope="col" className="pr-4 text-left">
                Day
              </th>
              <th scope="col" className="pr-4 text-right">
                Opt-ins
              </th>
              <th scope="col" className="text-right">
                Opt-outs
              </th>
            </tr>
          </thead>
          <tbody>
            {days
              .filter((d) => d.optIns || d.optOuts)
              .map((d) => (
                <tr key={d.day}>
                  <td className="pr-4">{d.day}</td>
                  <td className="pr-4 text-right">{d.optIns}</td>
                  <td className="text-right">{d.optOuts}</td>
                </tr>
              ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}

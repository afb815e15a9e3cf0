import { Cell, Row, StackedTable } from "@/components/ui/StackedTable";
import { formatDay, signed, type DayFigures } from "./consent-chart-model";

const columns = [
  { label: "Day", className: "sticky top-0 bg-white whitespace-nowrap" },
  { label: "Opt-ins", numeric: true, className: "sticky top-0 bg-white whitespace-nowrap" },
  { label: "Opt-outs", numeric: true, className: "sticky top-0 bg-white whitespace-nowrap" },
  { label: "Net", numeric: true, className: "sticky top-0 bg-white whitespace-nowrap" },
];

/**
 * The chart's exact figures per day, newest first. Days without any opt-in or opt-out are left
 * out, and a note says how many: the chart already shows them as gaps, and a year of mostly-zero
 * rows would bury the days that matter (and weigh on the page: up to 365 rows per topic). The
 * rows still scroll inside a region of their own, focusable so keyboard users can scroll it too.
 */
export function DailyConsentTable({ id, topicName, days }: { id: string; topicName: string; days: DayFigures[] }) {
  const active = days.filter((d) => d.optIns || d.optOuts).toReversed();
  const quiet = days.length - active.length;
  return (
    <div className="min-w-0 space-y-2">
      <h3 id={`${id}-table-title`} className="text-sm font-semibold">
        Daily figures<span className="sr-only"> for {topicName}</span> (UTC), newest first
      </h3>
      <p className="text-xs text-gray-700" data-testid="consent-table-note">
        {active.length === 0
          ? `No opt-ins or opt-outs in these ${days.length} days.`
          : `Days without any opt-in or opt-out are left out: ${quiet} of ${days.length}.`}
      </p>
      {active.length > 0 && (
        <div
          role="region"
          aria-labelledby={`${id}-table-title`}
          tabIndex={0}
          className="max-h-96 overflow-y-auto rounded-md border border-gray-300 px-3 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-brand-700"
          data-testid="consent-table"
        >
          <StackedTable
            caption={`Opt-ins and opt-outs per day for ${topicName}, last ${days.length} days, dates in UTC, newest first, days without any left out`}
            columns={columns}
          >
            {active.map((d) => (
              <Row key={d.day}>
                <Cell label="Day" rowHeader className="font-normal whitespace-nowrap">
                  <time dateTime={d.day}>{formatDay(d.day)}</time>
                </Cell>
                <Cell label="Opt-ins" numeric>
                  {d.optIns.toLocaleString("en-US")}
                </Cell>
                <Cell label="Opt-outs" numeric>
                  {d.optOuts.toLocaleString("en-US")}
                </Cell>
                <Cell label="Net" numeric>
                  {signed(d.optIns - d.optOuts)}
                </Cell>
              </Row>
            ))}
          </StackedTable>
        </div>
      )}
    </div>
  );
}

import { Cell, Row, StackedTable } from "@/components/ui/StackedTable";
import { formatDay, signed, type DayFigures } from "./consent-chart-model";

const columns = [
  { label: "Day", className: "sticky top-0 bg-white" },
  { label: "Opt-ins", numeric: true, className: "sticky top-0 bg-white" },
  { label: "Opt-outs", numeric: true, className: "sticky top-0 bg-white" },
  { label: "Net", numeric: true, className: "sticky top-0 bg-white" },
];

/**
 * The chart's exact figures, every day of the period (quiet days included, so the rows match the
 * period and its dates one to one), newest first. Up to 365 rows, so the table scrolls inside a
 * region of its own, which is focusable so keyboard users can scroll it too.
 */
export function DailyConsentTable({ id, topicName, days }: { id: string; topicName: string; days: DayFigures[] }) {
  return (
    <div className="min-w-0 space-y-2">
      <h3 id={`${id}-table-title`} className="text-sm font-semibold">
        Daily figures (UTC), newest first
      </h3>
      <div
        role="region"
        aria-labelledby={`${id}-table-title`}
        tabIndex={0}
        className="max-h-96 overflow-y-auto rounded-md border border-gray-300 px-3 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-brand-700"
        data-testid="consent-table"
      >
        <StackedTable
          caption={`Opt-ins and opt-outs per day for ${topicName}, last ${days.length} days, dates in UTC, newest first`}
          columns={columns}
        >
          {days.toReversed().map((d) => (
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
    </div>
  );
}

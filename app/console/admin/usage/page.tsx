import type { Metadata } from "next";
import Link from "next/link";
import { DailyChart, shortDate } from "@/components/console/usage/DailyChart";
import { Cell, Row, StackedTable } from "@/components/ui/StackedTable";
import { requirePageUser } from "@/lib/auth/current";
import { REPORT_DAYS, usageReport } from "@/lib/usage/report";

export const metadata: Metadata = { title: "Usage figures" };

const viewColumns = [{ label: "Page" }, { label: "Views", numeric: true }];
const campaignColumns = [{ label: "Source / medium / campaign" }, { label: "Visits", numeric: true }];

export default async function UsagePage() {
  await requirePageUser("admin.usage", "/console/admin/usage");
  const report = await usageReport();
  const empty = report.topPaths.length === 0 && report.topCampaigns.length === 0;
  return (
    <div className="space-y-8">
      <div className="space-y-1">
        <p>
          <Link href="/console" className="text-brand-700 underline">
            Staff console
          </Link>
        </p>
        <h1 className="text-2xl font-bold">Usage figures</h1>
        <p className="max-w-3xl text-gray-700">
          Page loads per page and visits per campaign (utm_source, utm_medium, utm_campaign), counted per day by the
          server for visitors who allowed analytics. Nothing else is stored: no address, account, cookie or browser, so
          none of these figures can be traced to a person. Last {REPORT_DAYS} days, {shortDate(report.from)} to{" "}
          {shortDate(report.to)} (UTC).
        </p>
      </div>
      {empty && (
        <p role="status" className="rounded-md border border-gray-300 bg-gray-50 px-3 py-2">
          Nothing counted in the last {REPORT_DAYS} days yet. Page loads are counted only for visitors who chose “Accept
          all” or allowed analytics in their cookie settings, and never when the browser sends Global Privacy Control.
        </p>
      )}
      <section aria-labelledby="views-heading" className="space-y-3">
        <h2 id="views-heading" className="text-xl font-semibold">
          Page views
        </h2>
        <div className="grid gap-6 lg:grid-cols-[2fr_1fr]">
          <DailyChart id="views-chart" title="Page views per day" unit="page views" points={report.pageViewsByDay} />
          <StackedTable
            caption={`Page views by page, last ${REPORT_DAYS} days`}
            captionClassName="mb-2 text-left font-semibold"
            columns={viewColumns}
          >
            {report.topPaths.length === 0 ? (
              <Row>
                <Cell colSpan={2}>None yet</Cell>
              </Row>
            ) : (
              report.topPaths.map((p) => (
                <Row key={p.path}>
                  <Cell label="Page" rowHeader className="font-mono text-xs font-normal break-all">
                    {p.path}
                  </Cell>
                  <Cell label="Views" numeric>
                    {p.views.toLocaleString("en-US")}
                  </Cell>
                </Row>
              ))
            )}
          </StackedTable>
        </div>
      </section>
      <section aria-labelledby="campaigns-heading" className="space-y-3">
        <h2 id="campaigns-heading" className="text-xl font-semibold">
          Campaign visits
        </h2>
        <div className="grid gap-6 lg:grid-cols-[2fr_1fr]">
          <DailyChart
            id="campaigns-chart"
            title="Campaign visits per day"
            unit="visits"
            points={report.campaignVisitsByDay}
          />
          <StackedTable
            caption={`Visits by campaign, last ${REPORT_DAYS} days`}
            captionClassName="mb-2 text-left font-semibold"
            columns={campaignColumns}
          >
            {report.topCampaigns.length === 0 ? (
              <Row>
                <Cell colSpan={2}>None yet</Cell>
              </Row>
            ) : (
              report.topCampaigns.map((c) => (
                <Row key={`${c.source}|${c.medium}|${c.campaign}`}>
                  <Cell label="Source / medium / campaign" rowHeader className="font-normal break-all">
                    {[c.source, c.medium || "—", c.campaign || "—"].join(" / ")}
                  </Cell>
                  <Cell label="Visits" numeric>
                    {c.visits.toLocaleString("en-US")}
                  </Cell>
                </Row>
              ))
            )}
          </StackedTable>
        </div>
      </section>
    </div>
  );
}

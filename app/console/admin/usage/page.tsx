import type { Metadata } from "next";
import Link from "next/link";
import { DailyChart, shortDate } from "@/components/console/usage/DailyChart";
import { requirePageUser } from "@/lib/auth/current";
import { REPORT_DAYS, usageReport } from "@/lib/usage/report";

export const metadata: Metadata = { title: "Usage figures" };

const cell = "py-1.5 pr-4";

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
          <div className="overflow-x-auto">
            <table className="w-full text-left text-sm">
              <caption className="mb-2 text-left font-semibold">Page views by page, last {REPORT_DAYS} days</caption>
              <thead>
                <tr className="border-b border-gray-400">
                  <th scope="col" className={cell}>
                    Page
                  </th>
                  <th scope="col" className="py-1.5 text-right">
                    Views
                  </th>
                </tr>
              </thead>
              <tbody>
                {report.topPaths.length === 0 ? (
                  <tr>
                    <td colSpan={2} className={cell}>
                      None yet
                    </td>
                  </tr>
                ) : (
                  report.topPaths.map((p) => (
                    <tr key={p.path} className="border-b border-gray-200">
                      <th scope="row" className={`${cell} font-mono text-xs font-normal break-all`}>
                        {p.path}
                      </th>
                      <td className="py-1.5 text-right tabular-nums">{p.views.toLocaleString("en-US")}</td>
                    </tr>
                  ))
                )}
              </tbody>
            </table>
          </div>
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
          <div className="overflow-x-auto">
            <table className="w-full text-left text-sm">
              <caption className="mb-2 text-left font-semibold">Visits by campaign, last {REPORT_DAYS} days</caption>
              <thead>
                <tr className="border-b border-gray-400">
                  <th scope="col" className={cell}>
                    Source / medium / campaign
                  </th>
                  <th scope="col" className="py-1.5 text-right">
                    Visits
                  </th>
                </tr>
              </thead>
              <tbody>
                {report.topCampaigns.length === 0 ? (
                  <tr>
                    <td colSpan={2} className={cell}>
                      None yet
                    </td>
                  </tr>
                ) : (
                  report.topCampaigns.map((c) => (
                    <tr key={`${c.source}|${c.medium}|${c.campaign}`} className="border-b border-gray-200">
                      <th scope="row" className={`${cell} font-normal break-all`}>
                        {[c.source, c.medium || "—", c.campaign || "—"].join(" / ")}
                      </th>
                      <td className="py-1.5 text-right tabular-nums">{c.visits.toLocaleString("en-US")}</td>
                    </tr>
                  ))
                )}
              </tbody>
            </table>
          </div>
        </div>
      </section>
    </div>
  );
}

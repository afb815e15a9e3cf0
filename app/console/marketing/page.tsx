import type { Metadata } from "next";
import { AutoRefresh } from "@/components/console/AutoRefresh";
import { NewsletterForm } from "@/components/console/marketing/NewsletterForm";
import { SendsTable } from "@/components/console/marketing/SendsTable";
import { ChartPeriodSwitch } from "@/components/console/marketing/ChartPeriodSwitch";
import { TopicSection } from "@/components/console/marketing/TopicSection";
import { requirePageUser } from "@/lib/auth/current";
import { parseChartPeriod } from "@/lib/marketing/chart-period";
import { dailyConsent, optInCounts } from "@/lib/marketing/lists";
import { recentNewsletters, sendsRefreshMs } from "@/lib/marketing/newsletter";
import { listMarketingTopics } from "@/lib/preferences/queries";
import { cancelNewsletterAction, newsletterAction } from "./actions";

export const metadata: Metadata = { title: "Marketing — opt-in lists" };

type Props = { searchParams: Promise<{ period?: string | string[] }> };

export default async function MarketingConsole({ searchParams }: Props) {
  const session = await requirePageUser("marketing", "/console/marketing");
  // The charts' period (?period=30|90|365; anything else shows 90).
  const period = parseChartPeriod((await searchParams).period);
  const topics = await listMarketingTopics();
  const [counts, charts, sends] = await Promise.all([
    optInCounts(),
    Promise.all(topics.map((t) => dailyConsent(t.id, period))),
    recentNewsletters(),
  ]);
  const refreshMs = sendsRefreshMs(sends);
  return (
    <div className="space-y-10">
      <div>
        <h1 className="text-2xl font-bold">Opt-in lists</h1>
        <p className="text-gray-700">Only people whose current choice is yes, and only the fields marketing needs.</p>
      </div>
      <ChartPeriodSwitch period={period} />
      {topics.map((t, i) => (
        <TopicSection key={t.id} topic={t} optedIn={counts[t.id] ?? 0} days={charts[i]} />
      ))}
      <section aria-labelledby="send-heading" className="space-y-4 rounded-lg border border-gray-300 p-5">
        <h2 id="send-heading" className="text-xl font-semibold">
          Send a newsletter
        </h2>
        <NewsletterForm
          action={newsletterAction}
          topics={topics.map((t) => ({ id: t.id, name: t.name }))}
          timeZone={session.timeZone}
        />
      </section>
      <section aria-labelledby="sends-heading" className="space-y-3">
        <h2 id="sends-heading" className="text-xl font-semibold">
          Recent sends
        </h2>
        <AutoRefresh active={refreshMs !== null} everyMs={refreshMs ?? undefined} />
        <SendsTable sends={sends} timeZone={session.timeZone} cancelAction={cancelNewsletterAction} />
      </section>
    </div>
  );
}

import Link from "next/link";
import type { DailyConsent } from "@/lib/marketing/lists";
import { ConsentChart } from "./ConsentChart";
import { DailyConsentTable } from "./DailyConsentTable";
import { signed } from "./consent-chart-model";

/**
 * One marketing topic: how many are opted in now, the period's net growth, its consent chart
 * with the daily table beside it (below it on narrow screens), and its list and export.
 */
export function TopicSection({
  topic,
  optedIn,
  days,
}: {
  topic: { id: string; name: string };
  optedIn: number;
  days: DailyConsent[];
}) {
  const id = `chart-${topic.id}`;
  const net = days.reduce((n, d) => n + d.optIns - d.optOuts, 0);
  return (
    <section aria-labelledby={`topic-${topic.id}`} className="space-y-4 rounded-lg border border-gray-300 p-5">
      <div className="flex flex-wrap items-baseline justify-between gap-3">
        <h2 id={`topic-${topic.id}`} className="text-xl font-semibold">
          {topic.name}
        </h2>
        <div className="flex flex-wrap gap-x-6 gap-y-1">
          <p>
            <span className="text-2xl font-bold" data-testid={`optins-${topic.id}`}>
              {optedIn.toLocaleString("en-US")}
            </span>{" "}
            opted in now
          </p>
          <p>
            <span className="text-2xl font-bold" data-testid={`net-${topic.id}`}>
              {signed(net)}
            </span>{" "}
            net in {days.length} days
          </p>
        </div>
      </div>
      <div className="grid gap-6 lg:grid-cols-[minmax(0,2fr)_minmax(0,1fr)]">
        <ConsentChart id={id} topicName={topic.name} days={days} />
        <DailyConsentTable id={id} topicName={topic.name} days={days} />
      </div>
      <div className="flex flex-wrap gap-4">
        <Link href={`/console/marketing/list?topic=${topic.id}`} className="text-brand-700 underline">
          View the list<span className="sr-only"> for {topic.name}</span>
        </Link>
        <a href={`/console/marketing/export?topic=${topic.id}`} className="text-brand-700 underline" download>
          Export CSV<span className="sr-only"> of {topic.name} opt-ins</span>
        </a>
      </div>
    </section>
  );
}

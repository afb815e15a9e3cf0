import Link from "next/link";
import type { DailyConsent } from "@/lib/marketing/lists";
import { ConsentChart } from "./ConsentChart";

/** One marketing topic: how many are opted in now, its consent chart, its list and export. */
export function TopicSection({
  topic,
  optedIn,
  days,
}: {
  topic: { id: string; name: string };
  optedIn: number;
  days: DailyConsent[];
}) {
  return (
    <section aria-labelledby={`topic-${topic.id}`} className="space-y-3 rounded-lg border border-gray-300 p-5">
      <div className="flex flex-wrap items-baseline justify-between gap-3">
        <h2 id={`topic-${topic.id}`} className="text-xl font-semibold">
          {topic.name}
        </h2>
        <p>
          <span className="text-2xl font-bold" data-testid={`optins-${topic.id}`}>
            {optedIn.toLocaleString("en-US")}
          </span>{" "}
          opted in now
        </p>
      </div>
      <ConsentChart topicName={topic.name} days={days} />
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

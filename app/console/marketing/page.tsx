import type { Metadata } from "next";
import Link from "next/link";
import { AutoRefresh } from "@/components/console/AutoRefresh";
import { ConsentChart } from "@/components/console/ConsentChart";
import { NewsletterForm } from "@/components/console/NewsletterForm";
import { requirePageUser } from "@/lib/auth/current";
import { formatDateTime } from "@/lib/format";
import { dailyConsent, optInCounts } from "@/lib/marketing/lists";
import { recentNewsletters } from "@/lib/marketing/newsletter";
import { listMarketingTopics } from "@/lib/preferences/queries";
import { newsletterAction } from "./actions";

export const metadata: Metadata = { title: "Marketing — opt-in lists" };

export default async function MarketingConsole() {
  await requirePageUser("marketing", "/console/marketing");
  const topics = await listMarketingTopics();
  const [counts, charts, sends] = await Promise.all([
    optInCounts(),
    Promise.all(topics.map((t) => dailyConsent(t.id))),
    recentNewsletters(),
  ]);
  const inProgress = sends.some((s) => s.status === "queueing" || s.waiting > 0);
  return (
    <div className="space-y-10">
      <div>
        <h1 className="text-2xl font-bold">Opt-in lists</h1>
        <p className="text-gray-700">Only people whose current choice is yes, and only the fields marketing needs.</p>
      </div>
      {topics.map((t, i) => (
        <section
          key={t.id}
          aria-labelledby={`topic-${t.id}`}
          className="space-y-3 rounded-lg border border-gray-300 p-5"
        >
          <div className="flex flex-wrap items-baseline justify-between gap-3">
            <h2 id={`topic-${t.id}`} className="text-xl font-semibold">
              {t.name}
            </h2>
            <p>
              <span className="text-2xl font-bold" data-testid={`optins-${t.id}`}>
                {(counts[t.id] ?? 0).toLocaleString("en-US")}
              </span>{" "}
              opted in now
            </p>
          </div>
          <ConsentChart topicName={t.name} days={charts[i]} />
          <div className="flex flex-wrap gap-4">
            <Link href={`/console/marketing/list?topic=${t.id}`} className="text-brand-700 underline">
              View the list<span className="sr-only"> for {t.name}</span>
            </Link>
            <a href={`/console/marketing/export?topic=${t.id}`} className="text-brand-700 underline" download>
              Export CSV<span className="sr-only"> of {t.name} opt-ins</span>
            </a>
          </div>
        </section>
      ))}
      <section aria-labelledby="send-heading" className="space-y-4 rounded-lg border border-gray-300 p-5">
        <h2 id="send-heading" className="text-xl font-semibold">
          Send a newsletter
        </h2>
        <NewsletterForm action={newsletterAction} topics={topics.map((t) => ({ id: t.id, name: t.name }))} />
      </section>
      <section aria-labelledby="sends-heading" className="space-y-3">
        <h2 id="sends-heading" className="text-xl font-semibold">
          Recent sends
        </h2>
        <AutoRefresh active={inProgress} />
        {sends.length === 0 ? (
          <p>No newsletters sent yet.</p>
        ) : (
          <table className="w-full border-collapse text-left text-sm">
            <caption className="sr-only">Recent newsletters and their delivery progress</caption>
            <thead>
              <tr className="border-b border-gray-400">
                <th scope="col" className="py-2 pr-3">
                  Started (UTC)
                </th>
                <th scope="col" className="py-2 pr-3">
                  Subject
                </th>
                <th scope="col" className="py-2 pr-3 text-right">
                  Recipients
                </th>
                <th scope="col" className="py-2 pr-3 text-right">
                  Queued
                </th>
                <th scope="col" className="py-2 pr-3 text-right">
                  Sent
                </th>
                <th scope="col" className="py-2 pr-3 text-right">
                  Failed
                </th>
                <th scope="col" className="py-2 text-right">
                  Stopped (opted out since)
                </th>
              </tr>
            </thead>
            <tbody aria-live="polite">
              {sends.map((s) => (
                <tr key={s.id} className="border-b border-gray-200" data-testid="newsletter-row">
                  <td className="py-2 pr-3">{formatDateTime(s.createdAt)}</td>
                  <td className="py-2 pr-3">{s.subject}</td>
                  <td className="py-2 pr-3 text-right">
                    {s.recipients}
                    {s.status === "queueing" ? " (adding…)" : ""}
                  </td>
                  <td className="py-2 pr-3 text-right">{s.waiting}</td>
                  <td className="py-2 pr-3 text-right">{s.sent}</td>
                  <td className="py-2 pr-3 text-right">{s.failed}</td>
                  <td className="py-2 text-right">{s.suppressed}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </div>
  );
}

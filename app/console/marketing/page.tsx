import type { Metadata } from "next";
import Link from "next/link";
import { AutoRefresh } from "@/components/console/AutoRefresh";
import { ConsentChart } from "@/components/console/ConsentChart";
import { NewsletterForm } from "@/components/console/NewsletterForm";
import { Cell, Row, StackedTable } from "@/components/ui/StackedTable";
import { requirePageUser } from "@/lib/auth/current";
import { formatDateTime } from "@/lib/format";
import { dailyConsent, optInCounts } from "@/lib/marketing/lists";
import { recentNewsletters } from "@/lib/marketing/newsletter";
import { listMarketingTopics } from "@/lib/preferences/queries";
import { newsletterAction } from "./actions";

export const metadata: Metadata = { title: "Marketing — opt-in lists" };

const sendColumns = [
  { label: "Started" },
  { label: "Subject" },
  { label: "Recipients", numeric: true },
  { label: "Queued", numeric: true },
  { label: "Sent", numeric: true },
  { label: "Failed", numeric: true },
  { label: "Stopped (opted out since)", numeric: true },
];

export default async function MarketingConsole() {
  const session = await requirePageUser("marketing", "/console/marketing");
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
          <StackedTable
            caption="Recent newsletters and their delivery progress"
            columns={sendColumns}
            // Progress updates as the page refreshes itself.
            aria-live="polite"
          >
            {sends.map((s) => (
              <Row key={s.id} data-testid="newsletter-row">
                <Cell label="Started">{formatDateTime(s.createdAt, session.timeZone)}</Cell>
                <Cell label="Subject" className="break-words">
                  {s.subject}
                </Cell>
                <Cell label="Recipients" numeric>
                  {s.recipients}
                  {s.status === "queueing" ? " (adding…)" : ""}
                </Cell>
                <Cell label="Queued" numeric>
                  {s.waiting}
                </Cell>
                <Cell label="Sent" numeric>
                  {s.sent}
                </Cell>
                <Cell label="Failed" numeric>
                  {s.failed}
                </Cell>
                <Cell label="Stopped (opted out since)" numeric>
                  {s.suppressed}
                </Cell>
              </Row>
            ))}
          </StackedTable>
        )}
      </section>
    </div>
  );
}

import type { Metadata } from "next";
import Link from "next/link";
import { Cell, Row, StackedTable } from "@/components/ui/StackedTable";
import { listActivity } from "@/lib/audit/activity";
import { requirePageUser } from "@/lib/auth/current";
import { formatDateTime } from "@/lib/format";
import { listConsentHistory } from "@/lib/preferences/queries";

export const metadata: Metadata = { title: "Account activity" };

const activityColumns = [{ label: "When" }, { label: "What happened" }, { label: "Who" }, { label: "From address" }];
const consentColumns = [{ label: "When" }, { label: "Topic" }, { label: "Choice" }, { label: "How" }];

export default async function ActivityPage({ searchParams }: { searchParams: Promise<{ page?: string }> }) {
  const session = await requirePageUser("account.own", "/account/activity");
  const requested = Number((await searchParams).page ?? "1");
  const page = Number.isInteger(requested) && requested >= 1 && requested <= 10_000 ? requested : 1;
  const [{ items, hasMore, total }, consent] = await Promise.all([
    listActivity(session.userId, page),
    listConsentHistory(session.userId),
  ]);
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-bold">Account activity</h1>
      <p className="text-gray-700">
        Sign-ins, changes to your profile, and anyone at the company who opened your information and why — newest first.
      </p>
      {items.length === 0 ? (
        <p>No activity to show yet.</p>
      ) : (
        <StackedTable caption={`Account activity, page ${page}`} columns={activityColumns}>
          {items.map((item) => (
            <Row key={item.id} data-testid="activity-row">
              <Cell label="When" className="sm:whitespace-nowrap">
                {formatDateTime(item.when, session.timeZone)}
              </Cell>
              <Cell label="What happened">
                {item.what}
                {item.reason && <span className="block text-gray-700">Reason: {item.reason}</span>}
              </Cell>
              <Cell label="Who">{item.who}</Cell>
              <Cell label="From address">{item.ip || "—"}</Cell>
            </Row>
          ))}
        </StackedTable>
      )}
      <nav aria-label="Activity pages" className="flex items-center gap-4 text-sm">
        {page > 1 && (
          <Link className="text-brand-700 underline" href={`/account/activity?page=${page - 1}`}>
            Newer
          </Link>
        )}
        <span>
          Page {page} · {total} event{total === 1 ? "" : "s"}
        </span>
        {hasMore && (
          <Link className="text-brand-700 underline" href={`/account/activity?page=${page + 1}`}>
            Older
          </Link>
        )}
      </nav>
      <section aria-labelledby="consent-heading" className="space-y-3">
        <h2 id="consent-heading" className="text-xl font-semibold">
          Your e-mail choices
        </h2>
        {consent.length === 0 ? (
          <p>You haven&apos;t made any marketing e-mail choices yet.</p>
        ) : (
          <StackedTable caption="History of your marketing e-mail choices, newest first" columns={consentColumns}>
            {consent.map((c) => (
              <Row key={c.id} data-testid="consent-row">
                <Cell label="When" className="sm:whitespace-nowrap">
                  {formatDateTime(c.createdAt, session.timeZone)}
                </Cell>
                <Cell label="Topic">{c.topic}</Cell>
                <Cell label="Choice">{c.action === "granted" ? "Yes" : "No"}</Cell>
                <Cell label="How">
                  {consentSources[c.source] ?? c.source}
                  {/* The policy text in force when the choice was made. */}
                  <span className="block">
                    <Link href={`/privacy/versions/${c.policyVersion}`} className="text-brand-700 underline">
                      Privacy policy {c.policyVersion}
                    </Link>
                  </span>
                </Cell>
              </Row>
            ))}
          </StackedTable>
        )}
      </section>
    </div>
  );
}

const consentSources: Record<string, string> = {
  account: "In MyAccount",
  "email-link": "Unsubscribe link in an e-mail",
  "one-click": "One-click unsubscribe in your mail app",
  rep: "Through customer service",
  chat: "In a support chat",
  register: "When you registered",
};

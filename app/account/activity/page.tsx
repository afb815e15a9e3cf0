import type { Metadata } from "next";
import Link from "next/link";
import { listActivity } from "@/lib/audit/activity";
import { requirePageUser } from "@/lib/auth/current";
import { formatDateTime } from "@/lib/format";
import { listConsentHistory } from "@/lib/preferences/queries";

export const metadata: Metadata = { title: "Account activity" };

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
        <table className="w-full border-collapse text-left text-sm">
          <caption className="sr-only">Account activity, page {page}</caption>
          <thead>
            <tr className="border-b border-gray-400">
              <th scope="col" className="py-2 pr-4">
                When (UTC)
              </th>
              <th scope="col" className="py-2 pr-4">
                What happened
              </th>
              <th scope="col" className="py-2 pr-4">
                Who
              </th>
              <th scope="col" className="py-2">
                From address
              </th>
            </tr>
          </thead>
          <tbody>
            {items.map((item) => (
              <tr key={item.id} className="border-b border-gray-200" data-testid="activity-row">
                <td className="py-2 pr-4 whitespace-nowrap">{formatDateTime(item.when)}</td>
                <td className="py-2 pr-4">
                  {item.what}
                  {item.reason && <span className="block text-gray-700">Reason: {item.reason}</span>}
                </td>
                <td className="py-2 pr-4">{item.who}</td>
                <td className="py-2">{item.ip || "—"}</td>
              </tr>
            ))}
          </tbody>
        </table>
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
          <table className="w-full border-collapse text-left text-sm">
            <caption className="sr-only">History of your marketing e-mail choices, newest first</caption>
            <thead>
              <tr className="border-b border-gray-400">
                <th scope="col" className="py-2 pr-4">
                  When (UTC)
                </th>
                <th scope="col" className="py-2 pr-4">
                  Topic
                </th>
                <th scope="col" className="py-2 pr-4">
                  Choice
                </th>
                <th scope="col" className="py-2">
                  How
                </th>
              </tr>
            </thead>
            <tbody>
              {consent.map((c) => (
                <tr key={c.id} className="border-b border-gray-200" data-testid="consent-row">
                  <td className="py-2 pr-4 whitespace-nowrap">{formatDateTime(c.createdAt)}</td>
                  <td className="py-2 pr-4">{c.topic}</td>
                  <td className="py-2 pr-4">{c.action === "granted" ? "Yes" : "No"}</td>
                  <td className="py-2">
                    {consentSources[c.source] ?? c.source}
                    {/* The policy text in force when the choice was made. */}
                    <span className="block">
                      <Link href={`/privacy/versions/${c.policyVersion}`} className="text-brand-700 underline">
                        Privacy policy {c.policyVersion}
                      </Link>
                    </span>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
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

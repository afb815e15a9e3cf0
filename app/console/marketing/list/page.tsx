import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { Cell, Row, StackedTable } from "@/components/ui/StackedTable";
import { requirePageUser } from "@/lib/auth/current";
import { formatDate } from "@/lib/format";
import { LIST_PAGE_SIZE, optInPage } from "@/lib/marketing/lists";
import { listMarketingTopics } from "@/lib/preferences/queries";

export const metadata: Metadata = { title: "Opt-in list" };

const listColumns = [
  { label: "E-mail" },
  { label: "First name" },
  { label: "Topic" },
  { label: "Opted in since" },
  { label: "Source" },
];

export default async function OptInListPage({
  searchParams,
}: {
  searchParams: Promise<{ topic?: string; q?: string; after?: string }>;
}) {
  const session = await requirePageUser("marketing", "/console/marketing/list");
  const params = await searchParams;
  const topic = (await listMarketingTopics()).find((t) => t.id === params.topic);
  if (!topic) notFound();
  const q = (params.q ?? "").slice(0, 100);
  const after = params.after && /^[0-9a-f-]{36}$/.test(params.after) ? params.after : undefined;
  const rows = await optInPage(topic.id, { search: q, after });
  const next = rows.length === LIST_PAGE_SIZE ? rows[rows.length - 1].userId : null;
  return (
    <div className="space-y-6">
      <p>
        <Link href="/console/marketing" className="text-brand-700 underline">
          Back to opt-in lists
        </Link>
      </p>
      <h1 className="text-2xl font-bold">Opted in to {topic.name}</h1>
      <form method="get" className="flex flex-wrap items-end gap-3" role="search">
        <input type="hidden" name="topic" value={topic.id} />
        <div>
          <label htmlFor="q" className="block text-sm font-medium">
            Search e-mail or first name
          </label>
          <input
            id="q"
            name="q"
            defaultValue={q}
            maxLength={100}
            className="rounded-md border border-gray-400 px-3 py-2"
          />
        </div>
        <button type="submit" className="rounded-md bg-brand-600 px-4 py-2 font-semibold text-white">
          Search
        </button>
      </form>
      {rows.length === 0 ? (
        <p>{q ? "Nobody opted in matches that search." : "Nobody is opted in to this topic right now."}</p>
      ) : (
        <StackedTable caption={`People opted in to ${topic.name}`} columns={listColumns}>
          {rows.map((r) => (
            <Row key={r.userId} data-testid="optin-row">
              <Cell label="E-mail" className="[overflow-wrap:anywhere]">
                {r.email}
              </Cell>
              <Cell label="First name">{r.firstName}</Cell>
              <Cell label="Topic">{topic.name}</Cell>
              <Cell label="Opted in since">{formatDate(r.optedInAt, session.timeZone)}</Cell>
              <Cell label="Source">{r.source}</Cell>
            </Row>
          ))}
        </StackedTable>
      )}
      <nav aria-label="List pages" className="flex gap-4 text-sm">
        {after && (
          <Link
            className="text-brand-700 underline"
            href={`/console/marketing/list?topic=${topic.id}&q=${encodeURIComponent(q)}`}
          >
            First page
          </Link>
        )}
        {next && (
          <Link
            className="text-brand-700 underline"
            href={`/console/marketing/list?topic=${topic.id}&q=${encodeURIComponent(q)}&after=${next}`}
          >
            Next page
          </Link>
        )}
      </nav>
    </div>
  );
}

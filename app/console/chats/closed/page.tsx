import type { Metadata } from "next";
import Link from "next/link";
import { z } from "zod/mini";
import { requirePageUser } from "@/lib/auth/current";
import { formatDateTime } from "@/lib/format";
import { searchClosedChats } from "@/lib/support/closed-chats";
import { closedChatSearchSchema } from "@/lib/support/schema";

export const metadata: Metadata = { title: "Closed chats" };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function ClosedChatsPage({ searchParams }: Props) {
  const session = await requirePageUser("chats.answer", "/console/chats/closed");
  const raw = (await searchParams).q;
  const parsed = z.safeParse(closedChatSearchSchema, { q: typeof raw === "string" ? raw : "" });
  const q = parsed.success ? parsed.data.q : "";
  const hits = await searchClosedChats(q);
  return (
    <div className="space-y-6">
      <div className="space-y-1">
        <p>
          <Link href="/console/chats" className="text-brand-700 underline">
            Support chats
          </Link>
        </p>
        <h1 className="text-2xl font-bold">Closed chats</h1>
        <p className="text-gray-700">
          Search by chat number, name, e-mail address or words said in the chat. Closed chats are kept for the retention
          period an admin sets.
        </p>
      </div>
      <form method="get" role="search" className="flex flex-wrap items-end gap-2" aria-label="Search closed chats">
        <div className="min-w-0 flex-1 space-y-1">
          <label htmlFor="closed-q" className="block text-sm font-medium">
            Search
          </label>
          <input
            id="closed-q"
            name="q"
            type="search"
            defaultValue={q}
            maxLength={100}
            className="block w-full rounded-md border border-gray-400 px-3 py-2"
          />
        </div>
        <button type="submit" className="rounded-md bg-brand-600 px-4 py-2 font-semibold text-white hover:bg-brand-700">
          Search
        </button>
      </form>
      {!parsed.success && <p className="text-red-800">Use at most 100 characters.</p>}
      <section aria-labelledby="results-heading" className="space-y-3">
        <h2 id="results-heading" className="text-xl font-semibold">
          {q ? `Results for “${q}”` : "Latest closed chats"} ({hits.length})
        </h2>
        {hits.length === 0 ? (
          <p>No closed chats found.</p>
        ) : (
          <ul className="space-y-3">
            {hits.map((h) => (
              <li key={h.id} className="space-y-1 rounded-md border border-gray-300 p-3">
                <p className="font-medium break-words">
                  {/* No prefetch: opening a transcript is recorded as an access, so only a click may open it. */}
                  <Link href={`/console/chats/closed/${h.id}`} prefetch={false} className="text-brand-700 underline">
                    Chat #{h.id} with {h.name || "a visitor"}
                  </Link>
                </p>
                <p className="text-sm break-words text-gray-700">
                  Closed {formatDateTime(h.closedAt, session.timeZone)} ·{" "}
                  {h.signedIn ? "signed-in customer" : "visitor"}
                  {h.maskedEmail ? ` · ${h.maskedEmail}` : ""}
                  {h.repFirstName ? ` · answered by ${h.repFirstName}` : ""}
                  {h.topic ? ` · ${h.topic}` : ""}
                </p>
                {h.closeReason && <p className="text-sm break-words">Ended: {h.closeReason}</p>}
                {h.snippet && <p className="text-sm break-words whitespace-pre-wrap italic">“{h.snippet}”</p>}
              </li>
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}

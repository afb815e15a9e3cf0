import type { Metadata } from "next";
import Link from "next/link";
import { LawfulRequestForm } from "@/components/console/lawful/LawfulRequestForm";
import { requirePageUser } from "@/lib/auth/current";
import { formatDate, formatDateTime } from "@/lib/format";
import { REGISTER_PAGE_SIZE, listLawfulRequests } from "@/lib/lawful/register";
import { recordLawfulRequestAction } from "./actions";

export const metadata: Metadata = { title: "Lawful requests" };

/** How many account numbers an entry shows before “and N more”. */
const SHOWN_ACCOUNTS = 12;

export default async function LawfulRequestsPage({ searchParams }: { searchParams: Promise<{ page?: string }> }) {
  const session = await requirePageUser("admin.lawful", "/console/admin/lawful");
  const page = Math.max(1, Math.min(10_000, Number.parseInt((await searchParams).page ?? "1", 10) || 1));
  const { entries, total } = await listLawfulRequests(page);
  const pages = Math.max(1, Math.ceil(total / REGISTER_PAGE_SIZE));
  const today = new Date().toISOString().slice(0, 10);
  return (
    <div className="space-y-8">
      <div className="space-y-1">
        <p>
          <Link href="/console" className="text-brand-700 underline">
            Staff console
          </Link>
        </p>
        <h1 className="text-2xl font-bold">Lawful requests</h1>
        <p className="max-w-3xl text-gray-700">
          The register of what was disclosed to an authority, on what legal basis, about which customers. Each affected
          customer reads the disclosure in their account activity and data download, unless notice is legally
          restricted. Entries can&apos;t be changed: record a correction as a new entry with its own reference.
        </p>
      </div>
      <section aria-labelledby="record-heading" className="space-y-3 rounded-lg border border-gray-300 p-4 sm:p-5">
        <h2 id="record-heading" className="text-xl font-semibold">
          Record a request
        </h2>
        <LawfulRequestForm action={recordLawfulRequestAction} today={today} />
      </section>
      <section aria-labelledby="register-heading" className="space-y-3">
        <h2 id="register-heading" className="text-xl font-semibold">
          Register{" "}
          <span className="text-base font-normal text-gray-700">
            ({total.toLocaleString("en-US")} {total === 1 ? "entry" : "entries"}, newest first)
          </span>
        </h2>
        {entries.length === 0 ? (
          <p role="status" className="rounded-md border border-gray-300 bg-gray-50 px-3 py-2">
            {total === 0
              ? "No lawful requests recorded yet. Record one above when a disclosure is made; staff then quote its reference as the reason for opening a customer's data."
              : "No entries on this page."}
          </p>
        ) : (
          <ol className="space-y-3" aria-label="Lawful requests, newest first">
            {entries.map((e) => {
              const more = e.accountNumbers.length - SHOWN_ACCOUNTS;
              return (
                <li
                  key={e.id}
                  data-testid="lawful-entry"
                  className="rounded-lg border border-gray-300 p-3 sm:p-4"
                  aria-labelledby={`entry-${e.id}`}
                >
                  <div className="flex flex-wrap items-baseline justify-between gap-x-3 gap-y-1">
                    <h3 id={`entry-${e.id}`} className="font-semibold break-all">
                      {e.reference}
                    </h3>
                    <p
                      className={`rounded px-2 py-0.5 text-sm ${e.restricted ? "bg-amber-100 text-amber-950" : "bg-green-50 text-green-900"}`}
                    >
                      {e.restricted ? "Notice restricted" : "Customers notified"}
                    </p>
                  </div>
                  <dl className="mt-2 grid gap-x-4 gap-y-1 text-sm sm:grid-cols-[11rem_1fr]">
                    <dt className="font-medium text-gray-700">Authority</dt>
                    <dd className="break-words">{e.authority}</dd>
                    <dt className="font-medium text-gray-700">Legal basis</dt>
                    <dd className="break-words">{e.legalBasis}</dd>
                    <dt className="font-medium text-gray-700">Received</dt>
                    <dd>{formatDate(`${e.receivedOn}T00:00:00Z`)}</dd>
                    <dt className="font-medium text-gray-700">Disclosed</dt>
                    <dd className="break-words whitespace-pre-line">{e.disclosed}</dd>
                    <dt className="font-medium text-gray-700">
                      {e.accountNumbers.length === 1 ? "1 customer" : `${e.accountNumbers.length} customers`}
                    </dt>
                    <dd className="font-mono text-xs break-words">
                      {e.accountNumbers.slice(0, SHOWN_ACCOUNTS).join(", ")}
                      {more > 0 && <span className="font-sans text-sm"> and {more} more</span>}
                    </dd>
                    {e.restricted && (
                      <>
                        <dt className="font-medium text-gray-700">Restricted because</dt>
                        <dd className="break-words">{e.restrictionBasis}</dd>
                      </>
                    )}
                    <dt className="font-medium text-gray-700">Recorded</dt>
                    <dd>
                      {formatDateTime(e.createdAt, session.timeZone)} by {e.recordedBy}
                    </dd>
                  </dl>
                </li>
              );
            })}
          </ol>
        )}
        {pages > 1 && (
          <nav aria-label="Register pages" className="flex gap-4">
            {page > 1 && (
              <Link href={`/console/admin/lawful?page=${page - 1}`} className="text-brand-700 underline">
                Newer entries
              </Link>
            )}
            <span className="text-gray-700">
              Page {page} of {pages}
            </span>
            {page < pages && (
              <Link href={`/console/admin/lawful?page=${page + 1}`} className="text-brand-700 underline">
                Older entries
              </Link>
            )}
          </nav>
        )}
      </section>
    </div>
  );
}

import Link from "next/link";
import { Cell, Row, StackedTable } from "@/components/ui/StackedTable";
import type { CustomerSearch } from "@/lib/console/search";
import { CUSTOMER_PAGE_SIZE, CUSTOMER_RESULTS_CAP } from "@/lib/console/search-schema";

const resultColumns = [{ label: "Name" }, { label: "Account number" }, { label: "City" }];

const count = (n: number) => n.toLocaleString("en-US");

function pageHref(q: string, page: number): string {
  const params = new URLSearchParams({ q });
  if (page > 1) params.set("page", String(page));
  return `/console/customers?${params.toString()}`;
}

/** The pages to link: the first, the last and two either side of the current one. */
function pageNumbers(page: number, pages: number): (number | "gap")[] {
  const out: (number | "gap")[] = [];
  for (let p = 1; p <= pages; p++) {
    if (p === 1 || p === pages || Math.abs(p - page) <= 2) out.push(p);
    else if (out[out.length - 1] !== "gap") out.push("gap");
  }
  return out;
}

/**
 * The results of a customer search: only the name, the account number and the city. Each name
 * links to the customer's page, which asks for a reason first.
 */
export function CustomerSearchResults({ search }: { search: CustomerSearch }) {
  const { q, hits, page, pages, total, capped } = search;
  if (total === 0) {
    return (
      <section aria-labelledby="results-heading" className="space-y-2">
        <h2 id="results-heading" className="text-xl font-semibold">
          No customers match “{q}”
        </h2>
        <p>
          No customers match — check the spelling or search by account number. Names match from their start (“gar” finds
          García, “arcia” does not); phone numbers, e-mail addresses and usernames must be complete.
        </p>
      </section>
    );
  }
  const first = (page - 1) * CUSTOMER_PAGE_SIZE + 1;
  const last = first + hits.length - 1;
  return (
    <section aria-labelledby="results-heading" className="space-y-3">
      <h2 id="results-heading" className="text-xl font-semibold break-words">
        {capped ? `More than ${count(CUSTOMER_RESULTS_CAP)}` : count(total)}{" "}
        {total === 1 ? "customer matches" : "customers match"} “{q}”
      </h2>
      {capped && (
        <p>
          Only the first {count(CUSTOMER_RESULTS_CAP)} are listed. Add more of the name — a first name and a last name,
          such as “jo gar” — or search by account number.
        </p>
      )}
      {pages > 1 && (
        <p className="text-sm text-gray-700">
          Showing {count(first)}–{count(last)}, page {page} of {pages}.
        </p>
      )}
      <StackedTable caption={`Customers matching “${q}”`} columns={resultColumns}>
        {hits.map((h) => (
          <Row key={h.id} data-testid="customer-row">
            <Cell label="Name" className="break-words">
              {/* No prefetch: the customer's page is where access is asked for and logged. */}
              <Link href={`/console/customers/${h.id}`} prefetch={false} className="text-brand-700 underline">
                {h.closed ? "(closed account)" : `${h.firstName} ${h.lastName}`.trim() || "(no name on file)"}
              </Link>
            </Cell>
            <Cell label="Account number">{h.accountNumber ?? "—"}</Cell>
            <Cell label="City" className="break-words">
              {h.city || "—"}
            </Cell>
          </Row>
        ))}
      </StackedTable>
      {pages > 1 && (
        <nav aria-label="Result pages">
          <ul className="flex flex-wrap items-center gap-1">
            {page > 1 && (
              <li>
                <Link href={pageHref(q, page - 1)} className="inline-block px-2 py-1 text-brand-700 underline">
                  Previous
                </Link>
              </li>
            )}
            {pageNumbers(page, pages).map((p, i) =>
              p === "gap" ? (
                <li key={`gap-${i}`} aria-hidden="true" className="px-1">
                  …
                </li>
              ) : (
                <li key={p}>
                  {p === page ? (
                    <span
                      aria-current="page"
                      className="inline-block rounded bg-gray-800 px-2 py-1 font-semibold text-white"
                    >
                      <span className="sr-only">Page </span>
                      {p}
                    </span>
                  ) : (
                    <Link href={pageHref(q, p)} className="inline-block px-2 py-1 text-brand-700 underline">
                      <span className="sr-only">Page </span>
                      {p}
                    </Link>
                  )}
                </li>
              ),
            )}
            {page < pages && (
              <li>
                <Link href={pageHref(q, page + 1)} className="inline-block px-2 py-1 text-brand-700 underline">
                  Next
                </Link>
              </li>
            )}
          </ul>
        </nav>
      )}
    </section>
  );
}

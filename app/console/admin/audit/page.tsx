import type { Metadata } from "next";
import Link from "next/link";
import {
  filterParams,
  filterQuery,
  listAuditLog,
  listKnownActions,
  parseAuditFilters,
  type AuditFilterField,
  type AuditRow,
} from "@/lib/audit/log";
import { Cell, Row, StackedTable } from "@/components/ui/StackedTable";
import { requirePageUser } from "@/lib/auth/current";
import { formatDateTime } from "@/lib/format";

export const metadata: Metadata = { title: "Audit log" };

const roleNames: Record<NonNullable<AuditRow["actor"]>["role"], string> = {
  customer: "customer",
  rep: "service rep",
  marketing: "marketing",
  admin: "administrator",
};

const auditColumns = [
  { label: "When" },
  { label: "Who" },
  { label: "Customer" },
  { label: "What" },
  { label: "Detail" },
];

type SearchParams = Record<string, string | string[] | undefined>;

export default async function AuditLogPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const session = await requirePageUser("admin.audit", "/console/admin/audit");
  const params = await searchParams;
  const parsed = parseAuditFilters(params);
  // On refused filters the form keeps what was typed (cut to its limit), with the message beside it.
  const typed = filterParams(params);
  const values = parsed.ok ? parsed.filters : typed;
  const errors: Partial<Record<AuditFilterField, string>> = parsed.ok ? {} : parsed.errors;
  const [actions, page] = await Promise.all([
    listKnownActions(),
    parsed.ok ? listAuditLog(parsed.filters) : Promise.resolve(null),
  ]);
  // An action typed into the address that the list does not name still shows as chosen.
  if (parsed.ok && parsed.filters.action && !actions.some((a) => a.value === parsed.filters.action)) {
    actions.push({ value: parsed.filters.action, label: parsed.filters.action });
  }
  const query = parsed.ok ? filterQuery(parsed.filters) : "";
  const filtered = query !== "";
  const olderHref =
    parsed.ok && page?.next ? `/console/admin/audit?${filterQuery(parsed.filters, { before: page.next })}` : null;
  return (
    <div className="space-y-6">
      <div className="space-y-1">
        <p>
          <Link href="/console/admin" className="text-brand-700 underline">
            Administration
          </Link>
        </p>
        <h1 className="text-2xl font-bold">Audit log</h1>
        <p className="text-gray-700">
          Every sign-in, change and access to people&apos;s data, newest first. The From and To dates are whole days in
          UTC.
        </p>
      </div>

      <form method="get" action="/console/admin/audit" className="space-y-3" aria-label="Filter the audit log">
        {!parsed.ok && (
          <p role="alert" className="rounded-md border border-red-700 bg-red-50 px-3 py-2 text-sm text-red-900">
            {errors.before ?? "Please correct the highlighted filters."}
          </p>
        )}
        <div className="grid gap-x-4 sm:grid-cols-2 lg:grid-cols-3">
          <FilterField
            name="actor"
            label="Who acted (username or e-mail)"
            value={values.actor}
            error={errors.actor}
            maxLength={254}
          />
          <FilterField
            name="customer"
            label="Customer (account number)"
            value={values.customer}
            error={errors.customer}
            maxLength={12}
            inputMode="numeric"
          />
          <div className="space-y-1">
            <label htmlFor="filter-action" className="block text-sm font-medium text-gray-900">
              Action
            </label>
            <select
              id="filter-action"
              name="action"
              defaultValue={values.action.slice(0, 64)}
              aria-invalid={errors.action ? true : undefined}
              aria-describedby={errors.action ? "filter-action-error" : undefined}
              className="block w-full rounded-md border border-gray-400 bg-white px-3 py-2 text-gray-900"
            >
              <option value="">Any action</option>
              {actions.map((a) => (
                <option key={a.value} value={a.value}>
                  {a.label}
                </option>
              ))}
            </select>
            <p id="filter-action-error" className="min-h-5 text-sm text-red-800">
              {errors.action}
            </p>
          </div>
          <FilterField name="from" label="From (date)" type="date" value={values.from} error={errors.from} />
          <FilterField name="to" label="To (date, included)" type="date" value={values.to} error={errors.to} />
        </div>
        <div className="flex flex-wrap items-center gap-4">
          <button
            type="submit"
            className="rounded-md bg-brand-600 px-4 py-2 font-semibold text-white hover:bg-brand-700"
          >
            Show entries
          </button>
          {(filtered || !parsed.ok) && (
            <Link href="/console/admin/audit" className="text-brand-700 underline">
              Clear filters
            </Link>
          )}
          {parsed.ok && (
            <a
              href={`/console/admin/audit/export${query ? `?${query}` : ""}`}
              className="text-brand-700 underline"
              download
            >
              Export {filtered ? "these entries" : "the whole log"} as CSV
            </a>
          )}
        </div>
      </form>

      {page && (
        <section aria-labelledby="entries-heading" className="space-y-3">
          <h2 id="entries-heading" className="text-xl font-semibold">
            {parsed.ok && parsed.filters.before ? "Older entries" : "Entries"}
          </h2>
          {page.rows.length === 0 ? (
            <p data-testid="audit-empty">
              {page.unmatched === "actor"
                ? "No account has that username or e-mail address. Check the spelling, or clear that filter."
                : page.unmatched === "customer"
                  ? "No customer has that account number. Check it, or clear that filter."
                  : filtered
                    ? "No entries match these filters. Widen the dates or clear a filter."
                    : "The log is empty so far. Entries appear as people sign in and make changes."}
            </p>
          ) : (
            <StackedTable caption="Audit log entries, newest first" columns={auditColumns}>
              {page.rows.map((r) => (
                <Row key={r.id} data-testid="audit-row" data-action={r.action}>
                  <Cell label="When" className="sm:whitespace-nowrap">
                    {formatDateTime(r.createdAt, session.timeZone)}
                  </Cell>
                  <Cell label="Who" className="[overflow-wrap:anywhere]">
                    {r.actor ? (
                      <>
                        {r.actor.username || r.actor.name}
                        <span className="text-gray-700"> ({roleNames[r.actor.role]})</span>
                      </>
                    ) : (
                      <span className="text-gray-700">No one signed in</span>
                    )}
                  </Cell>
                  <Cell label="Customer" className="[overflow-wrap:anywhere]">
                    <Subject row={r} />
                  </Cell>
                  <Cell label="What">{r.actionWords}</Cell>
                  <Cell label="Detail" className="break-words text-gray-800">
                    {r.detail || "—"}
                    {r.ip && <span className="block text-gray-700">From {r.ip}</span>}
                  </Cell>
                </Row>
              ))}
            </StackedTable>
          )}
          <nav aria-label="Audit log pages" className="flex flex-wrap items-center gap-4 text-sm">
            {parsed.ok && parsed.filters.before && (
              <Link className="text-brand-700 underline" href={`/console/admin/audit${query ? `?${query}` : ""}`}>
                Newest entries
              </Link>
            )}
            {olderHref && (
              <Link className="text-brand-700 underline" href={olderHref}>
                Older entries
              </Link>
            )}
          </nav>
        </section>
      )}
    </div>
  );
}

function Subject({ row }: { row: AuditRow }) {
  if (!row.subject) return <span className="text-gray-700">—</span>;
  if (row.subject.role === "customer") return <>{row.subject.accountNumber ?? "(no account number)"}</>;
  return (
    <span className="text-gray-700">
      Staff: {row.subject.username ?? "—"} ({roleNames[row.subject.role]})
    </span>
  );
}

function FilterField({
  name,
  label: text,
  value,
  error,
  type = "text",
  maxLength,
  inputMode,
}: {
  name: AuditFilterField;
  label: string;
  value: string;
  error?: string;
  type?: "text" | "date";
  maxLength?: number;
  inputMode?: "numeric";
}) {
  const id = `filter-${name}`;
  return (
    <div className="space-y-1">
      <label htmlFor={id} className="block text-sm font-medium text-gray-900">
        {text}
      </label>
      <input
        id={id}
        name={name}
        type={type}
        defaultValue={value.slice(0, maxLength ?? 10)}
        maxLength={maxLength}
        inputMode={inputMode}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${id}-error` : undefined}
        className={`block w-full rounded-md border px-3 py-2 text-gray-900 ${error ? "border-red-700" : "border-gray-400"}`}
      />
      <p id={`${id}-error`} className="min-h-5 text-sm text-red-800">
        {error}
      </p>
    </div>
  );
}

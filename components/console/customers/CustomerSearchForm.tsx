import { CUSTOMER_SEARCH_MAX } from "@/lib/console/search-schema";

/**
 * The one search box of /console/customers: a plain GET form, so it works without JavaScript, the
 * search is in the address bar (a rep can go back to it) and page links are ordinary links.
 */
export function CustomerSearchForm({ q, error }: { q: string; error?: string }) {
  return (
    <form method="get" action="/console/customers" role="search" aria-label="Find a customer" className="space-y-1">
      <label htmlFor="customer-q" className="block font-medium">
        Search customers
      </label>
      <p id="customer-q-help" className="text-sm text-gray-700">
        Name (“jo gar” finds José García), account number, phone number, e-mail address or username.
      </p>
      <div className="flex flex-wrap gap-2">
        <input
          id="customer-q"
          name="q"
          type="search"
          defaultValue={q}
          maxLength={CUSTOMER_SEARCH_MAX}
          autoComplete="off"
          spellCheck={false}
          aria-describedby={error ? "customer-q-help customer-q-error" : "customer-q-help"}
          aria-invalid={error ? true : undefined}
          className="block min-w-0 flex-1 basis-48 rounded-md border border-gray-500 px-3 py-2"
        />
        <button type="submit" className="rounded-md bg-brand-600 px-4 py-2 font-semibold text-white hover:bg-brand-700">
          Search
        </button>
      </div>
      {error && (
        <p id="customer-q-error" className="font-medium text-red-800" role="alert">
          {error}
        </p>
      )}
    </form>
  );
}

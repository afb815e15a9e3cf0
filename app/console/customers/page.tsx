import type { Metadata } from "next";
import Link from "next/link";
import { CustomerSearchForm } from "@/components/console/customers/CustomerSearchForm";
import { CustomerSearchResults } from "@/components/console/customers/CustomerSearchResults";
import { z } from "zod/mini";
import { requirePageUser } from "@/lib/auth/current";
import { searchCustomers } from "@/lib/console/search";
import { customerSearchSchema } from "@/lib/console/search-schema";
import { say } from "@/lib/messages";

export const metadata: Metadata = { title: "Find a customer" };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);

export default async function FindCustomerPage({ searchParams }: Props) {
  await requirePageUser("customers.search", "/console/customers");
  const params = await searchParams;
  const raw = first(params.q) ?? "";
  const input = { q: raw, page: first(params.page) };
  // Checked here first for the field's own words ("Use at most 100 characters"): a refused search
  // never reaches the database. searchCustomers checks the same schema again.
  const checked = z.safeParse(customerSearchSchema, input);
  const result = checked.success ? await searchCustomers(input) : null;
  const error = !checked.success
    ? checked.error.issues[0].message
    : result && !result.ok
      ? say(result.error)
      : undefined;
  return (
    <div className="space-y-6">
      <div className="space-y-1">
        <p>
          <Link href="/console" className="text-brand-700 underline">
            Staff console
          </Link>
        </p>
        <h1 className="text-2xl font-bold">Find a customer</h1>
        <p className="text-gray-700">
          Results show only the name, account number and city. Opening a customer asks you for a reason first, and the
          access is logged — the customer sees it in their account activity.
        </p>
      </div>
      {/* A refused search keeps what was typed in the box (cut to the box's length) to correct it. */}
      <CustomerSearchForm q={result?.ok ? result.data.q : raw.slice(0, 100)} error={error} />
      {result?.ok && result.data.q ? (
        <CustomerSearchResults search={result.data} />
      ) : (
        !error && (
          <p className="rounded-md border border-gray-300 bg-gray-50 p-3">
            Type part of the customer&apos;s name, or their account number, phone number, e-mail address or username,
            then choose Search. Ask the caller for their account number first: it finds exactly one customer.
          </p>
        )
      )}
    </div>
  );
}

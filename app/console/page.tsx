import type { Metadata } from "next";
import Link from "next/link";
import { can } from "@/lib/auth/capabilities";
import { requirePageUser } from "@/lib/auth/current";
import { adminPages } from "@/lib/console/admin-pages";
import { consoleHomeFor } from "@/lib/console/home";
import { formatDateTime } from "@/lib/format";

export const metadata: Metadata = { title: "Staff console" };

const roleNames = { rep: "Service rep", marketing: "Marketing", admin: "Administrator", customer: "Customer" } as const;

const link = "text-brand-700 underline";
const card = "space-y-3 rounded-lg border border-gray-300 p-5";

export default async function ConsoleHome() {
  const session = await requirePageUser("console.home", "/console");
  const home = await consoleHomeFor(session);
  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-bold">Staff console</h1>
        <p>
          Signed in as {session.firstName} {session.lastName} ({roleNames[session.role]}).{" "}
          <Link href="/console/security" className={link}>
            Your sign-in methods
          </Link>
        </p>
      </div>

      {home.customers && (
        <section aria-labelledby="find-heading" className={card}>
          <h2 id="find-heading" className="text-xl font-semibold">
            Find a customer
          </h2>
          <form action="/console/customers" method="get" role="search" className="flex flex-wrap items-end gap-2">
            <div className="min-w-0 flex-1">
              <label htmlFor="console-q" className="block font-medium">
                Search customers
              </label>
              <input
                id="console-q"
                name="q"
                type="search"
                maxLength={100}
                aria-describedby="console-q-hint"
                className="mt-1 w-full rounded border border-gray-500 px-3 py-2"
              />
            </div>
            <button type="submit" className="rounded bg-brand-700 px-4 py-2 font-semibold text-white">
              Search
            </button>
          </form>
          <p id="console-q-hint" className="text-sm text-gray-700">
            Name, account number, username, e-mail or phone. Opening a customer asks for a reason first; every access is
            logged and the customer sees it in their account activity.
          </p>
          <h3 className="font-semibold">Your recent customers</h3>
          {home.customers.recent.length === 0 ? (
            <p className="text-gray-700">Customers you open appear here, so you can go back to them.</p>
          ) : (
            <ul className="divide-y divide-gray-200">
              {home.customers.recent.map((c) => (
                <li key={c.customerId} className="flex flex-wrap justify-between gap-x-4 py-2">
                  <Link href={`/console/customers/${c.customerId}`} className={link}>
                    {c.firstName} {c.lastName}
                  </Link>
                  <span className="text-sm text-gray-700">
                    {c.accountNumber ? `Account ${c.accountNumber} · ` : ""}opened{" "}
                    {formatDateTime(c.lastOpenedAt, session.timeZone)}
                    {c.active ? " · access still open" : ""}
                  </span>
                </li>
              ))}
            </ul>
          )}
        </section>
      )}

      {home.support && (
        <section aria-labelledby="support-heading" className={card}>
          <h2 id="support-heading" className="text-xl font-semibold">
            Support
          </h2>
          <p>
            {home.support.waitingChats === 0
              ? "No chats waiting."
              : `${home.support.waitingChats} ${home.support.waitingChats === 1 ? "chat" : "chats"} waiting.`}{" "}
            {home.support.openContactRequests === 0
              ? "No open Contact Us requests."
              : `${home.support.openContactRequests} open Contact Us ${
                  home.support.openContactRequests === 1 ? "request" : "requests"
                }.`}
          </p>
          <ul className="list-disc space-y-1 pl-6">
            <li>
              <Link href="/console/chats" className={link}>
                Support chats and Contact Us requests
              </Link>
            </li>
            <li>
              <Link href="/console/chats/closed" className={link}>
                Search closed chats
              </Link>
            </li>
          </ul>
        </section>
      )}

      {home.marketing && (
        <section aria-labelledby="marketing-heading" className={card}>
          <h2 id="marketing-heading" className="text-xl font-semibold">
            Marketing
          </h2>
          <ul className="space-y-1">
            {home.marketing.topics.map((t) => (
              <li key={t.id}>
                {t.name}: {t.optIns.toLocaleString("en-US")} opted in
              </li>
            ))}
          </ul>
          <p>
            <Link href="/console/marketing" className={link}>
              Opt-in lists, exports and newsletters
            </Link>
          </p>
        </section>
      )}

      {home.admin && (
        <section aria-labelledby="admin-heading" className={card}>
          <h2 id="admin-heading" className="text-xl font-semibold">
            <Link href="/console/admin" className={link}>
              Administration
            </Link>
          </h2>
          <ul className="list-disc space-y-1 pl-6">
            {adminPages
              .filter((p) => can(session.role, p.capability))
              .map((p) => (
                <li key={p.href}>
                  <Link href={p.href} className={link}>
                    {p.name}
                  </Link>{" "}
                  <span className="text-gray-700">— {p.what}</span>
                </li>
              ))}
          </ul>
        </section>
      )}
    </div>
  );
}

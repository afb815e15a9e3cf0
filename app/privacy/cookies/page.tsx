import type { Metadata } from "next";
import Link from "next/link";
import { CookieSettingsForm } from "@/components/cookies/CookieSettingsForm";
import { CATEGORY_LABELS, COOKIE_REGISTRY } from "@/lib/cookies/registry";
import { cookieSettingsView } from "@/lib/cookies/settings";
import { cookieChoiceAction } from "./actions";

export const metadata: Metadata = { title: "Cookies" };

const browsers = [
  {
    name: "Chrome",
    steps:
      "Settings → Privacy and security → Third-party cookies, or Site settings → Cookies and site data; " +
      "“See all site data and permissions” deletes what a site has stored.",
  },
  {
    name: "Firefox",
    steps:
      "Settings → Privacy & Security → Enhanced Tracking Protection (choose Custom to block all cookies); " +
      "“Cookies and Site Data” → Manage Data deletes them.",
  },
  {
    name: "Safari",
    steps:
      "Safari → Settings → Privacy → Block all cookies; Manage Website Data deletes them. " +
      "On iPhone and iPad: Settings → Safari → Block All Cookies.",
  },
  {
    name: "Edge",
    steps:
      "Settings → Cookies and site permissions → Manage and delete cookies and site data → " +
      "“Allow sites to save and read cookie data” off; “See all cookies and site data” deletes them.",
  },
];

export default async function CookiesPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | undefined>>;
}) {
  const [params, view] = await Promise.all([searchParams, cookieSettingsView()]);
  return (
    <div className="space-y-8">
      <div className="space-y-2">
        <p>
          <Link href="/privacy#cookies" className="text-brand-700 underline">
            Privacy Policy: cookies
          </Link>
        </p>
        <h1 className="text-2xl font-bold">Cookies</h1>
        <p className="max-w-3xl text-gray-800">
          A cookie is a small file a website asks your browser to keep. We set essential cookies so that signing in and
          our forms work safely. Anything else — remembering your username, counting visits — happens only if you allow
          it. Visit counts are kept per page and per day, without your address, account or any cookie of their own, so
          they cannot identify you.
        </p>
      </div>

      <section aria-labelledby="cookie-settings" className="space-y-3 rounded-lg border border-gray-300 p-4 sm:p-5">
        <h2 id="cookie-settings" className="text-xl font-semibold">
          Your cookie choices
        </h2>
        <CookieSettingsForm
          action={cookieChoiceAction}
          headingId="cookie-settings"
          functional={view.functional}
          analytics={view.analytics}
          gpc={view.gpc}
          gpcNotice={view.gpcNotice}
          status={view.status}
          saved={params.cookies === "saved"}
        />
      </section>

      <section aria-labelledby="cookie-list" className="space-y-3">
        <h2 id="cookie-list" className="text-xl font-semibold">
          Every cookie we set
        </h2>
        <div className="overflow-x-auto">
          <table className="w-full border-collapse text-left text-sm">
            <caption className="sr-only">Cookies set by MyAccount, with their purpose, category and lifetime</caption>
            <thead>
              <tr className="border-b border-gray-400">
                <th scope="col" className="py-2 pr-4">
                  Name
                </th>
                <th scope="col" className="py-2 pr-4">
                  Purpose
                </th>
                <th scope="col" className="py-2 pr-4">
                  Category
                </th>
                <th scope="col" className="py-2">
                  Lifetime
                </th>
              </tr>
            </thead>
            <tbody>
              {COOKIE_REGISTRY.map((c) => (
                <tr key={c.name} className="border-b border-gray-200 align-top">
                  <th scope="row" className="py-2 pr-4 font-mono text-xs font-normal break-all">
                    {c.name}
                  </th>
                  <td className="py-2 pr-4">{c.purpose}</td>
                  <td className="py-2 pr-4">{CATEGORY_LABELS[c.category]}</td>
                  <td className="py-2">{c.lifetime}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <p className="text-sm text-gray-700">
          Analytics sets no cookie: with your permission the server adds one to the day&apos;s count for the page you
          opened, and nothing else.
        </p>
      </section>

      <section aria-labelledby="cookie-browsers" className="space-y-3">
        <h2 id="cookie-browsers" className="text-xl font-semibold">
          Turning cookies off in your browser
        </h2>
        <p className="max-w-3xl text-gray-800">
          You can refuse or delete cookies in your browser at any time. If you block essential cookies, you will not be
          able to sign in to MyAccount. Browsers that send Global Privacy Control (for example Firefox with the setting
          on, Brave, or DuckDuckGo) are treated as refusing every optional cookie.
        </p>
        <dl className="space-y-3">
          {browsers.map((b) => (
            <div key={b.name}>
              <dt className="font-semibold">{b.name}</dt>
              <dd className="text-gray-800">{b.steps}</dd>
            </div>
          ))}
        </dl>
      </section>
    </div>
  );
}

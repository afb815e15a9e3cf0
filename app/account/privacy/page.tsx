import type { Metadata } from "next";
import Link from "next/link";
import { AreaOffersForm } from "@/components/privacy/AreaOffersForm";
import { CookieSettingsForm } from "@/components/cookies/CookieSettingsForm";
import { CloseAccountForm } from "@/components/privacy/CloseAccountForm";
import { DownloadDataButton } from "@/components/privacy/DownloadDataButton";
import { requirePageUser } from "@/lib/auth/current";
import { cookieSettingsView } from "@/lib/cookies/settings";
import { EXPORT_COLUMNS } from "@/lib/marketing/export";
import { getAreaOffers } from "@/lib/privacy/area-offers";
import { marketingRowsFor } from "@/lib/privacy/marketing-view";
import { cookieChoiceAction } from "../../privacy/cookies/actions";
import { closeAccountAction, setAreaOffersAction } from "./actions";

export const metadata: Metadata = { title: "Your privacy" };

const price = (cents: number) =>
  new Intl.NumberFormat("en-US", { style: "currency", currency: "USD" }).format(cents / 100);

const sectionClass = "space-y-3 border-t border-gray-300 pt-6";

export default async function PrivacyCentrePage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | undefined>>;
}) {
  const session = await requirePageUser("account.own", "/account/privacy");
  const [area, marketing, cookieView, params] = await Promise.all([
    getAreaOffers(session.userId),
    marketingRowsFor(session.userId),
    cookieSettingsView(),
    searchParams,
  ]);
  return (
    <div className="space-y-8">
      <div className="space-y-2">
        <h1 className="text-2xl font-bold">Your privacy</h1>
        <p className="text-gray-700">
          What we use, what marketing sees, your data to take with you, and closing your account. Read the full{" "}
          <Link className="text-brand-700 underline" href="/privacy">
            privacy policy
          </Link>
          ; your e-mail choices are in{" "}
          <Link className="text-brand-700 underline" href="/account/profile">
            Edit Profile
          </Link>
          .
        </p>
      </div>

      <section aria-labelledby="cookie-settings" className={sectionClass}>
        <h2 id="cookie-settings" className="text-xl font-semibold">
          Cookies
        </h2>
        <p className="text-gray-700">
          Essential cookies keep you signed in and secure. The others are up to you; what each cookie does is listed on{" "}
          <Link className="text-brand-700 underline" href="/privacy/cookies">
            our cookies page
          </Link>
          .
        </p>
        <CookieSettingsForm
          action={cookieChoiceAction}
          headingId="cookie-settings"
          functional={cookieView.functional}
          analytics={cookieView.analytics}
          gpc={cookieView.gpc}
          gpcNotice={cookieView.gpcNotice}
          status={cookieView.status}
          saved={params.cookies === "saved"}
        />
      </section>

      <section aria-labelledby="area-heading" className={sectionClass}>
        <h2 id="area-heading" className="text-xl font-semibold">
          Products in your area
        </h2>
        <p className="text-gray-700">
          When this is on, we show the products and offers available at your service address. We work them out on our
          server from the ZIP code already in your profile — no cookie, no tracking, no location from your browser.
        </p>
        <AreaOffersForm action={setAreaOffersAction} enabled={area.enabled} />
        {area.enabled &&
          (area.zip ? (
            <div className="space-y-3" data-testid="area-offers">
              <p className="font-medium">We use ZIP {area.zip} from your service address.</p>
              {area.offers.length === 0 ? (
                <p>There are no special offers for your area right now.</p>
              ) : (
                <ul className="grid gap-3 sm:grid-cols-2">
                  {area.offers.map((o) => (
                    <li key={o.id} className="rounded-md border border-gray-300 p-4">
                      <p className="font-semibold">{o.title}</p>
                      <p className="text-sm text-gray-700">{o.description}</p>
                      <p className="mt-1 text-sm font-medium">{price(o.monthlyPriceCents)} a month</p>
                    </li>
                  ))}
                </ul>
              )}
            </div>
          ) : (
            <p>
              We don&apos;t have a service address for you, so there is nothing to show. Add one in{" "}
              <Link className="text-brand-700 underline" href="/account/profile">
                Edit Profile
              </Link>
              .
            </p>
          ))}
      </section>

      <section aria-labelledby="marketing-heading" className={sectionClass}>
        <h2 id="marketing-heading" className="text-xl font-semibold">
          What marketing sees about you
        </h2>
        {marketing.length === 0 ? (
          <p data-testid="marketing-none">You are on no marketing list.</p>
        ) : (
          <>
            <p className="text-gray-700">
              This is exactly what our marketing team&apos;s export of each list you joined contains about you today —
              nothing more.
            </p>
            {marketing.map((m) => (
              <div key={m.topic} className="overflow-x-auto">
                <table className="w-full border-collapse text-left text-sm" data-testid="marketing-row">
                  <caption className="py-1 text-left font-medium">{m.topicName}</caption>
                  <tbody>
                    {EXPORT_COLUMNS.map((c) => (
                      <tr key={c} className="border-b border-gray-200">
                        <th scope="row" className="py-1 pr-4 align-top font-mono font-normal whitespace-nowrap">
                          {c}
                        </th>
                        <td className="py-1 break-all">{m.row[c]}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            ))}
            <p className="text-sm text-gray-700">
              To leave a list, change your e-mail choices in{" "}
              <Link className="text-brand-700 underline" href="/account/profile">
                Edit Profile
              </Link>
              .
            </p>
          </>
        )}
      </section>

      <section aria-labelledby="download-heading" className={sectionClass}>
        <h2 id="download-heading" className="text-xl font-semibold">
          Download my data
        </h2>
        <p className="text-gray-700">
          One JSON file with your profile, addresses, payment method (last four digits only), e-mail and privacy choices
          with their history, account activity, signed-in devices, support chats and Contact Us messages.
        </p>
        <DownloadDataButton />
      </section>

      <section aria-labelledby="close-heading" className={sectionClass}>
        <h2 id="close-heading" className="text-xl font-semibold">
          Close my account
        </h2>
        <p className="max-w-prose text-gray-700">
          You are signed out on every device and marketing e-mail stops at once. Your name, username, e-mail address,
          phone number, addresses and payment method are removed, and we send a confirmation to your e-mail address. We
          keep the record of your choices and of what happened to your account, without your personal details. Your
          service and bills are not affected. Consider downloading your data first.
        </p>
        <div className="max-w-xl">
          <CloseAccountForm action={closeAccountAction} />
        </div>
      </section>
    </div>
  );
}

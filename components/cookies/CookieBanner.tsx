import Link from "next/link";
import { Suspense } from "react";
import { OnCustomerPages, ReturnToInput } from "./OnCustomerPages";

/** Same size, colour and weight for all three answers: none is easier to pick than another. */
const answer =
  "inline-flex min-h-11 items-center justify-center rounded-md border-2 border-brand-700 bg-white px-4 py-2 font-semibold text-brand-800 hover:bg-brand-50 focus-visible:outline-3 focus-visible:outline-offset-2 focus-visible:outline-brand-700";

export type CookieBannerProps = {
  /** "ask": first visit, no choice yet; "gpc": the browser's GPC signal answered for them; "none": nothing to show. */
  mode: "ask" | "gpc" | "none";
  /** `cookieChoiceAction` (app/privacy/cookies/actions.ts), a plain form action. */
  action: (formData: FormData) => Promise<void>;
  gpcNotice: string;
};

/**
 * The cookie question, at the top of the page in the normal flow (never fixed, so it covers no
 * form or button). A plain form: it works with JavaScript off and posts back to this page.
 */
export function CookieBanner({ mode, action, gpcNotice }: CookieBannerProps) {
  if (mode === "none") return null;
  return (
    <OnCustomerPages>
      <section aria-labelledby="cookie-banner-heading" className="border-b border-brand-100 bg-brand-50">
        <div className="mx-auto max-w-5xl space-y-3 px-4 py-4">
          <h2 id="cookie-banner-heading" className="text-lg font-semibold">
            Cookies on MyAccount
          </h2>
          {mode === "ask" ? (
            <p className="max-w-3xl text-sm text-gray-800">
              We use essential cookies to keep you signed in and secure. With your permission we also use a functional
              cookie to remember your username, and count page visits in a form that does not identify you (analytics).
              Nothing optional is set until you choose.
            </p>
          ) : (
            <p className="max-w-3xl text-sm text-gray-800">{gpcNotice}</p>
          )}
          <form action={action} className="flex flex-wrap gap-3">
            <input type="hidden" name="from" value="banner" />
            <Suspense fallback={null}>
              <ReturnToInput />
            </Suspense>
            {mode === "ask" ? (
              <>
                <button type="submit" name="choice" value="all" className={answer}>
                  Accept all
                </button>
                <button type="submit" name="choice" value="none" className={answer}>
                  Reject non-essential
                </button>
              </>
            ) : (
              <button type="submit" name="choice" value="gpc" className={answer}>
                OK
              </button>
            )}
            <Link href="/privacy/cookies" className={answer}>
              Settings
            </Link>
          </form>
        </div>
      </section>
    </OnCustomerPages>
  );
}

import { Suspense } from "react";
import { ReturnToInput } from "./OnCustomerPages";

export type CookieSettingsFormProps = {
  /** `cookieChoiceAction` (app/privacy/cookies/actions.ts). */
  action: (formData: FormData) => Promise<void>;
  /** The choices as made (null: not chosen yet, shown unticked). */
  functional: boolean | null;
  analytics: boolean | null;
  /** The browser sends Global Privacy Control: say that it wins over the boxes. */
  gpc: boolean;
  gpcNotice: string;
  /** Just saved: say so. */
  saved: boolean;
  /** Where the stored choice came from, in words, e.g. "Saved in this browser". */
  status: string;
  /** The id of the heading that names this form (the page's "Your cookie choices"). */
  headingId: string;
};

/**
 * The cookie categories as boxes, saved with one button. Used on /privacy/cookies and in the
 * privacy centre; a plain form that works without JavaScript and returns to the same page.
 */
export function CookieSettingsForm({
  action,
  functional,
  analytics,
  gpc,
  gpcNotice,
  saved,
  status,
  headingId,
}: CookieSettingsFormProps) {
  return (
    <form action={action} aria-labelledby={headingId} className="space-y-4">
      <input type="hidden" name="from" value="settings" />
      <input type="hidden" name="choice" value="custom" />
      <Suspense fallback={null}>
        <ReturnToInput />
      </Suspense>
      {saved && (
        <p role="status" className="rounded-md border border-green-700 bg-green-50 px-3 py-2 text-sm text-green-900">
          Your cookie choices are saved.
        </p>
      )}
      <p className="text-sm text-gray-700">{status}</p>
      {gpc && <p className="rounded-md border border-brand-100 bg-brand-50 px-3 py-2 text-sm">{gpcNotice}</p>}
      <fieldset className="space-y-3">
        <legend className="font-semibold">Cookie categories</legend>
        <div className="flex items-start gap-2">
          <input
            id="cookie-essential"
            type="checkbox"
            checked
            disabled
            aria-describedby="cookie-essential-hint"
            className="mt-0.5 h-5 w-5"
          />
          <div>
            <label htmlFor="cookie-essential">Essential (always on)</label>
            <p id="cookie-essential-hint" className="text-sm text-gray-700">
              Keep you signed in, bring you back to the page you were on after signing in, keep a visitor&apos;s support
              chat and remember these choices.
            </p>
          </div>
        </div>
        <div className="flex items-start gap-2">
          <input
            id="cookie-functional"
            type="checkbox"
            name="functional"
            value="on"
            defaultChecked={functional === true}
            aria-describedby="cookie-functional-hint"
            className="mt-0.5 h-5 w-5"
          />
          <div>
            <label htmlFor="cookie-functional">Functional</label>
            <p id="cookie-functional-hint" className="text-sm text-gray-700">
              Remember your username on the sign-in form. Turning this off removes a remembered username.
            </p>
          </div>
        </div>
        <div className="flex items-start gap-2">
          <input
            id="cookie-analytics"
            type="checkbox"
            name="analytics"
            value="on"
            defaultChecked={analytics === true}
            aria-describedby="cookie-analytics-hint"
            className="mt-0.5 h-5 w-5"
          />
          <div>
            <label htmlFor="cookie-analytics">Analytics</label>
            <p id="cookie-analytics-hint" className="text-sm text-gray-700">
              Count your page visits and the campaign that brought you here, per day, without your address, account or
              any cookie of their own.
            </p>
          </div>
        </div>
      </fieldset>
      <button
        type="submit"
        className="rounded-md bg-brand-600 px-4 py-2 font-semibold text-white hover:bg-brand-700 focus-visible:outline-3 focus-visible:outline-offset-2 focus-visible:outline-brand-700"
      >
        Save cookie choices
      </button>
    </form>
  );
}

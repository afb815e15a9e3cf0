import Link from "next/link";
import { messages } from "@/lib/messages";
import { TOKEN_TTL_DAYS } from "@/lib/preferences/tokens";

/** A forged, altered or expired unsubscribe link (the page calls notFound(): a 404 in the site's layout). */
export default function InvalidUnsubscribeLink() {
  return (
    <div className="mx-auto max-w-xl space-y-6">
      <h1 className="text-2xl font-bold">{messages.unsubscribeLinkInvalidHeading}</h1>
      <p>It may be incomplete, changed, or older than {TOKEN_TTL_DAYS} days. Nothing was changed.</p>
      <ul className="space-y-1 text-sm">
        <li>
          <Link className="text-brand-700 underline" href="/login?next=%2Faccount%2Fprofile%23preferences">
            Sign in to manage all your e-mail choices
          </Link>
        </li>
        <li>
          <Link className="text-brand-700 underline" href="/">
            Go to MyAccount
          </Link>
        </li>
      </ul>
    </div>
  );
}

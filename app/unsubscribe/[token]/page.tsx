import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { ResubscribeForm } from "@/components/preferences/ResubscribeForm";
import { resolveUnsubscribeToken } from "@/lib/preferences/unsubscribe";
import { resubscribeAction } from "./actions";

export const metadata: Metadata = { title: "Unsubscribe", robots: { index: false, follow: false } };

const button = "rounded-md px-4 py-2 font-semibold";
const stillGet =
  "You will still get messages about your account activity, orders and payments, and security and policy notices.";

function WayBack() {
  return (
    <ul className="space-y-1 text-sm">
      <li>
        <Link className="text-brand-700 underline" href="/login?next=%2Faccount%2Fprofile%23preferences">
          Sign in to manage all your e-mail choices
        </Link>
      </li>
      <li>
        <Link className="text-brand-700 underline" href="/account">
          Go to MyAccount
        </Link>
      </li>
    </ul>
  );
}

/**
 * What an unsubscribe link opens (GET /u/<token> is rewritten here by proxy.ts; the RFC 8058
 * one-click POST stays in app/u/[token]/route.ts). Opening it changes nothing: mail scanners open
 * links. Its buttons post to that route, which comes back here with `done`.
 */
export default async function UnsubscribePage({
  params,
  searchParams,
}: {
  params: Promise<{ token: string }>;
  searchParams: Promise<{ done?: string; resubscribed?: string }>;
}) {
  const [{ token }, query] = await Promise.all([params, searchParams]);
  const target = await resolveUnsubscribeToken(token);
  // The not-found page of this segment says the link isn't valid.
  if (!target) notFound();
  const { topicName, email, subscribed } = target;

  if (query.resubscribed && subscribed) {
    return (
      <div className="mx-auto max-w-xl space-y-6">
        <h1 className="text-2xl font-bold">You&apos;re subscribed again</h1>
        <p role="status" id="unsubscribe-status">
          You will get “{topicName}” e-mail again.
        </p>
        <WayBack />
      </div>
    );
  }

  if ((query.done === "topic" || query.done === "all") && !subscribed) {
    const what = query.done === "all" ? "any marketing e-mail from us" : `“${topicName}” e-mail`;
    return (
      <div className="mx-auto max-w-xl space-y-6">
        <h1 className="text-2xl font-bold">You&apos;re unsubscribed</h1>
        <p role="status" id="unsubscribe-status">
          You will no longer get {what}.
        </p>
        <p className="text-sm text-gray-700">{stillGet}</p>
        <div className="space-y-2">
          <p>Changed your mind?</p>
          <ResubscribeForm action={resubscribeAction} token={token} topicName={topicName} />
        </div>
        <WayBack />
      </div>
    );
  }

  const who = email ? (
    <>
      {" "}
      for <strong>{email}</strong>
    </>
  ) : null;
  const action = `/u/${encodeURIComponent(token)}`;
  return (
    <div className="mx-auto max-w-xl space-y-6">
      <h1 className="text-2xl font-bold">Unsubscribe from {topicName}</h1>
      <p>
        {subscribed ? (
          <>
            This stops “{topicName}” e-mail{who}.
          </>
        ) : (
          <>
            You are not subscribed to “{topicName}”{who}.
          </>
        )}
      </p>
      <div className="flex flex-wrap gap-3">
        {/* Plain forms to the unsubscribe route: they work without JavaScript and without a session. */}
        <form method="post" action={action}>
          <input type="hidden" name="scope" value="topic" />
          <button type="submit" className={`${button} bg-brand-600 text-white hover:bg-brand-700`}>
            Unsubscribe
          </button>
        </form>
        <form method="post" action={action}>
          <input type="hidden" name="scope" value="all" />
          <button type="submit" className={`${button} border border-gray-500 hover:bg-gray-100`}>
            Unsubscribe from all marketing e-mail
          </button>
        </form>
      </div>
      <p className="text-sm text-gray-700">{stillGet}</p>
      <WayBack />
    </div>
  );
}

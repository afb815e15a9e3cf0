import type { Metadata } from "next";
import Link from "next/link";
import { accountNotices, type AccountNotice } from "@/lib/account/notices";
import { requirePageUser } from "@/lib/auth/current";

export const metadata: Metadata = { title: "MyAccount" };

const tiles = [
  {
    href: "/account/profile",
    title: "Edit Profile",
    text: "Name, addresses, phone, e-mail, payment method and e-mail preferences.",
  },
  {
    href: "/account/security",
    title: "Sign-in and security",
    text: "Your password and the devices signed in to your account.",
  },
  {
    href: "/account/activity",
    title: "Account activity",
    text: "Sign-ins and changes to your account, and who accessed your data.",
  },
  { href: "/account/privacy", title: "Your privacy", text: "Cookies, your data download and our privacy policy." },
];

export default async function AccountHome({ searchParams }: { searchParams: Promise<{ welcome?: string }> }) {
  const session = await requirePageUser("account.own", "/account");
  const name = session.firstName || session.username || "there";
  const [notices, { welcome }] = await Promise.all([accountNotices(session.userId), searchParams]);
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-bold">Welcome, {name}</h1>
      {welcome && (
        <p
          role="status"
          id="welcome-message"
          className="rounded-md border border-green-700 bg-green-50 px-3 py-2 text-sm text-green-900"
        >
          Your online account is ready and you are signed in. We sent a link to the e-mail address you gave: it becomes
          your account&apos;s address when you follow it.
        </p>
      )}
      {notices.length > 0 && (
        <ul aria-label="Things to look at" className="space-y-2">
          {notices.map((n) => (
            <li
              key={n.kind}
              data-testid="account-notice"
              className="rounded-md border border-amber-600 bg-amber-50 px-3 py-2 text-amber-950"
            >
              <Notice notice={n} />
            </li>
          ))}
        </ul>
      )}
      <p className="text-gray-700">This is MyAccount. What would you like to do?</p>
      <ul className="grid gap-4 sm:grid-cols-2">
        {tiles.map((t) => (
          <li key={t.href}>
            <Link
              href={t.href}
              className="block h-full rounded-lg border border-gray-300 p-4 hover:border-brand-600 hover:bg-brand-50"
            >
              <span className="block text-lg font-semibold text-brand-700">{t.title}</span>
              <span className="block text-sm text-gray-700">{t.text}</span>
            </Link>
          </li>
        ))}
      </ul>
    </div>
  );
}

function Notice({ notice }: { notice: AccountNotice }) {
  if (notice.kind === "cardExpiring") {
    return (
      <>
        Your {notice.label} ending {notice.last4} {notice.expired ? "expired" : "expires"} {notice.expiry} —{" "}
        <Link className="font-medium underline" href="/account/profile?edit=payment#payment">
          update it
        </Link>
      </>
    );
  }
  return (
    <>
      You are signed in on {notice.count} devices —{" "}
      <Link className="font-medium underline" href="/account/security#devices">
        review them
      </Link>
    </>
  );
}

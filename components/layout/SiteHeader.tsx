import Link from "next/link";
import { currentSession, homeFor } from "@/lib/auth/current";
import { SignOutButton, type SignOutAction } from "./SignOutButton";
import { BRAND_NAME } from "@/lib/brand";

async function sessionOrNull() {
  // The header must render even while the database is down (the page says why).
  try {
    return await currentSession();
  } catch {
    return null;
  }
}

/** The header; `signOut` is the server action of its "Sign out" button, which app/ owns. */
export async function SiteHeader({ signOut }: { signOut: SignOutAction }) {
  const session = await sessionOrNull();
  return (
    <header className="bg-brand-800 text-white print:hidden">
      <div className="mx-auto flex max-w-5xl flex-wrap items-center justify-between gap-4 px-4 py-3">
        <Link href="/" className="text-xl font-bold tracking-tight">
          {BRAND_NAME}
        </Link>
        <nav aria-label="Main">
          <ul className="flex flex-wrap items-center gap-4 text-sm">
            <li>
              <Link href={session ? homeFor(session.role) : "/account"} className="underline-offset-4 hover:underline">
                {session && session.role !== "customer" ? "Console" : "MyAccount"}
              </Link>
            </li>
            <li>
              <Link href="/privacy" className="underline-offset-4 hover:underline">
                Privacy Policy
              </Link>
            </li>
            <li>
              <Link href="/contact" className="underline-offset-4 hover:underline">
                Contact Us
              </Link>
            </li>
            <li>
              {session ? (
                <SignOutButton action={signOut} />
              ) : (
                <Link href="/login" className="underline-offset-4 hover:underline">
                  Sign in
                </Link>
              )}
            </li>
          </ul>
        </nav>
      </div>
    </header>
  );
}

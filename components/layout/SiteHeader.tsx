import Link from "next/link";
import { currentSession, homeFor } from "@/lib/auth/current";
import { SignOutButton } from "./SignOutButton";

async function sessionOrNull() {
  // The header must render even while the database is down (the page says why).
  try {
    return await currentSession();
  } catch {
    return null;
  }
}

export async function SiteHeader() {
  const session = await sessionOrNull();
  return (
    <header className="bg-brand-800 text-white">
      <div className="mx-auto flex max-w-5xl flex-wrap items-center justify-between gap-4 px-4 py-3">
        <Link href="/" className="text-xl font-bold tracking-tight">
          Lumen Telecom
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
                <SignOutButton />
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

export function SiteFooter() {
  return (
    <footer className="mt-16 border-t border-gray-300 bg-gray-50">
      <div className="mx-auto flex max-w-5xl flex-wrap gap-4 px-4 py-6 text-sm text-gray-700">
        <span>© 2026 Lumen Telecom</span>
        <Link href="/privacy" className="underline">
          Privacy Policy
        </Link>
        <Link href="/contact" className="underline">
          Contact Us
        </Link>
      </div>
    </footer>
  );
}

"use client";

import { usePathname, useSearchParams } from "next/navigation";
import type { ReactNode } from "react";

/** The staff console and the mail-landing pages under /u/ carry no cookie banner. */
export function showsCookieBanner(pathname: string): boolean {
  return !/^\/(console|u|unsubscribe)(\/|$)/.test(pathname);
}

/** Renders its children except under /console and /u/ (the banner lives in the root layout). */
export function OnCustomerPages({ children }: { children: ReactNode }) {
  const pathname = usePathname();
  return showsCookieBanner(pathname) ? children : null;
}

/** The page the form was posted from, so the server can send the browser back to it. */
export function ReturnToInput() {
  const pathname = usePathname();
  const search = useSearchParams().toString();
  return <input type="hidden" name="returnTo" value={search ? `${pathname}?${search}` : pathname} />;
}

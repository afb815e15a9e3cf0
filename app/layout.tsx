import type { Metadata } from "next";
import type { ReactNode } from "react";
import { NeedHelp } from "@/components/chat/NeedHelp";
import { PolicyNotice } from "@/components/policy/PolicyNotice";
import { SiteFooter } from "@/components/layout/SiteFooter";
import { SiteHeader } from "@/components/layout/SiteHeader";
import { signOutAction } from "./actions/sign-out";
import { submitContactRequestAction } from "./contact/actions";
import { CookieBannerSlot } from "./cookie-banner";
import "./globals.css";
import { BRAND_NAME } from "@/lib/brand";

export const metadata: Metadata = {
  title: { default: `MyAccount — ${BRAND_NAME}`, template: "%s — MyAccount" },
  description: `Manage your ${BRAND_NAME} account, profile and privacy choices.`,
};

// Every page is rendered per request: pages carry a per-request CSP nonce and the signed-in user.
export const dynamic = "force-dynamic";

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body className="flex min-h-screen flex-col bg-white text-gray-900 antialiased">
        <a
          href="#main"
          className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:z-50 focus:rounded focus:bg-white focus:px-3 focus:py-2 focus:text-brand-800"
        >
          Skip to main content
        </a>
        <SiteHeader signOut={signOutAction} />
        {/* From publishing a new privacy policy version until it takes effect (hidden under /u/). */}
        <PolicyNotice />
        {/* In the page flow, above the content: it never covers a form or a button. */}
        <CookieBannerSlot />
        <main id="main" className="mx-auto w-full max-w-5xl flex-1 px-4 py-8">
          {children}
        </main>
        <SiteFooter />
        {/* Hides itself under /console and /u/; its panel survives client navigations because it lives here. */}
        <NeedHelp contactAction={submitContactRequestAction} />
      </body>
    </html>
  );
}

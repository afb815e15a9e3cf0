import Link from "next/link";
import { BRAND_NAME } from "@/lib/brand";

export function SiteFooter() {
  return (
    <footer className="mt-16 border-t border-gray-300 bg-gray-50 print:hidden">
      <div className="mx-auto flex max-w-5xl flex-wrap gap-4 px-4 py-6 text-sm text-gray-700">
        <span>© 2026 {BRAND_NAME}</span>
        <Link href="/privacy" className="underline">
          Privacy Policy
        </Link>
        <Link href="/privacy/cookies" className="underline">
          Cookies
        </Link>
        <Link href="/contact" className="underline">
          Contact Us
        </Link>
      </div>
    </footer>
  );
}

"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";

/** The notice of an upcoming policy change; not on the mail-landing pages under /u/. */
export function PolicyNoticeBar({ date }: { date: string }) {
  const pathname = usePathname();
  if (pathname.startsWith("/u/") || pathname.startsWith("/unsubscribe/")) return null;
  return (
    <aside
      aria-label="Privacy policy change"
      className="border-b border-amber-300 bg-amber-50 px-4 py-2 text-center text-sm text-amber-950 print:hidden"
    >
      Our privacy policy changes on {date} —{" "}
      <Link href="/privacy/changes" className="font-medium underline">
        see what&apos;s changing
      </Link>
    </aside>
  );
}

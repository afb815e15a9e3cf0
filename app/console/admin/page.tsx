import type { Metadata } from "next";
import Link from "next/link";
import { requirePageUser } from "@/lib/auth/current";
import { adminPages } from "@/lib/console/admin-pages";

export const metadata: Metadata = { title: "Administration" };

export default async function AdminHome() {
  await requirePageUser("admin.staff", "/console/admin");
  return (
    <div className="space-y-6">
      <div className="space-y-1">
        <p>
          <Link href="/console" className="text-brand-700 underline">
            Staff console
          </Link>
        </p>
        <h1 className="text-2xl font-bold">Administration</h1>
        <p className="text-gray-700">Everything only administrators can see or change.</p>
      </div>
      <ul className="space-y-3">
        {adminPages.map((s) => (
          <li key={s.href} className="rounded-lg border border-gray-300 p-4">
            <Link href={s.href} className="text-lg font-semibold text-brand-700 underline">
              {s.name}
            </Link>
            <p className="text-gray-700">{s.what}</p>
          </li>
        ))}
      </ul>
    </div>
  );
}

import type { Metadata } from "next";
import Link from "next/link";
import { requirePageUser } from "@/lib/auth/current";

export const metadata: Metadata = { title: "Administration" };

const sections = [
  {
    href: "/console/admin/staff",
    name: "Staff accounts",
    what: "Add reps, marketing staff and administrators, change roles, disable accounts.",
  },
  {
    href: "/console/admin/audit",
    name: "Audit log",
    what: "Who did what and when, for every account; filter it and export it as CSV.",
  },
  {
    href: "/console/admin/lawful",
    name: "Lawful requests",
    what: "Record what was disclosed to an authority, on what legal basis, about which customers.",
  },
  {
    href: "/console/admin/policy",
    name: "Privacy policy",
    what: "Draft, compare and publish versions of the privacy policy.",
  },
  {
    href: "/console/admin/support",
    name: "Support settings",
    what: "Chat hours, transcript retention and the canned replies reps use.",
  },
  {
    href: "/console/admin/usage",
    name: "Usage figures",
    what: "Page views and campaign visits, counted without tracking people.",
  },
] as const;

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
        {sections.map((s) => (
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

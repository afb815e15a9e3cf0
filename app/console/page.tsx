import type { Metadata } from "next";
import Link from "next/link";
import { requirePageUser } from "@/lib/auth/current";

export const metadata: Metadata = { title: "Staff console" };

const roleNames = { rep: "Service rep", marketing: "Marketing", admin: "Administrator", customer: "Customer" } as const;

export default async function ConsoleHome() {
  const session = await requirePageUser("console.home", "/console");
  return (
    <div className="space-y-4">
      <h1 className="text-2xl font-bold">Staff console</h1>
      <p>
        Signed in as {session.firstName} {session.lastName} ({roleNames[session.role]}).
      </p>
      {(session.role === "marketing" || session.role === "admin") && (
        <p>
          <Link href="/console/marketing" className="text-brand-700 underline">
            Opt-in lists, exports and newsletters
          </Link>
        </p>
      )}
      {(session.role === "rep" || session.role === "admin") && (
        <ul className="list-disc space-y-1 pl-6">
          <li>
            <Link href="/console/chats" className="text-brand-700 underline">
              Support chats and Contact Us requests
            </Link>
          </li>
          <li>
            <Link href="/console/chats/closed" className="text-brand-700 underline">
              Search closed chats
            </Link>
          </li>
          {session.role === "admin" && (
            <li>
              <Link href="/console/admin/support" className="text-brand-700 underline">
                Support settings: hours, retention and canned replies
              </Link>
            </li>
          )}
          {session.role === "admin" && (
            <li>
              <Link href="/console/admin/policy" className="text-brand-700 underline">
                Privacy policy: draft, compare and publish versions
              </Link>
            </li>
          )}
          {session.role === "admin" && (
            <li>
              <Link href="/console/admin/usage" className="text-brand-700 underline">
                Usage figures: page views and campaign visits
              </Link>
            </li>
          )}
        </ul>
      )}
      <p className="text-gray-700">
        Opening a customer&apos;s details asks for a reason first; every access is logged and the customer sees it in
        their account activity.
      </p>
    </div>
  );
}

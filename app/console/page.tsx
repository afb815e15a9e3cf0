import type { Metadata } from "next";
import Link from "next/link";
import { requirePageUser } from "@/lib/auth/current";
import { roles } from "@/lib/auth/roles";

export const metadata: Metadata = { title: "Staff console" };

const roleNames = { rep: "Service rep", marketing: "Marketing", admin: "Administrator", customer: "Customer" } as const;

export default async function ConsoleHome() {
  const session = await requirePageUser(roles.staff, "/console");
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
      <p className="text-gray-700">
        Customer search and the chat queue arrive here as they are built. Every access to a customer&apos;s data will
        ask for a reason and be logged.
      </p>
    </div>
  );
}

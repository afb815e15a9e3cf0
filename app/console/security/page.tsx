import type { Metadata } from "next";
import Link from "next/link";
import { TwoStepSection } from "@/components/two-step/TwoStepSection";
import { requirePageUser } from "@/lib/auth/current";
import { deviceList } from "@/lib/auth/devices";
import { twoStepStatus } from "@/lib/two-step/manage";
import { twoStepActions } from "@/app/account/security/two-step-actions";

export const metadata: Metadata = { title: "Your sign-in methods" };

/**
 * A staff member's own two-step methods. Staff must keep one (lib/two-step/manage.ts refuses the
 * last removal); the same section and actions as the customers' /account/security.
 */
export default async function ConsoleSecurityPage() {
  const session = await requirePageUser("console.home", "/console/security");
  const { current } = await deviceList(session.userId, session.sessionId);
  const status = await twoStepStatus(session, current);
  return (
    <div className="max-w-3xl space-y-6">
      <div className="space-y-1">
        <h1 className="text-2xl font-bold">Your sign-in methods</h1>
        <p>
          <Link href="/console" className="text-brand-700 underline">
            Back to the console
          </Link>
        </p>
      </div>
      <TwoStepSection actions={twoStepActions} status={status} />
    </div>
  );
}

import type { Metadata } from "next";
import Link from "next/link";
import { CannedRepliesAdmin } from "@/components/console/chats/CannedRepliesAdmin";
import { SupportSettingsForm } from "@/components/console/chats/SupportSettingsForm";
import { requirePageUser } from "@/lib/auth/current";
import { formatDateTime } from "@/lib/format";
import { listCannedReplies } from "@/lib/support/canned-replies";
import { getSupportSettingsForAdmin, settingsFormValues } from "@/lib/support/settings-admin";
import { deleteCannedReplyAction, saveCannedReplyAction, saveSupportSettingsAction } from "./actions";

export const metadata: Metadata = { title: "Support settings" };

export default async function SupportSettingsPage() {
  const session = await requirePageUser("admin.support", "/console/admin/support");
  const [settings, replies] = await Promise.all([getSupportSettingsForAdmin(), listCannedReplies()]);
  return (
    <div className="space-y-8">
      <div className="space-y-1">
        <p>
          <Link href="/console" className="text-brand-700 underline">
            Staff console
          </Link>
        </p>
        <h1 className="text-2xl font-bold">Support settings</h1>
        <p className="text-gray-700">
          When the chat is answered, what the offline panel promises, how long closed chats are kept, and the replies
          reps can insert. Last changed {formatDateTime(settings.updatedAt, session.timeZone)}.
        </p>
      </div>
      <section aria-labelledby="hours-heading" className="space-y-3 rounded-lg border border-gray-300 p-4 sm:p-5">
        <h2 id="hours-heading" className="text-xl font-semibold">
          Hours and retention
        </h2>
        <SupportSettingsForm action={saveSupportSettingsAction} defaults={settingsFormValues(settings)} />
      </section>
      <section aria-labelledby="canned-heading" className="space-y-3 rounded-lg border border-gray-300 p-4 sm:p-5">
        <h2 id="canned-heading" className="text-xl font-semibold">
          Canned replies
        </h2>
        <p className="text-gray-700">Reps insert these into a chat and can edit the text before sending.</p>
        <CannedRepliesAdmin replies={replies} save={saveCannedReplyAction} remove={deleteCannedReplyAction} />
      </section>
    </div>
  );
}

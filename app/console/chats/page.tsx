import type { Metadata } from "next";
import Link from "next/link";
import { ChatConsole } from "@/components/console/chats/ChatConsole";
import { ContactRequests } from "@/components/console/chats/ContactRequests";
import { requirePageUser } from "@/lib/auth/current";
import { isAway } from "@/lib/chat/presence";
import { listContactRequests } from "@/lib/contact/queries";
import { listCannedReplies } from "@/lib/support/canned-replies";
import { chatSidePanelAction, markContactHandledAction, openChatSidePanelAction } from "./actions";

export const metadata: Metadata = { title: "Support chats" };

export default async function ChatsConsolePage() {
  const session = await requirePageUser("chats.answer", "/console/chats");
  const [away, replies, requests] = await Promise.all([
    isAway(session.userId),
    listCannedReplies(),
    listContactRequests({ status: "open", limit: 50 }),
  ]);
  return (
    <div className="space-y-8">
      <div className="space-y-1">
        <p className="flex flex-wrap gap-x-4">
          <Link href="/console" className="text-brand-700 underline">
            Staff console
          </Link>
          <Link href="/console/chats/closed" className="text-brand-700 underline">
            Search closed chats
          </Link>
          {session.role === "admin" && (
            <Link href="/console/admin/support" className="text-brand-700 underline">
              Support settings
            </Link>
          )}
        </p>
        <h1 className="text-2xl font-bold">Support chats</h1>
        <p className="text-gray-700">
          While this page is open and you are available, customers can start chats. Messages appear as they arrive.
        </p>
      </div>
      <noscript>
        <p className="rounded-md border border-amber-600 bg-amber-50 p-3">
          The live chat desk needs JavaScript. Contact Us requests below work without it.
        </p>
      </noscript>
      <ChatConsole
        initialAway={away}
        cannedReplies={replies.map((r) => ({ id: r.id, title: r.title, body: r.body }))}
        showPanel={chatSidePanelAction}
        openPanel={openChatSidePanelAction}
        timeZone={session.timeZone}
      />
      <section aria-labelledby="contact-heading" className="space-y-3">
        <h2 id="contact-heading" className="text-xl font-semibold">
          Contact Us requests{requests.length ? ` (${requests.length} open)` : ""}
        </h2>
        <p className="text-sm text-gray-700">Reply by e-mail or phone, then mark the request handled.</p>
        <ContactRequests requests={requests} markHandled={markContactHandledAction} timeZone={session.timeZone} />
      </section>
    </div>
  );
}

import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { MessageText } from "@/components/console/chats/MessageText";
import { requirePageUser } from "@/lib/auth/current";
import { formatDateTime } from "@/lib/format";
import { requestContext } from "@/lib/http/request-context";
import { readClosedChat } from "@/lib/support/closed-chats";

export const metadata: Metadata = { title: "Chat transcript" };

type Props = { params: Promise<{ id: string }> };

export default async function ClosedChatPage({ params }: Props) {
  const { id: raw } = await params;
  const session = await requirePageUser("chats.answer", `/console/chats/closed/${raw}`);
  const id = /^\d{1,15}$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isSafeInteger(id) || id <= 0) notFound();
  const { clientIp } = await requestContext();
  const result = await readClosedChat({ userId: session.userId, ip: clientIp }, id);
  if (!result.ok) notFound();
  const chat = result.data;
  return (
    <div className="space-y-6">
      <div className="space-y-1">
        <p>
          <Link href="/console/chats/closed" className="text-brand-700 underline">
            Closed chats
          </Link>
        </p>
        <h1 className="text-2xl font-bold break-words">
          Chat #{chat.id} with {chat.name || "a visitor"}
        </h1>
        <p className="text-gray-700 break-words">
          Closed {formatDateTime(chat.closedAt, session.timeZone)}
          {chat.topic ? ` · ${chat.topic}` : ""}
          {chat.closeReason ? ` · ended: ${chat.closeReason}` : ""}
        </p>
        <p className="text-sm text-gray-600">Your reading of this transcript is recorded.</p>
      </div>
      <ol className="space-y-2 rounded-md border border-gray-300 bg-gray-50 p-3" aria-label="Transcript">
        {chat.lines.map((l) =>
          l.kind === "message" ? (
            <li
              key={l.seq}
              className={`max-w-[85%] rounded-lg px-3 py-2 ${l.author === "rep" ? "ml-auto bg-brand-50" : "bg-white shadow-sm"}`}
            >
              <p className="text-xs font-semibold text-gray-700">
                {l.authorName || (l.author === "rep" ? "Rep" : "Customer")}
                {l.author === "rep" ? " (rep)" : ""}
                <span className="font-normal"> · {formatDateTime(l.createdAt, session.timeZone)}</span>
              </p>
              <p>
                <MessageText text={l.body} />
              </p>
            </li>
          ) : (
            <li key={l.seq} className="text-center text-sm text-gray-700">
              <MessageText text={l.body || l.kind} />{" "}
              <span className="text-xs">({formatDateTime(l.createdAt, session.timeZone)})</span>
            </li>
          ),
        )}
      </ol>
    </div>
  );
}

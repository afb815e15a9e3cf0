import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { requestContext } from "@/lib/http/request-context";
import { latestLocalMail, localMailboxEnabled } from "@/lib/mail/mailbox";

export const metadata: Metadata = { title: "Local mailbox", robots: { index: false } };

// A link ends before trailing punctuation: "…/account/activity." links to …/account/activity.
const urlPattern = /(https:\/\/[^\s<>"]*[^\s<>"'.,;:!?)\]])/g;

/** Renders plain text with its https links clickable (as text nodes and anchors, never HTML). */
function Linkified({ text }: { text: string }) {
  return (
    <>
      {text.split(urlPattern).map((part, i) =>
        i % 2 === 1 ? (
          <a key={i} href={part} className="break-all text-brand-700 underline">
            {part}
          </a>
        ) : (
          part
        ),
      )}
    </>
  );
}

export default async function MailboxPage() {
  const { clientIp } = await requestContext();
  if (!localMailboxEnabled(clientIp)) notFound();
  const mails = await latestLocalMail();
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-bold">Local mailbox</h1>
      <p className="text-gray-700">
        No SMTP server is configured (SMTP_URL), so mail the app sends lands here. Only visible from this computer.
      </p>
      {mails.length === 0 ? (
        <p>No mail yet. Mail appears here a second or two after it is sent.</p>
      ) : (
        <ol className="space-y-4" aria-label="Messages, newest first">
          {mails.map((m) => (
            <li key={m.id} className="rounded-md border border-gray-300 p-4" data-testid="mail">
              <h2 className="font-semibold">{m.subject}</h2>
              <p className="text-sm text-gray-700">
                To <span data-testid="mail-to">{m.toAddress}</span> · From {m.fromAddress} ·{" "}
                {m.receivedAt.toISOString()}
              </p>
              <pre className="mt-2 whitespace-pre-wrap font-sans text-sm" data-testid="mail-text">
                <Linkified text={m.textBody} />
              </pre>
              {m.htmlBody && (
                <details className="mt-2">
                  <summary className="cursor-pointer text-sm text-brand-700 underline">HTML part (source)</summary>
                  <pre className="mt-2 overflow-x-auto whitespace-pre-wrap break-all text-xs" data-testid="mail-html">
                    {m.htmlBody}
                  </pre>
                </details>
              )}
            </li>
          ))}
        </ol>
      )}
    </div>
  );
}

"use client";

import { useCallback, useEffect, useId, useRef, useState, type KeyboardEvent } from "react";
import { ContactForm } from "@/components/contact/ContactForm";
import type { FormAction } from "@/components/ui/form-hooks";
import { CUSTOMER_SERVICE_PHONE, CUSTOMER_SERVICE_PHONE_TEL } from "@/lib/contact/details";
import type { ContactSubmitted } from "@/lib/contact/schema";
import { chatApi } from "./api";
import { Composer } from "./Composer";
import { MessageList } from "./MessageList";
import { TRANSCRIPTS_MAX, type PendingMessage, type StartChatInput, type SupportStatus } from "./types";
import { useChat } from "./useChat";
import { VisitorForm, type StartOutcome } from "./VisitorForm";

export type ChatPanelProps = {
  id: string;
  open: boolean;
  /** Move the keyboard into the panel once it is ready (the customer opened it, not a reload). */
  focusOnOpen: boolean;
  onFocused: () => void;
  onClose: () => void;
  /** Something arrived while the panel was closed. */
  onUnread: () => void;
  contactAction?: FormAction<ContactSubmitted>;
};

/** The last refusal of an endpoint, in the server's words (`formError`, e.g. "Please slow down…"). */
type Failure = { message: string } | null;

/**
 * The chat panel: a non-modal dialog above the "Need Help" button. It shows the conversation (or the
 * form that starts one, or Contact Us when nobody can answer), and stays mounted while hidden so a
 * rep's reply still arrives and is flagged on the button.
 */
export function ChatPanel({ id, open, focusOnOpen, onFocused, onClose, onUnread, contactAction }: ChatPanelProps) {
  const openRef = useRef(open);
  useEffect(() => {
    openRef.current = open;
  }, [open]);
  const chat = useChat({
    onIncoming: useCallback(() => {
      if (!openRef.current) onUnread();
    }, [onUnread]),
  });
  const titleId = useId();
  const panelRef = useRef<HTMLElement>(null);
  const endButtonRef = useRef<HTMLButtonElement>(null);
  const [error, setError] = useState<Failure>(null);
  const [pending, setPending] = useState<PendingMessage[]>([]);
  const [busy, setBusy] = useState(false);
  const [confirmEnd, setConfirmEnd] = useState(false);
  const [transcriptTo, setTranscriptTo] = useState<string | null>(null);
  const [transcriptsSent, setTranscriptsSent] = useState(0);
  const [answers, setAnswers] = useState<Map<number, string>>(() => new Map());

  const { view, summary, me, support, phase } = chat;
  const status = summary?.status ?? null;
  const conversationId = view?.id ?? null;

  // The counter of mails sent starts from the server's and grows with each one sent from here.
  useEffect(() => {
    // eslint-disable-next-line react-hooks/set-state-in-effect -- follows the conversation shown
    setTranscriptsSent(view?.transcriptsSent ?? 0);
  }, [view?.id, view?.transcriptsSent]);

  // Opened by the customer: put the keyboard where they will type, once there is something to type in.
  useEffect(() => {
    if (!open || !focusOnOpen || phase === "loading") return;
    const panel = panelRef.current;
    // In order of preference, not of the page: the close button comes first in the DOM but last here.
    const target = [
      "[data-autofocus]",
      "input:not([disabled]), textarea:not([disabled]), select",
      "[data-fallback-focus]",
    ]
      .map((selector) => panel?.querySelector<HTMLElement>(selector))
      .find(Boolean);
    target?.focus();
    onFocused();
  }, [open, focusOnOpen, phase, view?.id, onFocused]);

  const onKeyDown = (e: KeyboardEvent<HTMLElement>) => {
    if (e.key !== "Escape") return;
    e.stopPropagation();
    if (confirmEnd) {
      setConfirmEnd(false);
      endButtonRef.current?.focus();
    } else {
      onClose();
    }
  };

  const start = async (input: StartChatInput): Promise<StartOutcome> => {
    setBusy(true);
    setError(null);
    const res = await chatApi.start(input);
    if (!res.ok) {
      setBusy(false);
      setError({ message: res.formError });
      return { ok: false, fieldErrors: res.fieldErrors };
    }
    await chat.started(res.data.conversationId);
    setBusy(false);
    return { ok: true };
  };

  const send = async (body: string): Promise<boolean> => {
    // A signed-in customer's first message starts the chat; the server knows who they are.
    if (conversationId === null) return (await start({ message: body })).ok;
    const localId = crypto.randomUUID();
    setError(null);
    const afterSeq = chat.events.reduce(
      (max, e) => (e.conversationId === conversationId ? Math.max(max, e.seq) : max),
      0,
    );
    setPending((p) => [...p, { localId, conversationId, body, seq: null, afterSeq }]);
    const res = await chatApi.send(conversationId, body);
    if (!res.ok) {
      setPending((p) => p.filter((m) => m.localId !== localId));
      setError({ message: res.formError });
      return false;
    }
    setPending((p) => p.map((m) => (m.localId === localId ? { ...m, seq: res.data.seq } : m)));
    return true;
  };

  const typing = () => {
    if (conversationId !== null && status !== "closed") void chatApi.typing(conversationId);
  };

  const end = async () => {
    if (conversationId === null) return;
    setBusy(true);
    const res = await chatApi.end(conversationId);
    setBusy(false);
    setConfirmEnd(false);
    if (!res.ok) {
      setError({ message: res.formError });
      return;
    }
    setError(null);
    await chat.refresh();
  };

  const mailTranscript = async () => {
    if (conversationId === null) return;
    setBusy(true);
    const res = await chatApi.transcript(conversationId);
    setBusy(false);
    if (!res.ok) {
      setError({ message: res.formError });
      return;
    }
    setError(null);
    setTranscriptTo(res.data.sentTo);
    setTranscriptsSent((n) => n + 1);
  };

  const answer = async (proposalId: number, choice: "approve" | "decline") => {
    setBusy(true);
    const res = await chatApi.answerProposal(proposalId, choice);
    setBusy(false);
    if (!res.ok) {
      setError({ message: res.formError });
      return;
    }
    setError(null);
    setAnswers((m) => new Map(m).set(proposalId, choice === "approve" ? "approved" : "declined"));
  };

  const startOver = async () => {
    setPending([]);
    setTranscriptTo(null);
    setAnswers(new Map());
    setError(null);
    await chat.startOver();
  };

  const proposals = new Map(summary?.proposals ?? []);
  for (const [pid, s] of answers) if (proposals.get(pid) === "pending" || !proposals.has(pid)) proposals.set(pid, s);

  const showConversation = view !== null && summary !== null;
  const canChat = showConversation ? status !== "closed" : support?.available === true;

  return (
    <section
      ref={panelRef}
      id={id}
      role="dialog"
      aria-labelledby={titleId}
      onKeyDown={onKeyDown}
      className={`${open ? "flex" : "hidden"} fixed right-2 bottom-20 z-40 max-h-[min(40rem,calc(100dvh-6rem))] w-[min(25rem,calc(100vw-1rem))] flex-col overflow-hidden rounded-lg border border-gray-300 bg-white text-gray-900 shadow-2xl sm:right-4`}
    >
      <header className="flex items-start justify-between gap-2 bg-brand-800 px-4 py-3 text-white">
        <div>
          <h2 id={titleId} className="text-base font-semibold">
            Chat with customer service
          </h2>
          <p className="text-sm text-brand-50">{statusLine(status, summary?.repFirstName ?? null, support)}</p>
        </div>
        <button
          type="button"
          onClick={onClose}
          aria-label="Close chat panel"
          data-fallback-focus
          className="-mr-1 rounded p-1 text-white hover:bg-brand-700"
        >
          <svg
            aria-hidden="true"
            viewBox="0 0 24 24"
            className="h-6 w-6"
            fill="none"
            stroke="currentColor"
            strokeWidth="2"
          >
            <path strokeLinecap="round" d="M6 6l12 12M18 6 6 18" />
          </svg>
        </button>
      </header>

      {/* New events from the rep, said once each; the list itself is not a live region. */}
      <p className="sr-only" aria-live="polite" aria-atomic="true" id={`${id}-announce`}>
        {chat.announce}
      </p>

      <div data-chat-scroll className="min-h-0 flex-1 overflow-y-auto px-4 py-3">
        {phase === "loading" && <p className="text-sm text-gray-700">Loading…</p>}
        {phase === "failed" && (
          <div className="space-y-2">
            <p className="text-sm text-red-800">{chat.loadError}</p>
            <button type="button" onClick={() => void chat.load()} className="font-semibold text-brand-700 underline">
              Try again
            </button>
          </div>
        )}
        {phase === "ready" && showConversation && (
          <MessageList
            events={chat.events}
            pending={pending}
            proposals={proposals}
            repTyping={chat.repTyping ? (summary.repFirstName ?? "The representative") : null}
            busy={busy}
            onAnswer={(pid, choice) => void answer(pid, choice)}
          />
        )}
        {phase === "ready" && !showConversation && support && !support.available && (
          <Offline support={support} contactAction={contactAction} />
        )}
        {phase === "ready" && !showConversation && support?.available && me && !me.signedIn && (
          <VisitorForm busy={busy} onStart={start} />
        )}
        {phase === "ready" && !showConversation && support?.available && me?.signedIn && (
          <p className="text-sm text-gray-800">
            Hi{me.firstName ? ` ${me.firstName}` : ""}, what can we help you with? Write your question below and a
            representative will answer here.
          </p>
        )}
      </div>

      <div
        className={`space-y-2 border-t border-gray-200 px-4 py-3 ${error || showConversation || (canChat && me?.signedIn) ? "" : "hidden"}`}
      >
        <div id={`${id}-error`} role="alert" className="empty:hidden">
          {error && (
            <p className="rounded-md border border-red-700 bg-red-50 px-3 py-2 text-sm text-red-900">{error.message}</p>
          )}
        </div>

        {phase === "ready" && canChat && (showConversation || me?.signedIn) && (
          <Composer
            idPrefix={id}
            busy={busy}
            sendLabel={showConversation ? "Send" : "Start chat"}
            onSend={send}
            onTyping={typing}
          />
        )}

        {showConversation && status !== "closed" && !confirmEnd && (
          <button
            ref={endButtonRef}
            type="button"
            onClick={() => setConfirmEnd(true)}
            className="text-sm font-semibold text-red-800 underline"
          >
            End chat
          </button>
        )}
        {showConversation && status !== "closed" && confirmEnd && (
          <ConfirmEnd
            busy={busy}
            onConfirm={() => void end()}
            onCancel={() => {
              setConfirmEnd(false);
              requestAnimationFrame(() => endButtonRef.current?.focus());
            }}
          />
        )}

        {showConversation && status === "closed" && (
          <div className="space-y-2 text-sm">
            {transcriptTo && (
              <p role="status" className="text-green-900">
                Transcript sent to {transcriptTo}.
              </p>
            )}
            <div className="flex flex-wrap gap-2">
              {transcriptsSent < TRANSCRIPTS_MAX ? (
                <button
                  type="button"
                  disabled={busy}
                  onClick={() => void mailTranscript()}
                  className="rounded-md border border-brand-600 px-3 py-1.5 font-semibold text-brand-700 hover:bg-brand-50 disabled:opacity-70"
                >
                  E-mail me the transcript
                </button>
              ) : (
                <p className="text-gray-700">The transcript has been sent {TRANSCRIPTS_MAX} times, the most we send.</p>
              )}
              <button
                type="button"
                disabled={busy}
                onClick={() => void startOver()}
                className="rounded-md bg-brand-600 px-3 py-1.5 font-semibold text-white hover:bg-brand-700 disabled:opacity-70"
              >
                Start a new chat
              </button>
            </div>
          </div>
        )}
      </div>
    </section>
  );
}

function statusLine(
  status: "waiting" | "active" | "closed" | null,
  repFirstName: string | null,
  support: SupportStatus | null,
): string {
  switch (status) {
    case "waiting":
      return "Waiting for a representative…";
    case "active":
      return repFirstName ? `You're chatting with ${repFirstName}` : "A representative is with you";
    case "closed":
      return "This chat has ended";
    case null:
      if (!support) return "Customer service";
      return support.available ? "A representative is available" : "No one can chat right now";
  }
}

function ConfirmEnd({ busy, onConfirm, onCancel }: { busy: boolean; onConfirm: () => void; onCancel: () => void }) {
  const keepRef = useRef<HTMLButtonElement>(null);
  useEffect(() => keepRef.current?.focus(), []);
  return (
    <div
      role="group"
      aria-label="End this chat?"
      className="space-y-2 rounded-md border border-gray-300 bg-gray-50 p-3 text-sm"
    >
      <p className="font-semibold">End this chat?</p>
      <p className="text-gray-700">
        The representative will see that you left. You can still e-mail yourself the transcript.
      </p>
      <div className="flex flex-wrap gap-2">
        <button
          type="button"
          disabled={busy}
          onClick={onConfirm}
          className="rounded-md bg-red-800 px-3 py-1.5 font-semibold text-white hover:bg-red-900 disabled:opacity-70"
        >
          Yes, end chat
        </button>
        <button
          ref={keepRef}
          type="button"
          onClick={onCancel}
          className="rounded-md border border-gray-500 px-3 py-1.5 font-semibold text-gray-900 hover:bg-white"
        >
          Keep chatting
        </button>
      </div>
    </div>
  );
}

function Offline({ support, contactAction }: { support: SupportStatus; contactAction?: FormAction<ContactSubmitted> }) {
  return (
    <div className="space-y-3 text-sm">
      <div className="rounded-md border border-amber-700 bg-amber-50 p-3 text-amber-950">
        <p className="font-semibold">
          {support.reason === "closedHours"
            ? "Chat is closed right now."
            : "No representative is online to chat right now."}
        </p>
        {support.reason === "closedHours" && support.hours && <p>Our chat hours: {support.hours}.</p>}
        <p>
          Send us a message instead and we&apos;ll reply by e-mail {support.expectedReply}. Or call{" "}
          <a href={`tel:${CUSTOMER_SERVICE_PHONE_TEL}`} className="font-semibold underline">
            {CUSTOMER_SERVICE_PHONE}
          </a>
          .
        </p>
      </div>
      {contactAction ? (
        <ContactForm action={contactAction} compact headingLevel={3} idPrefix="chat-contact" />
      ) : (
        <p>
          <a href="/contact" className="font-semibold text-brand-700 underline">
            Contact Us
          </a>
        </p>
      )}
    </div>
  );
}

"use client";

import { useEffect, useRef, type ReactNode } from "react";
import { awaitsAnswer, numberOf, pendingToShow, stringOf } from "./events";
import { MessageText } from "./MessageText";
import type { ChatEvent, PendingMessage } from "./types";

/** A message the customer sent that the stream has not brought back yet; `seq` once the server took it. */

const time = (iso: string) => {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? "" : d.toLocaleTimeString("en-US", { hour: "numeric", minute: "2-digit" });
};

const answeredWords: Record<string, string> = {
  approved: "You approved this change.",
  declined: "You declined this change.",
  withdrawn: "The representative withdrew this proposal.",
  expired: "This proposal has expired.",
};

/** The conversation, oldest first; it keeps the newest line in view as events arrive. */
export function MessageList({
  events,
  pending,
  proposals,
  repTyping,
  busy,
  onAnswer,
}: {
  events: ChatEvent[];
  pending: PendingMessage[];
  proposals: Map<number, string>;
  /** The rep's first name while they are typing. */
  repTyping: string | null;
  busy: boolean;
  onAnswer: (proposalId: number, answer: "approve" | "decline") => void;
}) {
  const listRef = useRef<HTMLOListElement>(null);
  const waiting = pendingToShow(events, pending);

  useEffect(() => {
    const scroller = listRef.current?.closest<HTMLElement>("[data-chat-scroll]");
    if (scroller) scroller.scrollTop = scroller.scrollHeight;
  }, [events.length, waiting.length, repTyping]);

  return (
    <>
      <ol ref={listRef} aria-label="Conversation" className="space-y-3">
        {events.map((e) => (
          <li key={`${e.conversationId}:${e.seq}`}>
            <EventItem event={e} proposals={proposals} busy={busy} onAnswer={onAnswer} />
          </li>
        ))}
        {waiting.map((p) => (
          <li key={p.localId}>
            <Bubble mine name="You" when="" state={p.seq === null ? "Sending…" : "Sent"} body={p.body} />
          </li>
        ))}
      </ol>
      {repTyping && (
        <p className="mt-3 text-sm text-gray-700 italic">
          {repTyping} is typing<span aria-hidden="true">…</span>
        </p>
      )}
    </>
  );
}

function Bubble({
  mine,
  name,
  when,
  state,
  body,
}: {
  mine: boolean;
  name: string;
  when: string;
  state?: string;
  body: string;
}) {
  return (
    <div className={`flex flex-col ${mine ? "items-end" : "items-start"}`}>
      <p
        className={`max-w-[85%] rounded-lg px-3 py-2 text-sm break-words whitespace-pre-wrap ${
          mine ? "bg-brand-600 text-white" : "bg-gray-100 text-gray-900"
        }`}
      >
        <span className="sr-only">{name}: </span>
        <MessageText body={body} />
      </p>
      <p className="mt-0.5 text-xs text-gray-700">
        <span aria-hidden="true">{name}</span>
        {when && <> · {when}</>}
        {state && <> · {state}</>}
      </p>
    </div>
  );
}

function Notice({ children }: { children: ReactNode }) {
  return <p className="text-center text-xs text-gray-700">{children}</p>;
}

function EventItem({
  event: e,
  proposals,
  busy,
  onAnswer,
}: {
  event: ChatEvent;
  proposals: Map<number, string>;
  busy: boolean;
  onAnswer: (proposalId: number, answer: "approve" | "decline") => void;
}) {
  switch (e.kind) {
    case "message":
      if (e.author === "system") return <Notice>{e.body}</Notice>;
      return e.author === "customer" ? (
        <Bubble mine name="You" when={time(e.createdAt)} state="Sent" body={e.body} />
      ) : (
        <Bubble mine={false} name={e.authorName || "Representative"} when={time(e.createdAt)} body={e.body} />
      );
    case "joined":
      return <Notice>{stringOf(e.data.repFirstName) ?? e.authorName} joined</Notice>;
    case "closed":
      return (
        <Notice>
          <strong>{e.data.by === "customer" ? "You ended the chat." : "The chat has ended."}</strong>
        </Notice>
      );
    case "notice":
    case "proposal_answer":
      return e.body ? <Notice>{e.body}</Notice> : null;
    case "proposal": {
      const proposalId = numberOf(e.data.proposalId);
      const summary = stringOf(e.data.summary) ?? e.body;
      const status =
        proposalId === null ? "withdrawn" : (proposals.get(proposalId) ?? stringOf(e.data.status) ?? "pending");
      const headingId = `chat-proposal-${e.conversationId}-${e.seq}`;
      return (
        <section aria-labelledby={headingId} className="rounded-md border border-brand-600 bg-brand-50 p-3 text-sm">
          <h3 id={headingId} className="font-semibold">
            {e.authorName || "The representative"} proposes a change
          </h3>
          <p id={`${headingId}-summary`} className="mt-1">
            {summary}
          </p>
          {proposalId !== null && awaitsAnswer(status) ? (
            <div className="mt-2 flex flex-wrap gap-2">
              <button
                type="button"
                disabled={busy}
                aria-describedby={`${headingId}-summary`}
                onClick={() => onAnswer(proposalId, "approve")}
                className="rounded-md bg-brand-600 px-3 py-1.5 font-semibold text-white hover:bg-brand-700 disabled:opacity-70"
              >
                Approve
              </button>
              <button
                type="button"
                disabled={busy}
                aria-describedby={`${headingId}-summary`}
                onClick={() => onAnswer(proposalId, "decline")}
                className="rounded-md border border-gray-500 bg-white px-3 py-1.5 font-semibold text-gray-900 hover:bg-gray-50 disabled:opacity-70"
              >
                Decline
              </button>
            </div>
          ) : (
            <p className="mt-2 font-semibold">{answeredWords[status] ?? "This proposal is no longer open."}</p>
          )}
        </section>
      );
    }
  }
}

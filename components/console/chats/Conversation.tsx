"use client";

import { useEffect, useId, useRef, useState, type FormEvent, type KeyboardEvent } from "react";
import { MessageText } from "./MessageText";
import { postJson, type ChatView } from "./types";

export const MESSAGE_LIMIT = 2000;
const TYPING_EVERY_MS = 3_000;

/** Why a rep ends a chat; the customer reads none of these, the closed-chat search does. */
export const closeReasons = [
  "Question answered",
  "Customer stopped replying",
  "Referred to another team or channel",
  "Duplicate or spam",
  "Other",
] as const;

type Props = {
  chat: ChatView;
  customerTyping: boolean;
  cannedReplies: { id: string; title: string; body: string }[];
  onDismiss: (id: number) => void;
  /** The rep's zone (from their session): the same clock as every other page of theirs. */
  timeZone: string;
};

/** One chat: its messages (announced as they arrive), the send box, canned replies and "End chat". */
export function Conversation({ chat, customerTyping, cannedReplies, onDismiss, timeZone }: Props) {
  const closed = chat.status === "closed";
  const logRef = useRef<HTMLDivElement>(null);
  const count = chat.messages.length;

  // Keep the newest message in view as the log grows.
  useEffect(() => {
    const log = logRef.current;
    if (log) log.scrollTop = log.scrollHeight;
  }, [count, chat.id]);

  const closedEvent = chat.messages.findLast((m) => m.kind === "closed");
  return (
    <section aria-labelledby={`chat-${chat.id}-heading`} className="flex min-w-0 flex-col gap-3">
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h2 id={`chat-${chat.id}-heading`} className="text-xl font-semibold break-words">
          Chat #{chat.id} with {chat.customerName || "a visitor"}
        </h2>
        <p className="text-sm text-gray-700">
          {chat.topic ? <>Topic: {chat.topic} · </> : null}
          {closed ? "Ended" : chat.status === "waiting" ? "Waiting" : "Active"}
        </p>
      </div>
      <div
        ref={logRef}
        role="log"
        aria-live="polite"
        aria-label={`Messages of chat #${chat.id}`}
        tabIndex={0}
        className="h-80 overflow-y-auto rounded-md border border-gray-300 bg-gray-50 p-3 focus:outline-2 focus:outline-brand-600 sm:h-96"
      >
        <ol className="space-y-2">
          {chat.messages.length === 0 && <li className="text-sm text-gray-600">No messages yet.</li>}
          {chat.messages.map((m) =>
            m.kind === "message" ? (
              <li
                key={m.seq}
                className={`max-w-[85%] rounded-lg px-3 py-2 ${
                  m.author === "rep" ? "ml-auto bg-brand-50 text-gray-900" : "bg-white text-gray-900 shadow-sm"
                }`}
              >
                <p className="text-xs font-semibold text-gray-700">
                  {m.author === "rep" ? `${m.authorName || "You"} (rep)` : m.authorName || "Customer"}
                  <span className="font-normal">
                    {" · "}
                    <time dateTime={m.createdAt}>{timeOf(m.createdAt, timeZone)}</time>
                  </span>
                </p>
                <p className="mt-0.5">
                  <MessageText text={m.body} />
                </p>
              </li>
            ) : (
              <li key={m.seq} className="text-center text-sm text-gray-700">
                <MessageText text={eventText(m.kind, m.body, m.data)} />
              </li>
            ),
          )}
        </ol>
      </div>
      <p className="min-h-5 text-sm text-gray-700" aria-live="polite">
        {customerTyping && !closed ? `${chat.customerName || "The customer"} is typing…` : ""}
      </p>
      {closed ? (
        <div className="space-y-2 rounded-md border border-gray-300 p-3">
          <p>
            This chat has ended
            {closedEvent?.data.reason ? <>: {String(closedEvent.data.reason)}</> : null}.
          </p>
          <button
            type="button"
            onClick={() => onDismiss(chat.id)}
            className="rounded-md border border-gray-500 px-3 py-1 text-sm font-semibold hover:bg-gray-100"
          >
            Remove from my chats
          </button>
        </div>
      ) : (
        <>
          <Composer key={chat.id} chatId={chat.id} cannedReplies={cannedReplies} />
          <EndChat key={`end-${chat.id}`} chatId={chat.id} />
        </>
      )}
    </section>
  );
}

function Composer({ chatId, cannedReplies }: { chatId: number; cannedReplies: Props["cannedReplies"] }) {
  const [text, setText] = useState("");
  const [error, setError] = useState("");
  const [sending, setSending] = useState(false);
  const [canned, setCanned] = useState("");
  const lastTyping = useRef(0);
  const boxRef = useRef<HTMLTextAreaElement>(null);
  const ids = useId();

  function typed(value: string) {
    setText(value);
    const now = Date.now();
    if (value && now - lastTyping.current > TYPING_EVERY_MS) {
      lastTyping.current = now;
      void postJson("/api/chat/typing", { conversationId: chatId });
    }
  }

  async function send(event?: FormEvent) {
    event?.preventDefault();
    const body = text.trim();
    if (!body || sending) return;
    if (body.length > MESSAGE_LIMIT) {
      setError(`A message can be at most ${MESSAGE_LIMIT.toLocaleString("en-US")} characters.`);
      return;
    }
    setSending(true);
    const result = await postJson<{ seq: number }>("/api/chat/send", { conversationId: chatId, body });
    setSending(false);
    if (result.ok) {
      setText("");
      setError("");
      lastTyping.current = 0;
    } else {
      setError(result.formError);
    }
    boxRef.current?.focus();
  }

  function onKeyDown(e: KeyboardEvent<HTMLTextAreaElement>) {
    // Enter sends, Shift+Enter starts a new line (as in the customer's panel).
    if (e.key === "Enter" && !e.shiftKey && !e.nativeEvent.isComposing) {
      e.preventDefault();
      void send();
    }
  }

  function insertCanned() {
    const reply = cannedReplies.find((r) => r.id === canned);
    if (!reply) return;
    const box = boxRef.current;
    const start = box?.selectionStart ?? text.length;
    const end = box?.selectionEnd ?? text.length;
    const next = (text.slice(0, start) + reply.body + text.slice(end)).slice(0, MESSAGE_LIMIT);
    typed(next);
    requestAnimationFrame(() => {
      box?.focus();
      const caret = Math.min(start + reply.body.length, next.length);
      box?.setSelectionRange(caret, caret);
    });
  }

  const left = MESSAGE_LIMIT - text.length;
  return (
    <form onSubmit={(e) => void send(e)} className="space-y-2" aria-label={`Reply in chat #${chatId}`}>
      {cannedReplies.length > 0 && (
        <div className="flex flex-wrap items-end gap-2">
          <div className="min-w-0 flex-1">
            <label htmlFor={`${ids}-canned`} className="block text-sm font-medium">
              Canned reply
            </label>
            <select
              id={`${ids}-canned`}
              value={canned}
              onChange={(e) => setCanned(e.target.value)}
              className="block w-full rounded-md border border-gray-400 bg-white px-2 py-1.5"
            >
              <option value="">Choose a reply…</option>
              {cannedReplies.map((r) => (
                <option key={r.id} value={r.id}>
                  {r.title}
                </option>
              ))}
            </select>
          </div>
          <button
            type="button"
            onClick={insertCanned}
            disabled={!canned}
            className="rounded-md border border-brand-700 px-3 py-1.5 text-sm font-semibold text-brand-800 hover:bg-brand-50 disabled:opacity-60"
          >
            Insert
          </button>
        </div>
      )}
      <div className="space-y-1">
        <label htmlFor={`${ids}-message`} className="block text-sm font-medium">
          Your message
        </label>
        <textarea
          id={`${ids}-message`}
          ref={boxRef}
          value={text}
          onChange={(e) => typed(e.target.value)}
          onKeyDown={onKeyDown}
          rows={3}
          maxLength={MESSAGE_LIMIT}
          aria-describedby={`${ids}-count ${ids}-error`}
          aria-invalid={error ? true : undefined}
          className="block w-full rounded-md border border-gray-400 px-3 py-2"
        />
        <div className="flex flex-wrap justify-between gap-2 text-sm">
          <p id={`${ids}-error`} className="text-red-800" aria-live="polite">
            {error}
          </p>
          <p id={`${ids}-count`} className={left < 100 ? "font-semibold text-red-800" : "text-gray-700"}>
            {text.length.toLocaleString("en-US")} / {MESSAGE_LIMIT.toLocaleString("en-US")} characters
          </p>
        </div>
      </div>
      <p className="text-xs text-gray-600">Enter sends; Shift+Enter starts a new line.</p>
      <button
        type="submit"
        disabled={sending || !text.trim()}
        className="rounded-md bg-brand-600 px-4 py-2 font-semibold text-white hover:bg-brand-700 disabled:opacity-60"
      >
        {sending ? "Sending…" : "Send"}
      </button>
    </form>
  );
}

function EndChat({ chatId }: { chatId: number }) {
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState<string>(closeReasons[0]);
  const [note, setNote] = useState("");
  const [error, setError] = useState("");
  const [pending, setPending] = useState(false);
  const ids = useId();
  const openerRef = useRef<HTMLButtonElement>(null);

  async function end(e: FormEvent) {
    e.preventDefault();
    if (reason === "Other" && !note.trim()) {
      setError("Say why the chat ended.");
      return;
    }
    setPending(true);
    const full = note.trim() ? `${reason}: ${note.trim()}` : reason;
    const result = await postJson("/api/console/chats/close", { conversationId: chatId, reason: full.slice(0, 200) });
    setPending(false);
    if (!result.ok) setError(result.formError);
    // Success shows itself: the stream's "closed" event turns this chat into an ended one.
  }

  if (!open) {
    return (
      <div>
        <button
          ref={openerRef}
          type="button"
          onClick={() => setOpen(true)}
          className="rounded-md border border-red-700 px-3 py-1.5 text-sm font-semibold text-red-800 hover:bg-red-50"
        >
          End chat
        </button>
      </div>
    );
  }
  return (
    <form
      onSubmit={(e) => void end(e)}
      className="space-y-2 rounded-md border border-red-300 bg-red-50 p-3"
      aria-label={`End chat #${chatId}`}
    >
      <div className="space-y-1">
        <label htmlFor={`${ids}-reason`} className="block text-sm font-medium">
          Reason for ending
        </label>
        <select
          id={`${ids}-reason`}
          value={reason}
          onChange={(e) => setReason(e.target.value)}
          // Focus moves here when the form opens, so a keyboard user lands on its first control.
          autoFocus
          className="block w-full rounded-md border border-gray-400 bg-white px-2 py-1.5"
        >
          {closeReasons.map((r) => (
            <option key={r}>{r}</option>
          ))}
        </select>
      </div>
      <div className="space-y-1">
        <label htmlFor={`${ids}-note`} className="block text-sm font-medium">
          Note {reason === "Other" ? "" : "(optional)"}
        </label>
        <input
          id={`${ids}-note`}
          value={note}
          onChange={(e) => setNote(e.target.value)}
          maxLength={150}
          className="block w-full rounded-md border border-gray-400 px-2 py-1.5"
        />
      </div>
      <p className="min-h-5 text-sm text-red-800" aria-live="polite">
        {error}
      </p>
      <div className="flex flex-wrap gap-2">
        <button
          type="submit"
          disabled={pending}
          className="rounded-md bg-red-700 px-3 py-1.5 text-sm font-semibold text-white hover:bg-red-800 disabled:opacity-60"
        >
          {pending ? "Ending…" : "End chat now"}
        </button>
        <button
          type="button"
          onClick={() => {
            setOpen(false);
            requestAnimationFrame(() => openerRef.current?.focus());
          }}
          className="rounded-md border border-gray-500 px-3 py-1.5 text-sm font-semibold hover:bg-white"
        >
          Cancel
        </button>
      </div>
    </form>
  );
}

function timeOf(iso: string, timeZone: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime())
    ? ""
    : d.toLocaleTimeString("en-US", { hour: "numeric", minute: "2-digit", timeZone });
}

/** What a system event says in the log (the body when the server wrote one). */
function eventText(kind: string, body: string, data: Record<string, unknown>): string {
  if (body) return body;
  switch (kind) {
    case "joined":
      return `${String(data.repFirstName ?? "A representative")} joined the chat.`;
    case "closed":
      return "The chat ended.";
    case "proposal":
      return `Proposed: ${String(data.summary ?? "a change")}`;
    case "proposal_answer":
      return `The proposal was ${String(data.status ?? "answered")}.`;
    default:
      return "";
  }
}

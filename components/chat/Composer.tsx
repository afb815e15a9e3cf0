"use client";

import { useRef, useState, type KeyboardEvent } from "react";
import { CHAT_MESSAGE_MAX } from "./types";

/** At most one "typing" notice to the server per this many milliseconds. */
const TYPING_EVERY_MS = 3_000;

const max = CHAT_MESSAGE_MAX.toLocaleString("en-US");

/**
 * The message box. Enter sends, Shift+Enter starts a new line; the Send button does the same for
 * anyone not using a keyboard. What was typed comes back into the box when sending fails.
 */
export function Composer({
  idPrefix,
  busy,
  sendLabel,
  onSend,
  onTyping,
}: {
  idPrefix: string;
  busy: boolean;
  sendLabel: string;
  onSend: (body: string) => Promise<boolean>;
  onTyping: () => void;
}) {
  const [draft, setDraft] = useState("");
  const lastTyping = useRef(0);
  const boxId = `${idPrefix}-message`;
  const hintId = `${idPrefix}-message-hint`;

  const submit = async () => {
    const body = draft.trim();
    if (!body || busy) return;
    setDraft("");
    lastTyping.current = 0;
    if (!(await onSend(body))) setDraft((now) => (now === "" ? body : now));
  };

  const onKeyDown = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    if (e.key === "Enter" && !e.shiftKey && !e.nativeEvent.isComposing) {
      e.preventDefault();
      void submit();
    }
  };

  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
      className="space-y-1"
    >
      <label htmlFor={boxId} className="block text-sm font-medium">
        Your message
      </label>
      <textarea
        id={boxId}
        data-autofocus
        value={draft}
        rows={2}
        maxLength={CHAT_MESSAGE_MAX}
        aria-describedby={hintId}
        onChange={(e) => {
          setDraft(e.target.value);
          const now = Date.now();
          if (e.target.value && now - lastTyping.current >= TYPING_EVERY_MS) {
            lastTyping.current = now;
            onTyping();
          }
        }}
        onKeyDown={onKeyDown}
        className="block max-h-40 w-full resize-y rounded-md border border-gray-400 px-3 py-2 text-gray-900"
      />
      <div className="flex items-center justify-between gap-2">
        <p id={hintId} className="text-xs text-gray-700">
          {draft.length.toLocaleString("en-US")} of {max} characters · Enter sends, Shift+Enter adds a line
        </p>
        <button
          type="submit"
          disabled={busy || draft.trim() === ""}
          className="shrink-0 rounded-md bg-brand-600 px-4 py-1.5 font-semibold text-white hover:bg-brand-700 disabled:opacity-60"
        >
          {sendLabel}
        </button>
      </div>
    </form>
  );
}

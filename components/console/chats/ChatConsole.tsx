"use client";

import { useEffect, useEffectEvent, useRef, useState } from "react";
import { Conversation } from "./Conversation";
import { SidePanel, type PanelAction } from "./SidePanel";
import { useChatStream } from "./use-chat-stream";
import { cursorOf, postJson, waitedFor, withEvent, type ChatView, type JsonResult, type QueueItem } from "./types";

const TYPING_SHOWN_MS = 5_000;
const NEW_CHAT_HIGHLIGHT_MS = 15_000;

type Props = {
  /** "Away" as the rep last chose it (kept across visits); the open stream is what makes them online. */
  initialAway: boolean;
  cannedReplies: { id: string; title: string; body: string }[];
  showPanel: PanelAction;
  openPanel: PanelAction;
  /** The rep's zone, for the times in the conversation and the side panel. */
  timeZone: string;
};

/**
 * The rep's live desk: the waiting queue, "Take", the rep's open chats, the conversation with its
 * side panel, and "Away"/"Available". Everything live arrives on one stream (use-chat-stream).
 */
export function ChatConsole({ initialAway, cannedReplies, showPanel, openPanel, timeZone }: Props) {
  const [loaded, setLoaded] = useState<"loading" | "ready" | "unavailable">("loading");
  const [waiting, setWaiting] = useState<QueueItem[]>([]);
  const [mine, setMine] = useState<ChatView[]>([]);
  const [activeId, setActiveId] = useState<number | null>(null);
  const [typingUntil, setTypingUntil] = useState<Record<number, number>>({});
  const [fresh, setFresh] = useState<Record<number, number>>({});
  const [away, setAway] = useState(initialAway);
  const [connected, setConnected] = useState(false);
  const [notice, setNotice] = useState<{ text: string; tone: "info" | "error" } | null>(null);
  const [now, setNow] = useState(0);
  const mineRef = useRef<ChatView[]>([]);
  const seenQueue = useRef<Set<number> | null>(null);

  /** Shows the queue and this rep's chats as the server has them now. */
  function apply(result: JsonResult<{ waiting: QueueItem[]; mine: ChatView[] }>) {
    if (!result.ok) {
      setLoaded("unavailable");
      setNotice({ text: result.formError, tone: "error" });
      return;
    }
    mineRef.current = result.data.mine;
    setMine(result.data.mine);
    queueChanged(result.data.waiting);
    setActiveId((current) => current ?? result.data.mine.find((c) => c.status !== "closed")?.id ?? null);
    setLoaded("ready");
  }
  const applyLoaded = useEffectEvent(apply);

  useEffect(() => {
    void fetchQueue().then(applyLoaded);
  }, []);

  // The clock of the wait times and of the typing indicator's expiry.
  useEffect(() => {
    const tick = () => setNow(Date.now());
    const first = setTimeout(tick, 0);
    const t = setInterval(tick, 1_000);
    return () => {
      clearTimeout(first);
      clearInterval(t);
    };
  }, []);

  function queueChanged(next: QueueItem[]) {
    const seen = seenQueue.current;
    const arrived = seen ? next.filter((q) => !seen.has(q.id)) : [];
    seenQueue.current = new Set(next.map((q) => q.id));
    setWaiting(next);
    if (arrived.length) {
      const until = Date.now() + NEW_CHAT_HIGHLIGHT_MS;
      setFresh((old) => ({ ...old, ...Object.fromEntries(arrived.map((q) => [q.id, until])) }));
    }
  }

  const openIds = mine.filter((c) => c.status !== "closed").map((c) => c.id);
  useChatStream(openIds, () => cursorOf(mineRef.current.filter((c) => c.status !== "closed")), {
    onMessage(event) {
      const next = mineRef.current.map((c) => (c.id === event.conversationId ? withEvent(c, event) : c));
      mineRef.current = next;
      setMine(next);
      if (event.kind === "message" && event.author === "customer") {
        setTypingUntil((old) => ({ ...old, [event.conversationId]: 0 }));
      }
    },
    onTyping(event) {
      if (event.who === "customer") {
        setTypingUntil((old) => ({ ...old, [event.conversationId]: Date.now() + TYPING_SHOWN_MS }));
      }
    },
    onQueue: queueChanged,
    onConnected: setConnected,
  });

  // A visual (never audible) alert: the tab's title counts waiting chats while some wait.
  useEffect(() => {
    const base = document.title.replace(/^\(\d+\) /, "");
    document.title = waiting.length ? `(${waiting.length}) ${base}` : base;
  }, [waiting.length]);

  async function take(item: QueueItem) {
    const result = await postJson("/api/console/chats/take", { conversationId: item.id });
    if (!result.ok) {
      setNotice({ text: result.formError, tone: "error" });
      // Taken by someone else (409) or no longer waiting: it leaves this rep's queue at once.
      setWaiting((old) => old.filter((q) => q.id !== item.id));
      return;
    }
    setNotice({ text: `You took chat #${item.id} with ${item.name}.`, tone: "info" });
    setActiveId(item.id);
    apply(await fetchQueue());
  }

  async function toggleAway() {
    const next = !away;
    const result = await postJson("/api/console/chats/presence", { away: next });
    if (!result.ok) {
      setNotice({ text: result.formError, tone: "error" });
      return;
    }
    setAway(next);
    setNotice({
      text: next ? "You are away: no new chats are offered to customers by you." : "You are available for new chats.",
      tone: "info",
    });
  }

  function dismiss(id: number) {
    const next = mineRef.current.filter((c) => c.id !== id);
    mineRef.current = next;
    setMine(next);
    setActiveId(next[0]?.id ?? null);
  }

  const active = mine.find((c) => c.id === activeId) ?? null;
  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-center justify-between gap-3 rounded-md border border-gray-300 p-3">
        <p id="presence-status" className="flex items-center gap-2" role="status">
          <span
            aria-hidden="true"
            className={`inline-block h-3 w-3 rounded-full ${away ? "bg-gray-500" : "bg-green-600"}`}
          />
          <span>
            You are <strong>{away ? "away" : "available"}</strong>
            {loaded === "ready" && !connected && <span className="text-gray-700"> · reconnecting…</span>}
          </span>
        </p>
        <button
          type="button"
          onClick={() => void toggleAway()}
          className="rounded-md border border-brand-700 px-3 py-1.5 font-semibold text-brand-800 hover:bg-brand-50"
        >
          {away ? "Set me available" : "Set me away"}
        </button>
      </div>
      <div id="console-message" aria-live="polite" role="status">
        {notice && (
          <p
            className={`rounded-md border px-3 py-2 text-sm ${
              notice.tone === "error"
                ? "border-red-700 bg-red-50 text-red-900"
                : "border-green-700 bg-green-50 text-green-900"
            }`}
          >
            {notice.text}
          </p>
        )}
      </div>
      <div className="grid gap-6 lg:grid-cols-[15rem_minmax(0,1fr)]">
        <div className="min-w-0 space-y-6">
          <section aria-labelledby="queue-heading" className="space-y-2">
            <h2 id="queue-heading" className="text-lg font-semibold">
              Waiting{waiting.length ? ` (${waiting.length})` : ""}
            </h2>
            {loaded === "loading" && <p className="text-sm text-gray-700">Loading the queue…</p>}
            {loaded === "unavailable" && <p className="text-sm text-gray-700">The queue could not be loaded.</p>}
            {loaded === "ready" && waiting.length === 0 && <p className="text-sm text-gray-700">Nobody is waiting.</p>}
            <ul className="space-y-2" aria-label="Waiting chats">
              {waiting.map((q) => {
                const isNew = (fresh[q.id] ?? 0) > now;
                return (
                  <li
                    key={q.id}
                    className={`space-y-1 rounded-md border p-2 ${
                      isNew ? "border-amber-600 bg-amber-50 ring-2 ring-amber-500" : "border-gray-300"
                    }`}
                  >
                    <p className="font-medium break-words">
                      {isNew && <span className="mr-1 rounded bg-amber-600 px-1 text-xs text-white">New</span>}
                      {q.name || "Visitor"}
                    </p>
                    <p className="text-sm text-gray-700 break-words">
                      #{q.id} · {q.signedIn ? "Signed-in customer" : "Visitor"}
                      {q.topic ? ` · ${q.topic}` : ""}
                    </p>
                    <p className="text-sm text-gray-700">Waiting {now ? waitedFor(q.waitingSince, now) : ""}</p>
                    <button
                      type="button"
                      onClick={() => void take(q)}
                      className="rounded-md bg-brand-600 px-3 py-1 text-sm font-semibold text-white hover:bg-brand-700"
                    >
                      Take
                      <span className="sr-only">
                        {" "}
                        chat #{q.id} with {q.name || "a visitor"}
                      </span>
                    </button>
                  </li>
                );
              })}
            </ul>
          </section>
          <nav aria-labelledby="mine-heading" className="space-y-2">
            <h2 id="mine-heading" className="text-lg font-semibold">
              My chats
            </h2>
            {mine.length === 0 ? (
              <p className="text-sm text-gray-700">None open. Take a chat from the queue.</p>
            ) : (
              <ul className="flex flex-wrap gap-2 lg:flex-col">
                {mine.map((c) => {
                  const awaitingReply = c.status !== "closed" && lastAuthor(c) === "customer";
                  return (
                    <li key={c.id}>
                      <button
                        type="button"
                        onClick={() => setActiveId(c.id)}
                        aria-current={c.id === activeId ? "true" : undefined}
                        className={`w-full rounded-md border px-3 py-1.5 text-left text-sm ${
                          c.id === activeId
                            ? "border-brand-700 bg-brand-50 font-semibold"
                            : "border-gray-300 hover:bg-gray-50"
                        }`}
                      >
                        #{c.id} {c.customerName || "Visitor"}
                        {c.status === "closed" && " (ended)"}
                        {awaitingReply && <span className="ml-1 font-normal text-brand-800"> · awaiting reply</span>}
                      </button>
                    </li>
                  );
                })}
              </ul>
            )}
          </nav>
        </div>
        <div className="min-w-0">
          {active ? (
            <div className="grid gap-6 xl:grid-cols-[minmax(0,1fr)_17rem]">
              <Conversation
                chat={active}
                customerTyping={(typingUntil[active.id] ?? 0) > now}
                cannedReplies={cannedReplies}
                onDismiss={dismiss}
                timeZone={timeZone}
              />
              <SidePanel
                key={active.id}
                chat={active}
                showPanel={showPanel}
                openPanel={openPanel}
                timeZone={timeZone}
              />
            </div>
          ) : (
            <p className="rounded-md border border-dashed border-gray-400 p-6 text-center text-gray-700">
              No chat selected. Take one from the queue to answer it here.
            </p>
          )}
        </div>
      </div>
    </div>
  );
}

function lastAuthor(chat: ChatView): string | null {
  for (let i = chat.messages.length - 1; i >= 0; i--) {
    if (chat.messages[i].kind === "message") return chat.messages[i].author;
  }
  return null;
}

async function fetchQueue(): Promise<JsonResult<{ waiting: QueueItem[]; mine: ChatView[] }>> {
  try {
    const res = await fetch("/api/console/chats/queue", { credentials: "same-origin", cache: "no-store" });
    const json = (await res.json().catch(() => null)) as JsonResult<{ waiting: QueueItem[]; mine: ChatView[] }> | null;
    if (json && typeof json === "object" && "ok" in json) return json;
    return { ok: false, formError: `The chat service answered ${res.status}. Reload the page to try again.` };
  } catch {
    return { ok: false, formError: "We couldn't reach the server. Check the connection and reload the page." };
  }
}

"use client";

import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { chatApi, streamUrl } from "./api";
import { announcement, lastSeq, mergeEvents, parseChatEvent, summarise } from "./events";
import { readWidgetMemory, writeWidgetMemory } from "./memory";
import type { ChatEvent, ChatState, ChatView, SupportStatus, TypingEvent } from "./types";

/** How long the rep's "typing" shows after their last typing event. */
const REP_TYPING_MS = 5_000;
/** Polling interval once the stream has failed. */
const POLL_MS = 5_000;
/** Stream errors in a row (without an open in between) before falling back to polling. */
const STREAM_ERRORS_BEFORE_POLLING = 3;
/** Polls before trying the stream again (a minute). */
const POLLS_BEFORE_RETRYING_STREAM = 12;

type Phase = "loading" | "ready" | "failed";

const keyOf = (e: ChatEvent) => `${e.conversationId}:${e.seq}`;

/**
 * The customer's side of one conversation: the first GET /api/chat/state, then live events from the
 * stream (the browser resumes it with Last-Event-ID after a drop), or polling every 5 s when the
 * stream keeps failing. Every source goes through `ingest`, which drops what was already shown.
 */
export function useChat({ onIncoming }: { onIncoming: () => void }) {
  const [phase, setPhase] = useState<Phase>("loading");
  const [loadError, setLoadError] = useState<string | null>(null);
  const [support, setSupport] = useState<SupportStatus | null>(null);
  const [me, setMe] = useState<ChatState["me"] | null>(null);
  const [view, setView] = useState<ChatView | null>(null);
  const [events, setEvents] = useState<ChatEvent[]>([]);
  const [repTyping, setRepTyping] = useState(false);
  const [announce, setAnnounce] = useState("");
  const [transport, setTransport] = useState<"stream" | "poll">("stream");

  const seen = useRef(new Set<string>());
  const viewId = useRef<number | null>(null);
  const typingTimer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const onIncomingRef = useRef(onIncoming);
  useEffect(() => {
    onIncomingRef.current = onIncoming;
  }, [onIncoming]);

  const ingest = useCallback((list: readonly ChatEvent[], announceNew: boolean) => {
    const fresh = list.filter((e) => e.conversationId === viewId.current && !seen.current.has(keyOf(e)));
    if (fresh.length === 0) return;
    for (const e of fresh) seen.current.add(keyOf(e));
    setEvents((prev) => mergeEvents(prev, fresh));
    if (fresh.some((e) => e.author === "rep" && e.kind === "message")) setRepTyping(false);
    if (!announceNew) return;
    const said = fresh.map(announcement).filter((s): s is string => s !== null);
    if (said.length > 0) {
      // A trailing no-break space alternates, so the same sentence twice is still a change to announce.
      setAnnounce((prev) => said.join(". ") + (prev.endsWith("\u00a0") ? "" : "\u00a0"));
      onIncomingRef.current();
    }
  }, []);

  const adopt = useCallback((conversation: ChatView | null) => {
    if (conversation?.id !== viewId.current) {
      viewId.current = conversation?.id ?? null;
      seen.current = new Set();
      setEvents([]);
      setRepTyping(false);
      setTransport("stream");
    }
    setView(conversation);
  }, []);

  const applyState = useCallback(
    (data: ChatState, announceNew: boolean) => {
      setSupport(data.support);
      setMe(data.me);
      let conversation = data.conversation;
      // A closed chat the customer put away stays away after a reload.
      if (conversation?.status === "closed" && readWidgetMemory().dismissed === conversation.id) conversation = null;
      // A poll that no longer sees the chat (closed more than an hour ago) does not take it off the screen.
      if (!conversation && viewId.current !== null && announceNew) return;
      adopt(conversation);
      if (conversation) ingest(conversation.messages, announceNew);
    },
    [adopt, ingest],
  );

  const load = useCallback(async () => {
    setPhase("loading");
    const res = await chatApi.state();
    if (res.ok) {
      applyState(res.data, false);
      setLoadError(null);
      setPhase("ready");
    } else {
      setLoadError(res.formError);
      setPhase("failed");
    }
  }, [applyState]);

  /** Reads the state again, announcing what is new (after ending a chat, or when polling). */
  const refresh = useCallback(async () => {
    const res = await chatApi.state();
    if (res.ok) applyState(res.data, true);
  }, [applyState]);

  useEffect(() => {
    // eslint-disable-next-line react-hooks/set-state-in-effect -- the first read of the conversation
    void load();
  }, [load]);

  /** After POST /api/chat/start: show the new conversation (its first message comes with it). */
  const started = useCallback(
    async (conversationId: number) => {
      writeWidgetMemory({ dismissed: undefined });
      const res = await chatApi.state();
      if (res.ok && res.data.conversation?.id === conversationId) {
        applyState(res.data, false);
        return;
      }
      // The state read failed: the stream's catch-up from seq 0 brings the messages.
      adopt({
        id: conversationId,
        status: "waiting",
        topic: "",
        repFirstName: null,
        customerName: "",
        transcriptsSent: 0,
        messages: [],
      });
    },
    [adopt, applyState],
  );

  /** "Start a new chat" after one ended: put the old one away (also across a reload). */
  const startOver = useCallback(async () => {
    if (viewId.current !== null) writeWidgetMemory({ dismissed: viewId.current });
    adopt(null);
    await load();
  }, [adopt, load]);

  const summary = useMemo(() => (view ? summarise(view, events) : null), [view, events]);
  const conversationId = view?.id ?? null;
  const closed = summary?.status === "closed";

  // The newest seq shown, read by a (re)opened stream without reopening it on every event.
  const after = useRef(0);
  useEffect(() => {
    after.current = conversationId === null ? 0 : lastSeq(events, conversationId);
  }, [events, conversationId]);

  useEffect(() => {
    if (conversationId === null || closed || transport !== "stream") return;
    let errors = 0;
    const source = new EventSource(streamUrl(conversationId, after.current));
    source.addEventListener("open", () => {
      errors = 0;
    });
    source.addEventListener("message", (m: MessageEvent<string>) => {
      const e = parseChatEvent(m.data);
      if (e) ingest([e], true);
    });
    source.addEventListener("typing", (m: MessageEvent<string>) => {
      let t: Partial<TypingEvent> | null = null;
      try {
        t = JSON.parse(m.data) as Partial<TypingEvent>;
      } catch {
        return;
      }
      if (t?.conversationId !== conversationId || t.who !== "rep") return;
      setRepTyping(true);
      clearTimeout(typingTimer.current);
      typingTimer.current = setTimeout(() => setRepTyping(false), REP_TYPING_MS);
    });
    source.addEventListener("error", () => {
      errors++;
      // CLOSED: the server refused (403, 503…) and the browser will not retry by itself.
      if (source.readyState === EventSource.CLOSED || errors >= STREAM_ERRORS_BEFORE_POLLING) {
        source.close();
        setTransport("poll");
      }
    });
    return () => source.close();
  }, [conversationId, closed, transport, ingest]);

  useEffect(() => {
    if (conversationId === null || closed || transport !== "poll") return;
    let polls = 0;
    const timer = setInterval(() => {
      polls++;
      if (polls >= POLLS_BEFORE_RETRYING_STREAM) setTransport("stream");
      else void refresh();
    }, POLL_MS);
    return () => clearInterval(timer);
  }, [conversationId, closed, transport, refresh]);

  useEffect(() => () => clearTimeout(typingTimer.current), []);

  return {
    phase,
    loadError,
    load,
    refresh,
    support,
    me,
    view,
    events,
    summary,
    repTyping: repTyping && !closed,
    announce,
    transport,
    started,
    startOver,
  };
}

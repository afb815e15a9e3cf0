"use client";

import { useEffect, useEffectEvent } from "react";
import type { ChatEvent, QueueItem } from "./types";

export type StreamHandlers = {
  onMessage: (event: ChatEvent) => void;
  onTyping: (event: { conversationId: number; who: "customer" | "rep" }) => void;
  onQueue: (waiting: QueueItem[]) => void;
  /** true while the stream is open; false while it reconnects. */
  onConnected: (connected: boolean) => void;
};

const RETRY_MS = 5_000;

/**
 * One Server-Sent Events stream for the whole console tab (docs/support-chat.md): the queue and
 * every open chat of this rep. A new set of chats reopens it with the cursor of what is already
 * shown, so nothing between the two streams is lost; the browser's own reconnect resends the last
 * event id. A refused or failed stream (the browser gives up on a non-200) is reopened after a pause.
 */
export function useChatStream(conversationIds: number[], cursor: () => string, handlers: StreamHandlers) {
  const key = [...conversationIds].sort((a, b) => a - b).join(",");
  const onMessage = useEffectEvent(handlers.onMessage);
  const onTyping = useEffectEvent(handlers.onTyping);
  const onQueue = useEffectEvent(handlers.onQueue);
  const onConnected = useEffectEvent(handlers.onConnected);
  const currentCursor = useEffectEvent(cursor);

  useEffect(() => {
    let source: EventSource | null = null;
    let retry: ReturnType<typeof setTimeout> | undefined;
    let stopped = false;

    function open() {
      const params = new URLSearchParams({ queue: "1" });
      for (const id of key ? key.split(",") : []) params.append("c", id);
      const last = currentCursor();
      if (last) params.set("last", last);
      source = new EventSource(`/api/chat/stream?${params}`, { withCredentials: true });
      source.onopen = () => onConnected(true);
      source.addEventListener("message", (e) => {
        const event = parse<ChatEvent>(e.data);
        if (event) onMessage(event);
      });
      source.addEventListener("typing", (e) => {
        const event = parse<{ conversationId: number; who: "customer" | "rep" }>(e.data);
        if (event) onTyping(event);
      });
      source.addEventListener("queue", (e) => {
        const event = parse<{ waiting: QueueItem[] }>(e.data);
        if (event) onQueue(event.waiting);
      });
      source.onerror = () => {
        onConnected(false);
        if (source?.readyState === EventSource.CLOSED && !stopped) {
          source.close();
          retry = setTimeout(open, RETRY_MS);
        }
      };
    }

    open();
    return () => {
      stopped = true;
      clearTimeout(retry);
      source?.close();
    };
  }, [key]);
}

function parse<T>(data: string): T | null {
  try {
    return JSON.parse(data) as T;
  } catch {
    return null;
  }
}

import type { ActionResult } from "@/lib/actions/result";
import type { ChatState, SendData, StartChatData, StartChatInput, TranscriptData } from "./types";

// The widget's calls to the chat endpoints (docs/support-chat.md). Every answer is an ActionResult;
// anything else (a proxy's error page, a dropped connection) becomes one with a sentence to show.

const unreachable = "We couldn't reach customer service. Check your connection and try again.";

async function call<T>(path: string, init?: RequestInit): Promise<ActionResult<T>> {
  let res: Response;
  try {
    res = await fetch(path, {
      ...init,
      credentials: "same-origin",
      cache: "no-store",
      headers: { Accept: "application/json", ...(init?.body ? { "Content-Type": "application/json" } : {}) },
    });
  } catch {
    return { ok: false, formError: unreachable, code: "network" };
  }
  let body: unknown;
  try {
    body = await res.json();
  } catch {
    body = null;
  }
  if (body && typeof body === "object" && "ok" in body) return body as ActionResult<T>;
  if (res.ok) return { ok: true, data: undefined as T };
  return {
    ok: false,
    formError: res.status === 503 ? "Customer service is unavailable for a moment. Try again shortly." : unreachable,
    code: String(res.status),
  };
}

function post<T>(path: string, body: unknown): Promise<ActionResult<T>> {
  return call<T>(path, { method: "POST", body: JSON.stringify(body) });
}

export const chatApi = {
  state: () => call<ChatState>("/api/chat/state"),
  start: (input: StartChatInput) => post<StartChatData>("/api/chat/start", input),
  send: (conversationId: number, body: string) => post<SendData>("/api/chat/send", { conversationId, body }),
  typing: (conversationId: number) => post<undefined>("/api/chat/typing", { conversationId }),
  end: (conversationId: number) => post<undefined>("/api/chat/end", { conversationId }),
  transcript: (conversationId: number) => post<TranscriptData>("/api/chat/transcript", { conversationId }),
  answerProposal: (proposalId: number, answer: "approve" | "decline") =>
    post<undefined>("/api/chat/proposals/answer", { proposalId, answer }),
};

/** The stream URL for one conversation, resuming after `after` (the last seq already shown). */
export function streamUrl(conversationId: number, after: number): string {
  const q = new URLSearchParams({ c: String(conversationId) });
  if (after > 0) q.set("last", `${conversationId}:${after}`);
  return `/api/chat/stream?${q.toString()}`;
}

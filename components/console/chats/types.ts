// The chat contract's shapes (docs/support-chat.md), as the rep's console receives them.

export type ChatEvent = {
  conversationId: number;
  seq: number;
  kind: "message" | "joined" | "closed" | "proposal" | "proposal_answer" | "notice";
  author: "customer" | "rep" | "system";
  authorName: string;
  body: string;
  data: Record<string, unknown>;
  createdAt: string;
};

export type QueueItem = { id: number; name: string; topic: string; signedIn: boolean; waitingSince: string };

export type ChatView = {
  id: number;
  status: "waiting" | "active" | "closed";
  topic: string;
  repFirstName: string | null;
  customerName: string;
  transcriptsSent: number;
  messages: ChatEvent[];
};

/** An `ActionResult` as the JSON endpoints answer it. */
export type JsonResult<T = undefined> =
  | { ok: true; data: T; message?: string }
  | { ok: false; formError: string; code?: string; fieldErrors?: Record<string, string[] | undefined> };

/** POSTs JSON to one of the chat endpoints (same origin); a network failure reads like any refusal. */
export async function postJson<T = undefined>(url: string, body: unknown): Promise<JsonResult<T>> {
  try {
    const res = await fetch(url, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body),
      credentials: "same-origin",
    });
    const json = (await res.json().catch(() => null)) as JsonResult<T> | null;
    if (json && typeof json === "object" && "ok" in json) return json;
    return { ok: false, formError: `The server answered ${res.status}. Please try again.` };
  } catch {
    return { ok: false, formError: "We couldn't reach the server. Check the connection and try again." };
  }
}

/** "just now", "4 min", "1 h 05 min": how long someone has waited. */
export function waitedFor(since: string, now: number): string {
  const minutes = Math.max(0, Math.floor((now - new Date(since).getTime()) / 60_000));
  if (minutes < 1) return "just now";
  if (minutes < 60) return `${minutes} min`;
  return `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, "0")} min`;
}

/** The stream's cursor for a set of chats: "12:5,13:9" (each conversation's last seq seen). */
export function cursorOf(chats: Pick<ChatView, "id" | "messages">[]): string {
  return chats.map((c) => `${c.id}:${c.messages.length ? c.messages[c.messages.length - 1].seq : 0}`).join(",");
}

/** Adds an event to its chat unless it is already there (a reconnect's catch-up may repeat one). */
export function withEvent(chat: ChatView, event: ChatEvent): ChatView {
  const last = chat.messages.length ? chat.messages[chat.messages.length - 1].seq : 0;
  if (event.seq <= last) {
    if (chat.messages.some((m) => m.seq === event.seq)) return chat;
    const messages = [...chat.messages, event].sort((a, b) => a.seq - b.seq);
    return { ...chat, messages };
  }
  const status = event.kind === "closed" ? "closed" : chat.status === "waiting" ? "active" : chat.status;
  return { ...chat, status, messages: [...chat.messages, event] };
}

export type ProposalStatus = "pending" | "approved" | "declined" | "withdrawn";
export type Proposal = { proposalId: number; field: string; summary: string; status: ProposalStatus; seq: number };

/** The proposals of a chat with their latest status, read from its events (newest first). */
export function proposalsOf(chat: ChatView): Proposal[] {
  const byId = new Map<number, Proposal>();
  for (const m of chat.messages) {
    const id = Number(m.data.proposalId);
    if (!Number.isFinite(id)) continue;
    if (m.kind === "proposal") {
      byId.set(id, {
        proposalId: id,
        field: String(m.data.field ?? ""),
        summary: String(m.data.summary ?? m.body),
        status: asStatus(m.data.status) ?? "pending",
        seq: m.seq,
      });
    } else if (m.kind === "proposal_answer") {
      const p = byId.get(id);
      const status = asStatus(m.data.status);
      if (p && status) byId.set(id, { ...p, status });
    }
  }
  return [...byId.values()].sort((a, b) => b.seq - a.seq);
}

function asStatus(value: unknown): ProposalStatus | null {
  return value === "pending" || value === "approved" || value === "declined" || value === "withdrawn" ? value : null;
}

import type { ChatEvent, ChatView, PendingMessage, ProposalStatus } from "./types";

// Pure helpers the panel builds its view from: the stream, the polling fallback and the first
// GET /api/chat/state all deliver the same events, sometimes twice; these make that harmless.

function key(e: Pick<ChatEvent, "conversationId" | "seq">): string {
  return `${e.conversationId}:${e.seq}`;
}

/** `current` plus the events of `incoming` not seen yet (by conversation and seq), in order. */
export function mergeEvents(current: readonly ChatEvent[], incoming: readonly ChatEvent[]): ChatEvent[] {
  const seen = new Set(current.map(key));
  const fresh = incoming.filter((e) => {
    const k = key(e);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
  if (fresh.length === 0) return current as ChatEvent[];
  return [...current, ...fresh].sort((a, b) => a.conversationId - b.conversationId || a.seq - b.seq);
}

/** The highest seq seen of a conversation (0 when none): what a reopened stream resumes after. */
export function lastSeq(events: readonly ChatEvent[], conversationId: number): number {
  return events.reduce((max, e) => (e.conversationId === conversationId && e.seq > max ? e.seq : max), 0);
}

const answered = new Set<string>(["approved", "declined", "withdrawn", "expired"]);

/** Whether a proposal still waits for the customer's answer. */
export function awaitsAnswer(status: string | undefined): boolean {
  return !answered.has(status ?? "pending");
}

export type ConversationSummary = {
  status: ChatView["status"];
  repFirstName: string | null;
  /** Each proposal's latest status: its own, then any answer or withdrawal after it. */
  proposals: Map<number, ProposalStatus | string>;
};

/** What the events say about the conversation, on top of what the last state read said. */
export function summarise(view: Pick<ChatView, "status" | "repFirstName">, events: readonly ChatEvent[]) {
  const summary: ConversationSummary = { status: view.status, repFirstName: view.repFirstName, proposals: new Map() };
  for (const e of events) {
    switch (e.kind) {
      case "joined": {
        const name = stringOf(e.data.repFirstName) ?? e.authorName;
        summary.repFirstName = name || summary.repFirstName;
        if (summary.status === "waiting") summary.status = "active";
        break;
      }
      case "closed":
        summary.status = "closed";
        break;
      case "proposal":
      case "proposal_answer": {
        const id = numberOf(e.data.proposalId);
        const status = stringOf(e.data.status);
        if (id !== null) summary.proposals.set(id, status ?? summary.proposals.get(id) ?? "pending");
        break;
      }
      case "message":
      case "notice":
        break;
    }
  }
  return summary;
}

/** The sentence a screen reader hears when an event arrives; null for the customer's own messages. */
export function announcement(e: ChatEvent): string | null {
  switch (e.kind) {
    case "message":
      if (e.author === "customer") return null;
      return e.author === "rep" ? `${e.authorName} says: ${e.body}` : e.body || null;
    case "joined":
      return `${stringOf(e.data.repFirstName) ?? e.authorName} joined the chat`;
    case "closed":
      return "The chat has ended";
    case "proposal":
      return `${e.authorName} proposes a change: ${stringOf(e.data.summary) ?? e.body}. Approve or decline it below.`;
    case "proposal_answer":
    case "notice":
      return e.body || null;
  }
}

export function stringOf(v: unknown): string | null {
  return typeof v === "string" && v.length > 0 ? v : null;
}

export function numberOf(v: unknown): number | null {
  if (typeof v === "number" && Number.isFinite(v)) return v;
  if (typeof v === "string" && /^\d+$/.test(v)) return Number(v);
  return null;
}

/** A stream payload, checked enough that a malformed one is dropped instead of breaking the view. */
export function parseChatEvent(raw: string): ChatEvent | null {
  let v: unknown;
  try {
    v = JSON.parse(raw);
  } catch {
    return null;
  }
  if (typeof v !== "object" || v === null) return null;
  const e = v as Partial<ChatEvent>;
  if (typeof e.conversationId !== "number" || typeof e.seq !== "number" || typeof e.kind !== "string") return null;
  return {
    conversationId: e.conversationId,
    seq: e.seq,
    kind: e.kind,
    author: e.author ?? "system",
    authorName: typeof e.authorName === "string" ? e.authorName : "",
    body: typeof e.body === "string" ? e.body : "",
    data: typeof e.data === "object" && e.data !== null ? e.data : {},
    createdAt: typeof e.createdAt === "string" ? e.createdAt : new Date(0).toISOString(),
  };
}

/**
 * The messages still to show as the customer's own bubbles: those whose event has not arrived.
 * The stream can deliver a message before its send request answers (seq still unknown), so an
 * unanswered one also counts as arrived when a new event of theirs with the same text is there
 * that no answered send has claimed — otherwise it would show twice for a moment.
 */
export function pendingToShow(events: ChatEvent[], pending: PendingMessage[]): PendingMessage[] {
  const key = (c: number, seq: number) => `${c}:${seq}`;
  const shown = new Set(events.map((e) => key(e.conversationId, e.seq)));
  const claimed = new Set(pending.flatMap((p) => (p.seq === null ? [] : [key(p.conversationId, p.seq)])));
  const out: PendingMessage[] = [];
  for (const p of pending) {
    if (p.seq !== null) {
      if (!shown.has(key(p.conversationId, p.seq))) out.push(p);
      continue;
    }
    const arrived = events.find(
      (e) =>
        e.conversationId === p.conversationId &&
        e.author === "customer" &&
        e.kind === "message" &&
        e.seq > p.afterSeq &&
        e.body === p.body &&
        !claimed.has(key(e.conversationId, e.seq)),
    );
    if (arrived) claimed.add(key(arrived.conversationId, arrived.seq));
    else out.push(p);
  }
  return out;
}

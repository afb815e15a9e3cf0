// The support chat's wire types, as docs/support-chat.md defines them. Client-safe: the widget
// imports them, and the server's answers must match them.

/** One thing that happened in a chat, numbered `seq` from 1 per conversation with no gaps. */
export type ChatEvent = {
  conversationId: number;
  seq: number;
  kind: "message" | "joined" | "closed" | "proposal" | "proposal_answer" | "notice";
  author: "customer" | "rep" | "system";
  /** A rep's first name, the customer's first name or the visitor's name. */
  authorName: string;
  /** Plain text, never HTML. */
  body: string;
  /**
   * joined: { repFirstName }; closed: { by, reason }; proposal: { proposalId, field, summary, status };
   * proposal_answer: { proposalId, status }.
   */
  data: Record<string, unknown>;
  /** ISO 8601. */
  createdAt: string;
};

export type SupportStatus = {
  /** A rep is online and it is within business hours. */
  available: boolean;
  reason: "open" | "noRep" | "closedHours";
  /** "within one business day" */
  expectedReply: string;
  /** "Mon–Fri 8:00–20:00 (Mountain Time)", null when always open. */
  hours: string | null;
};

export type ChatView = {
  id: number;
  status: "waiting" | "active" | "closed";
  topic: string;
  repFirstName: string | null;
  customerName: string;
  /** The rep console's; the widget does not need it. */
  signedIn?: boolean;
  transcriptsSent: number;
  messages: ChatEvent[];
};

/** `data` of GET /api/chat/state. */
export type ChatState = {
  support: SupportStatus;
  me: { signedIn: boolean; firstName: string | null };
  /** The caller's open conversation, or the latest one closed in the last hour. */
  conversation: ChatView | null;
};

/** `event: typing` of the stream (not stored; fine to lose). */
export type TypingEvent = { conversationId: number; who: "customer" | "rep" };

/** Body of POST /api/chat/start; a visitor must give name and e-mail. */
export type StartChatInput = {
  name?: string;
  email?: string;
  accountNumber?: string;
  topic?: string;
  message: string;
};

/** Answers of the POST endpoints (`data` of a successful ActionResult). */
export type StartChatData = { conversationId: number };
export type SendData = { seq: number };
export type TranscriptData = { sentTo: string };

export type ProposalStatus = "pending" | "approved" | "declined" | "withdrawn";

/** The longest message, in characters (the server refuses longer ones). */
export const CHAT_MESSAGE_MAX = 2000;
/** Transcript mails per conversation (the server refuses a fourth). */
export const TRANSCRIPTS_MAX = 3;

/** A message the customer sent; `afterSeq` is the newest event shown when they pressed Send. */
export type PendingMessage = {
  localId: string;
  conversationId: number;
  body: string;
  seq: number | null;
  afterSeq: number;
};

import "server-only";
import { sql } from "drizzle-orm";
import { db } from "@/db/client";
import { fail, ok, type Outcome } from "@/lib/actions/result";
import { recordAudit } from "@/lib/audit/record";
import { maskEmail } from "@/lib/profile/email-change";

export type ClosedChatHit = {
  id: number;
  closedAt: Date;
  name: string;
  maskedEmail: string | null;
  signedIn: boolean;
  topic: string;
  closeReason: string;
  repFirstName: string | null;
  /** The first message that matched the search text, shortened. */
  snippet: string | null;
};

const SEARCH_LIMIT = 25;
const SNIPPET_CHARS = 160;

/** `%text%` for ILIKE, with the pattern characters of the text taken literally. */
function containing(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** A closed chat is kept for the admin's retention period; older ones are gone for staff even before the deletion job runs. */
const withinRetention = sql`c.closed_at > now() - make_interval(days => (select retention_days from support_settings where id = 1))`;

/**
 * Closed chats matching a chat number ("42" or "#42"), a name, an e-mail address or words said in
 * the chat; newest first. An empty search lists the latest closed chats.
 */
export async function searchClosedChats(query: string): Promise<ClosedChatHit[]> {
  const q = query.trim();
  const number = /^#?\d{1,15}$/.test(q) ? Number(q.replace("#", "")) : null;
  const pattern = containing(q);
  const matches = q
    ? sql`and (${number !== null ? sql`c.id = ${number} or` : sql``}
              (u.first_name || ' ' || u.last_name) ilike ${pattern}
              or c.visitor_name ilike ${pattern}
              or u.email ilike ${pattern}
              or c.visitor_email ilike ${pattern}
              or exists (select 1 from chat_messages m
                          where m.conversation_id = c.id and m.kind = 'message' and m.body ilike ${pattern}))`
    : sql``;
  const { rows } = await db.execute<{
    id: number | string;
    closed_at: string | Date;
    name: string;
    email: string | null;
    signed_in: boolean;
    topic: string;
    close_reason: string | null;
    rep_first_name: string | null;
    snippet: string | null;
  }>(sql`
    select c.id, c.closed_at, c.topic, c.close_reason, c.customer_id is not null as signed_in,
           coalesce(nullif(trim(u.first_name || ' ' || u.last_name), ''), c.visitor_name, '') as name,
           coalesce(u.email, c.visitor_email) as email,
           r.first_name as rep_first_name,
           ${
             q
               ? sql`(select m.body from chat_messages m
                       where m.conversation_id = c.id and m.kind = 'message' and m.body ilike ${pattern}
                       order by m.seq limit 1)`
               : sql`null::text`
           } as snippet
      from chat_conversations c
      left join users u on u.id = c.customer_id
      left join users r on r.id = c.rep_id
     where c.status = 'closed' and ${withinRetention} ${matches}
     order by c.closed_at desc, c.id desc
     limit ${SEARCH_LIMIT}`);
  return rows.map((r) => ({
    id: Number(r.id),
    closedAt: new Date(r.closed_at),
    name: r.name,
    maskedEmail: r.email ? maskEmail(r.email) : null,
    signedIn: r.signed_in,
    topic: r.topic,
    closeReason: r.close_reason ?? "",
    repFirstName: r.rep_first_name,
    snippet: r.snippet && r.snippet.length > SNIPPET_CHARS ? `${r.snippet.slice(0, SNIPPET_CHARS)}…` : r.snippet,
  }));
}

export type TranscriptLine = {
  seq: number;
  kind: string;
  author: "customer" | "rep" | "system";
  authorName: string;
  body: string;
  createdAt: Date;
};

export type ClosedChatTranscript = {
  id: number;
  name: string;
  topic: string;
  closedAt: Date;
  closeReason: string;
  lines: TranscriptLine[];
};

/**
 * The transcript of a closed chat for staff. Reading a customer's conversation is recorded in
 * their account activity.
 */
export async function readClosedChat(
  staff: { userId: string; ip: string },
  id: number,
): Promise<Outcome<ClosedChatTranscript>> {
  const { rows } = await db.execute<{
    customer_id: string | null;
    name: string;
    customer_first: string | null;
    topic: string;
    closed_at: string | Date;
    close_reason: string | null;
  }>(sql`
    select c.customer_id, c.topic, c.closed_at, c.close_reason, u.first_name as customer_first,
           coalesce(nullif(trim(u.first_name || ' ' || u.last_name), ''), c.visitor_name, '') as name
      from chat_conversations c left join users u on u.id = c.customer_id
     where c.id = ${id} and c.status = 'closed' and ${withinRetention}`);
  const chat = rows[0];
  if (!chat) return fail("closedChatNotFound");
  await recordAudit(db, {
    actorId: staff.userId,
    subjectUserId: chat.customer_id,
    action: "staff.chat_transcript_read",
    detail: { chatId: id },
    ip: staff.ip,
  });
  const { rows: lines } = await db.execute<{
    seq: number;
    kind: string;
    author: "customer" | "rep" | "system";
    author_first: string | null;
    body: string;
    created_at: string | Date;
  }>(sql`
    select m.seq, m.kind, m.author, a.first_name as author_first, m.body, m.created_at
      from chat_messages m left join users a on a.id = m.author_id
     where m.conversation_id = ${id}
     order by m.seq`);
  return ok({
    id,
    name: chat.name,
    topic: chat.topic,
    closedAt: new Date(chat.closed_at),
    closeReason: chat.close_reason ?? "",
    lines: lines.map((l) => ({
      seq: Number(l.seq),
      kind: l.kind,
      author: l.author,
      authorName:
        l.author === "system"
          ? ""
          : (l.author_first ?? (l.author === "customer" ? chat.customer_first || chat.name : "")),
      body: l.body,
      createdAt: new Date(l.created_at),
    })),
  });
}

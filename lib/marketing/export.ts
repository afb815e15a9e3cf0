import "server-only";
import { Readable } from "node:stream";
import pg from "pg";
import { to as copyTo } from "pg-copy-streams";
import { sql } from "drizzle-orm";
import { db, dbHandle } from "@/db/client";
import type { Role } from "@/db/schema";
import { recordAudit } from "@/lib/audit/record";
import { csvField, FORMULA_SQL_PATTERN } from "@/lib/csv/cell";
import { can } from "@/lib/auth/capabilities";
import { appUrl, env } from "@/lib/env";
import { listMarketingTopics } from "@/lib/preferences/queries";
import { dayNumber, sqlHmacKeys, unsubscribeTokenSql } from "@/lib/preferences/tokens";

export const EXPORT_COLUMNS = [
  "email",
  "first_name",
  "topic",
  "opted_in_at",
  "source",
  "wording_version",
  "unsubscribe_url",
] as const;

// A spreadsheet must never read a cell as a formula (CSV injection): the rule of
// lib/csv/cell.ts `formulaSafe` in SQL — the same pattern, on the NFKC form of the value.
const neutralize = (expr: string) =>
  `case when normalize(${expr}, NFKC) ~ '${FORMULA_SQL_PATTERN.replace(/'/g, "''")}' then '''' || ${expr} else ${expr} end`;

/** Statement that puts the HMAC pads into this session's settings, as bound parameters. */
const SET_KEYS = "select set_config('myaccount.unsub_ipad', $1, false), set_config('myaccount.unsub_opad', $2, false)";

/**
 * The export's SELECT. COPY takes no bind parameters, so what is inlined is only what cannot
 * carry anything: the topic id (checked against the topics table by the caller and a strict
 * pattern here), a cursor uuid, the day number and our own URL. The HMAC pads are read from
 * session settings (SET_KEYS), so no key material appears in the statement text.
 */
export function exportSelect(
  topicId: string,
  opts: { afterUserId?: string; limit?: number; withCursor?: boolean } = {},
): string {
  if (!/^[a-z0-9-]{1,40}$/.test(topicId)) throw new Error("bad topic id");
  if (opts.afterUserId && !/^[0-9a-f-]{36}$/.test(opts.afterUserId)) throw new Error("bad cursor");
  const base = `${appUrl()}/u/`.replace(/'/g, "''");
  const token = unsubscribeTokenSql({ userId: "s.user_id", topicCode: "t.code" }, dayNumber(), {
    ipad: `decode(current_setting('myaccount.unsub_ipad'), 'hex')`,
    opad: `decode(current_setting('myaccount.unsub_opad'), 'hex')`,
  });
  return `select ${opts.withCursor ? "s.user_id as _cursor, " : ""}${neutralize("u.email")} as email, ${neutralize("u.first_name")} as first_name, s.topic_id as topic,
      to_char(s.opted_in_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as opted_in_at,
      s.source::text as source, s.wording_version, '${base}' || ${token} as unsubscribe_url
    from subscriptions s
    join users u on u.id = s.user_id
    join email_topics t on t.id = s.topic_id
    where s.topic_id = '${topicId}' and s.status = 'granted' and u.email is not null
      ${opts.afterUserId ? `and s.user_id > '${opts.afterUserId}'` : ""}
    order by s.user_id${opts.limit ? ` limit ${Math.floor(opts.limit)}` : ""}`;
}

type ExportStream = { stream: Readable; rows: () => number };

/** Names the export's own connection in pg_stat_activity. */
export const EXPORT_APPLICATION_NAME = "myaccount-export";

/**
 * The opt-in list of a topic as CSV, streamed with flat memory: on Postgres `COPY … TO STDOUT`
 * straight from the server; on PGlite keyset-paged batches.
 */
export function exportOptIns(topicId: string): ExportStream {
  const header = `${EXPORT_COLUMNS.join(",")}\n`;
  const { ipadHex, opadHex } = sqlHmacKeys();
  let count = 0;

  if (dbHandle().driver === "postgres") {
    // A connection of its own, outside the pool: a big export may run for minutes, longer than
    // the pool's statement and query timeouts allow, and must not hold a pooled connection.
    let client: pg.Client | null = null;
    const close = () => {
      const c = client;
      client = null;
      // Ending the connection also makes the server abandon a COPY still running.
      c?.end().catch(() => {});
    };
    const stream = Readable.from(
      (async function* () {
        const e = env();
        client = new pg.Client({
          connectionString: e.DATABASE_URL,
          connectionTimeoutMillis: e.PG_CONNECT_TIMEOUT_MS,
          statement_timeout: 0,
          application_name: EXPORT_APPLICATION_NAME,
        });
        client.on("error", () => close());
        try {
          await client.connect();
          await client.query(SET_KEYS, [ipadHex, opadHex]);
          const copy = client.query(copyTo(`COPY (${exportSelect(topicId)}) TO STDOUT WITH (FORMAT csv)`));
          yield header;
          for await (const chunk of copy) yield chunk as Buffer;
          count = Number((copy as unknown as { rowCount?: number }).rowCount ?? 0);
        } finally {
          close();
        }
      })(),
    );
    // Destroyed before the generator ran its finally (e.g. the download was cancelled early).
    stream.on("close", close);
    return { stream, rows: () => count };
  }

  const stream = Readable.from(
    (async function* () {
      yield header;
      let after: string | undefined;
      for (;;) {
        const rows = await db.transaction(async (tx) => {
          await tx.execute(
            sql`select set_config('myaccount.unsub_ipad', ${ipadHex}, true), set_config('myaccount.unsub_opad', ${opadHex}, true)`,
          );
          const result = await tx.execute<Record<string, unknown>>(
            sql.raw(exportSelect(topicId, { afterUserId: after, limit: 5000, withCursor: true })),
          );
          return result.rows;
        });
        if (rows.length === 0) break;
        count += rows.length;
        after = String(rows[rows.length - 1]._cursor);
        yield rows.map((r) => EXPORT_COLUMNS.map((c) => csvField(r[c])).join(",")).join("\n") + "\n";
        if (rows.length < 5000) break;
      }
    })(),
  );
  return { stream, rows: () => count };
}

/** Why an export was refused; the route turns the code into a status and words (lib/messages). */
export type ExportRefusal = "exportSignedOut" | "exportForbidden" | "exportUnknownTopic";

/**
 * A download of one topic's opt-in list, for the person asking. Marketing and admin only; every
 * refused request is audited too, signed in or not. The start is audited before any data
 * leaves (an export that crashes midway is still on the record), and the end, finished or cut
 * off, once the stream ends or closes, with the rows sent.
 */
export async function openOptInExport(
  viewer: { userId: string; role: Role } | null,
  topicId: string,
  ip: string,
): Promise<{ ok: true; topicId: string; stream: Readable } | { ok: false; code: ExportRefusal }> {
  // Someone with no live session (none, expired, revoked) asking for the list is on the record too.
  if (!viewer) {
    await recordAudit(db, {
      actorId: null,
      subjectUserId: null,
      action: "marketing.export_denied",
      detail: { topic: topicId.slice(0, 40), reason: "signed out" },
      ip,
    });
    return { ok: false, code: "exportSignedOut" };
  }
  if (!can(viewer.role, "marketing")) {
    await recordAudit(db, {
      actorId: viewer.userId,
      subjectUserId: null,
      action: "marketing.export_denied",
      detail: { topic: topicId.slice(0, 40), role: viewer.role },
      ip,
    });
    return { ok: false, code: "exportForbidden" };
  }
  const topic = (await listMarketingTopics()).find((t) => t.id === topicId);
  if (!topic) return { ok: false, code: "exportUnknownTopic" };

  const started = Date.now();
  await recordAudit(db, {
    actorId: viewer.userId,
    subjectUserId: null,
    action: "marketing.export_started",
    detail: { topic: topic.id },
    ip,
  });
  const { stream, rows } = exportOptIns(topic.id);
  let audited = false;
  const audit = (complete: boolean) => {
    if (audited) return;
    audited = true;
    void recordAudit(db, {
      actorId: viewer.userId,
      subjectUserId: null,
      action: "marketing.export",
      detail: { topic: topic.id, rows: rows(), complete, ms: Date.now() - started },
      ip,
    }).catch((err) => console.error("[export] completion audit failed:", err));
  };
  stream.on("end", () => audit(true));
  stream.on("close", () => audit(false));
  return { ok: true, topicId: topic.id, stream };
}

import { Readable } from "node:stream";
import { to as copyTo } from "pg-copy-streams";
import { sql } from "drizzle-orm";
import { db, dbHandle } from "@/db/client";
import { appUrl } from "@/lib/env";
import { dayNumber, sqlHmacKeys } from "@/lib/preferences/tokens";

export const EXPORT_COLUMNS = ["email", "first_name", "topic", "opted_in_at", "source", "wording_version", "unsubscribe_url"] as const;

/** A spreadsheet must never read a cell as a formula (CSV injection): prefix such values with '. */
export function neutralizeCell(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

const neutralizeSql = (expr: string) => `case when ${expr} ~ '^[=+\\-@\\t\\r]' then '''' || ${expr} else ${expr} end`;

/**
 * The export's SELECT. Everything it needs is inlined as literals because COPY takes no bind
 * parameters: the topic id is checked against the topics table by the caller and passed through a
 * strict pattern here; the HMAC pads are hex; the day and the URL are ours.
 */
export function exportSelect(topicId: string, opts: { afterUserId?: string; limit?: number; withCursor?: boolean } = {}): string {
  if (!/^[a-z0-9-]{1,40}$/.test(topicId)) throw new Error("bad topic id");
  if (opts.afterUserId && !/^[0-9a-f-]{36}$/.test(opts.afterUserId)) throw new Error("bad cursor");
  const { ipadHex, opadHex } = sqlHmacKeys();
  const base = `${appUrl()}/u/`.replace(/'/g, "''");
  const payload = `'\\x01'::bytea || decode(replace(s.user_id::text, '-', ''), 'hex') || int2send(t.code::int2) || int4send(${dayNumber()}::int4)`;
  const token = `translate(encode(${payload} || substring(sha256('\\x${opadHex}'::bytea || sha256('\\x${ipadHex}'::bytea || ${payload})) from 1 for 16), 'base64'), E'+/=\\n', '-_')`;
  return `select ${opts.withCursor ? "s.user_id as _cursor, " : ""}${neutralizeSql("u.email")} as email, ${neutralizeSql("u.first_name")} as first_name, s.topic_id as topic,
      to_char(s.opted_in_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as opted_in_at,
      s.source::text as source, s.wording_version, '${base}' || ${token} as unsubscribe_url
    from subscriptions s
    join users u on u.id = s.user_id
    join email_topics t on t.id = s.topic_id
    where s.topic_id = '${topicId}' and s.status = 'granted' and u.email is not null
      ${opts.afterUserId ? `and s.user_id > '${opts.afterUserId}'` : ""}
    order by s.user_id${opts.limit ? ` limit ${Math.floor(opts.limit)}` : ""}`;
}

function csvField(value: unknown): string {
  const s = value === null || value === undefined ? "" : String(value);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export type ExportStream = { stream: Readable; rows: () => number };

/**
 * The opt-in list of a topic as CSV, streamed with flat memory: on Postgres `COPY … TO STDOUT`
 * straight from the server; on PGlite keyset-paged batches.
 */
export async function exportOptIns(topicId: string): Promise<ExportStream> {
  const handle = dbHandle();
  const header = `${EXPORT_COLUMNS.join(",")}\n`;
  if (handle.driver === "postgres" && handle.pool) {
    const client = await handle.pool.connect();
    const copy = client.query(copyTo(`COPY (${exportSelect(topicId)}) TO STDOUT WITH (FORMAT csv)`));
    let released = false;
    const release = (err?: Error) => {
      if (released) return;
      released = true;
      client.release(err);
    };
    copy.on("end", () => release());
    copy.on("error", (err) => release(err));
    const stream = Readable.from(
      (async function* () {
        yield header;
        try {
          for await (const chunk of copy) yield chunk as Buffer;
        } finally {
          // The browser went away mid-download: stop the COPY and hand the connection back broken.
          if (!released) {
            copy.destroy();
            release(new Error("export aborted"));
          }
        }
      })(),
    );
    return { stream, rows: () => Number((copy as unknown as { rowCount?: number }).rowCount ?? 0) };
  }
  let count = 0;
  const stream = Readable.from(
    (async function* () {
      yield header;
      let after: string | undefined;
      for (;;) {
        const { rows } = await db.execute<Record<string, unknown>>(
          sql.raw(exportSelect(topicId, { afterUserId: after, limit: 5000, withCursor: true })),
        );
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

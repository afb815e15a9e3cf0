import "server-only";
import { and, eq, sql } from "drizzle-orm";
import { db } from "@/db/client";
import { emailTopics, subscriptions } from "@/db/schema";
import { EXPORT_COLUMNS, exportSelect } from "@/lib/marketing/export";
import { sqlHmacKeys } from "@/lib/preferences/tokens";

export type MarketingRow = { topic: string; topicName: string; row: Record<(typeof EXPORT_COLUMNS)[number], string> };

/**
 * The rows the marketing team's opt-in export (lib/marketing/export.ts) would hold for this
 * customer today, one per topic they are opted in to. It runs the export's own SELECT, narrowed
 * to this person, so what is shown here cannot drift from what marketing downloads. Empty: the
 * customer is on no marketing list.
 */
export async function marketingRowsFor(userId: string): Promise<MarketingRow[]> {
  const topics = await db
    .select({ id: emailTopics.id, name: emailTopics.name })
    .from(subscriptions)
    .innerJoin(emailTopics, eq(emailTopics.id, subscriptions.topicId))
    .where(
      and(
        eq(subscriptions.userId, userId),
        eq(subscriptions.status, "granted"),
        eq(emailTopics.mailClass, "marketing"),
      ),
    )
    .orderBy(emailTopics.sortOrder);
  if (topics.length === 0) return [];
  const { ipadHex, opadHex } = sqlHmacKeys();
  return db.transaction(async (tx) => {
    await tx.execute(
      sql`select set_config('myaccount.unsub_ipad', ${ipadHex}, true), set_config('myaccount.unsub_opad', ${opadHex}, true)`,
    );
    const out: MarketingRow[] = [];
    for (const topic of topics) {
      const inner = sql.raw(exportSelect(topic.id, { withCursor: true }));
      const { rows } = await tx.execute<Record<string, unknown>>(
        sql`select * from (${inner}) e where e._cursor = ${userId}`,
      );
      for (const r of rows) {
        const row = Object.fromEntries(EXPORT_COLUMNS.map((c) => [c, r[c] == null ? "" : String(r[c])])) as Record<
          (typeof EXPORT_COLUMNS)[number],
          string
        >;
        out.push({ topic: topic.id, topicName: topic.name, row });
      }
    }
    return out;
  });
}

import "server-only";
import { sql } from "drizzle-orm";
import { db } from "@/db/client";

/** A card on file expires within this many days (or has expired): MyAccount's home says so. */
export const CARD_EXPIRY_NOTICE_DAYS = 60;
/** More active sessions than this: MyAccount's home suggests reviewing them. */
export const MANY_SESSIONS = 5;

export type AccountNotice =
  | { kind: "cardExpiring"; label: string; last4: string; expiry: string; expired: boolean }
  | { kind: "manySessions"; count: number };

type Row = {
  label: string | null;
  last4: string | null;
  exp_month: number | null;
  exp_year: number | null;
  /** A card is good through the last day of its expiry month (UTC). */
  card_ends_at: string | Date | null;
  sessions: number | string;
};

/**
 * Notices drawn from what we already hold: a card that expires soon, and many active sessions.
 * One statement, so the home page costs one more query at most.
 */
export async function accountNotices(userId: string): Promise<AccountNotice[]> {
  const { rows } = await db.execute<Row>(sql`
    select p.label, p.last4, p.exp_month, p.exp_year,
           case when p.kind = 'card' and p.exp_month is not null and p.exp_year is not null
                then make_timestamptz(p.exp_year, p.exp_month, 1, 0, 0, 0, 'UTC') + interval '1 month' end as card_ends_at,
           (select count(*) from sessions s
             where s.user_id = ${userId} and s.revoked_at is null and s.expires_at > now()) as sessions
    from (select ${userId}::uuid as id) u
    left join payment_methods p on p.user_id = u.id`);
  const row = rows[0];
  const notices: AccountNotice[] = [];
  if (row?.card_ends_at && row.label && row.last4 && row.exp_month && row.exp_year) {
    const endsAt = new Date(row.card_ends_at).getTime();
    if (endsAt - Date.now() <= CARD_EXPIRY_NOTICE_DAYS * 86_400_000) {
      notices.push({
        kind: "cardExpiring",
        label: row.label,
        last4: row.last4,
        expiry: `${String(row.exp_month).padStart(2, "0")}/${row.exp_year}`,
        expired: endsAt <= Date.now(),
      });
    }
  }
  const count = Number(row?.sessions ?? 0);
  if (count > MANY_SESSIONS) notices.push({ kind: "manySessions", count });
  return notices;
}

import "server-only";
import { eq, sql } from "drizzle-orm";
import { db, type Tx } from "@/db/client";
import { addresses, users } from "@/db/schema";
import { profileMailWindowSeconds } from "@/lib/env";
import { formatDateTime } from "@/lib/format";
import { sectionLabels } from "@/lib/profile/sections";
import { issueRecoveryLink } from "@/lib/recovery/tokens";
import { resolveTimeZone } from "@/lib/time-zone";
import { queueMail } from "./outbox";
import { paymentMethodChangedMail, profileUpdatedMail, type ChangedBy } from "./templates";

/**
 * The mail a profile change causes. Security-relevant changes (payment method; e-mail and password
 * have their own mails) go out at once, each on its own, with "This wasn't me". Everything else
 * gathers for PROFILE_MAIL_WINDOW from the first change into one "your profile was updated" mail
 * (profile_mail_digests), which the mail worker sends when the window closes.
 */

/** Who made a change, as the mail tells it: the customer, a rep on their behalf, or a chat they approved. */
export function changedBy(actor: { userId: string; actorId: string; detail?: Record<string, unknown> }): ChangedBy {
  if (typeof actor.detail?.chatId === "number") return "chat";
  return actor.actorId === actor.userId ? "you" : "rep";
}

function changeName(section: string): string {
  const label: string = Object.hasOwn(sectionLabels, section)
    ? sectionLabels[section as keyof typeof sectionLabels]
    : "profile";
  return `${label.charAt(0).toUpperCase()}${label.slice(1)} changed`;
}

/** The person's address and the zone their mail shows times in. */
async function recipient(tx: Tx, userId: string) {
  const [row] = await tx
    .select({ email: users.email, timeZone: users.timeZone, state: addresses.state })
    .from(users)
    .leftJoin(addresses, sql`${addresses.userId} = ${users.id} and ${addresses.kind} = 'service'`)
    .where(eq(users.id, userId));
  return row ? { email: row.email, timeZone: resolveTimeZone(row.timeZone, row.state) } : null;
}

/**
 * Called in the transaction of every profile change (lib/profile/update.ts). `payment` is a
 * security alert: `paymentSummary` null means the method was removed.
 */
export async function noticeOfProfileChange(
  tx: Tx,
  change: {
    userId: string;
    by: ChangedBy;
    section: string;
    paymentSummary?: string | null;
  },
): Promise<void> {
  if (change.section === "payment") {
    const to = await recipient(tx, change.userId);
    if (!to?.email) return;
    const eventAt = new Date();
    const notMeLink = await issueRecoveryLink(tx, { userId: change.userId, kind: "not_me", eventAt });
    await queueMail(tx, {
      to: to.email,
      ...paymentMethodChangedMail({
        summary: change.paymentSummary ?? null,
        when: formatDateTime(eventAt, to.timeZone),
        by: change.by,
        notMeLink,
      }),
    });
    return;
  }
  // The first change opens the window (due_at); later ones only append, so the window never
  // slides and a steady trickle of changes still gets its mail.
  await tx.execute(sql`
    insert into profile_mail_digests (user_id, changes, first_at, due_at)
    values (
      ${change.userId},
      jsonb_build_array(jsonb_build_object('at', now(), 'what', ${changeName(change.section)}::text, 'by', ${change.by}::text)),
      now(),
      now() + make_interval(secs => ${profileMailWindowSeconds()})
    )
    on conflict (user_id) do update set changes = profile_mail_digests.changes || excluded.changes`);
}

type DueDigest = {
  user_id: string;
  changes: { at: string; what: string; by: ChangedBy }[];
  email: string | null;
  time_zone: string | null;
  state: string | null;
};

/**
 * Turns digests whose window has closed into outbox mail. The DELETE … RETURNING over rows taken
 * with FOR UPDATE SKIP LOCKED and the queueing share one transaction: several workers never take
 * the same digest, and a crash leaves the digest in place rather than losing it. A change that
 * races with the delete waits for it, then opens a new window.
 */
export async function mailDueProfileDigests(limit = 25): Promise<number> {
  return db.transaction(async (tx) => {
    const { rows } = await tx.execute<DueDigest>(sql`
      with due as (
        delete from profile_mail_digests
        where user_id in (
          select user_id from profile_mail_digests
          where due_at <= now()
          order by due_at
          limit ${limit}
          for update skip locked
        )
        returning user_id, changes
      )
      select due.user_id, due.changes, u.email, u.time_zone, a.state
      from due
      join users u on u.id = due.user_id
      left join addresses a on a.user_id = u.id and a.kind = 'service'`);
    for (const d of rows) {
      if (!d.email) continue; // a closed account: nobody to tell
      const timeZone = resolveTimeZone(d.time_zone, d.state);
      const changes = (typeof d.changes === "string" ? JSON.parse(d.changes) : d.changes) as DueDigest["changes"];
      await queueMail(tx, {
        to: d.email,
        ...profileUpdatedMail(changes.map((c) => ({ what: c.what, when: formatDateTime(c.at, timeZone), by: c.by }))),
      });
    }
    return rows.length;
  });
}

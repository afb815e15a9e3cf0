import "server-only";
import { and, eq, sql } from "drizzle-orm";
import { db, type DbOrTx } from "@/db/client";
import { consentEvents, emailTopics, subscriptions, users, type ConsentSource } from "@/db/schema";
import { policyVersionInForce } from "@/lib/policy/versions";

type ConsentChange = {
  userId: string;
  topicId: string;
  action: "granted" | "withdrawn";
  source: ConsentSource;
  actorId: string | null;
  ip: string;
  userAgent: string;
};

export class TopicNotSwitchableError extends Error {
  constructor(topicId: string) {
    super(`Topic "${topicId}" does not exist or is transactional`);
  }
}

/**
 * The only function that changes a marketing choice. Appends a ledger event (with the exact
 * wording and its version, and the policy in force) and updates the current state, in the caller's
 * transaction. A change to the state already in force records nothing (idempotent).
 * Returns whether anything changed.
 */
export async function recordConsent(tx: DbOrTx, change: ConsentChange): Promise<boolean> {
  const [topic] = await tx
    .select({
      wording: emailTopics.wording,
      wordingVersion: emailTopics.wordingVersion,
      mailClass: emailTopics.mailClass,
    })
    .from(emailTopics)
    .where(eq(emailTopics.id, change.topicId));
  if (!topic || topic.mailClass !== "marketing") throw new TopicNotSwitchableError(change.topicId);
  // Lock the person (their subscription row may not exist yet, and FOR UPDATE on no row locks
  // nothing), so two changes at once serialise instead of both appending an event.
  await tx.select({ id: users.id }).from(users).where(eq(users.id, change.userId)).for("update");
  const [current] = await tx
    .select({ status: subscriptions.status })
    .from(subscriptions)
    .where(and(eq(subscriptions.userId, change.userId), eq(subscriptions.topicId, change.topicId)));
  // No row means never opted in, which is the same as withdrawn.
  if ((current?.status ?? "withdrawn") === change.action) return false;
  const [event] = await tx
    .insert(consentEvents)
    .values({
      userId: change.userId,
      topicId: change.topicId,
      action: change.action,
      source: change.source,
      actorId: change.actorId,
      wording: topic.wording,
      wordingVersion: topic.wordingVersion,
      policyVersion: await policyVersionInForce(tx),
      ip: change.ip,
      userAgent: change.userAgent.slice(0, 512),
    })
    .returning({ id: consentEvents.id, createdAt: consentEvents.createdAt });
  const optedInAt = change.action === "granted" ? event.createdAt : null;
  await tx
    .insert(subscriptions)
    .values({
      userId: change.userId,
      topicId: change.topicId,
      status: change.action,
      source: change.source,
      optedInAt,
      wordingVersion: topic.wordingVersion,
      lastEventId: event.id,
    })
    .onConflictDoUpdate({
      target: [subscriptions.userId, subscriptions.topicId],
      set: {
        status: change.action,
        source: change.source,
        optedInAt,
        wordingVersion: topic.wordingVersion,
        lastEventId: event.id,
        updatedAt: sql`now()`,
      },
    });
  return true;
}

/**
 * The RFC 8058 one-click withdrawal as one statement, because mail providers post these in bursts
 * and expect a fast answer. It follows recordConsent's rules: the person is locked first (so it
 * serialises with recordConsent), the subscription changes only if it is still granted (an UPDATE
 * re-checks that after any wait, so parallel clicks append exactly one event), and the ledger event
 * carries the topic's wording and the policy in force. Returns whether anything changed.
 */
export async function withdrawOneClick(
  userId: string,
  topicCode: number,
  meta: { ip: string; userAgent: string },
): Promise<boolean> {
  const policyVersion = await policyVersionInForce();
  const { rows } = await db.execute<{ id: number }>(sql`
    with person as (select id from users where id = ${userId} for update),
    topic as (select id, wording, wording_version from email_topics where code = ${topicCode} and mail_class = 'marketing'),
    changed as (
      update subscriptions s set status = 'withdrawn', source = 'one-click', opted_in_at = null,
        wording_version = topic.wording_version, updated_at = now(),
        last_event_id = nextval(pg_get_serial_sequence('consent_events', 'id'))
      from topic, person
      where s.user_id = person.id and s.topic_id = topic.id and s.status = 'granted'
      returning s.user_id, s.topic_id, s.last_event_id, topic.wording, topic.wording_version
    )
    insert into consent_events (id, user_id, topic_id, action, source, actor_id, wording, wording_version, policy_version, ip, user_agent)
    select last_event_id, user_id, topic_id, 'withdrawn', 'one-click', null, wording, wording_version,
           ${policyVersion}, ${meta.ip}, ${meta.userAgent.slice(0, 512)}
    from changed
    returning id`);
  return rows.length > 0;
}

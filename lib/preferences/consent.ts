import { and, eq, sql } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { consentEvents, emailTopics, subscriptions, users, type ConsentSource } from "@/db/schema";
import { CURRENT_POLICY_VERSION } from "@/lib/policy/current";

export type ConsentChange = {
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
    .select({ wording: emailTopics.wording, wordingVersion: emailTopics.wordingVersion, mailClass: emailTopics.mailClass })
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
      policyVersion: CURRENT_POLICY_VERSION,
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
      set: { status: change.action, source: change.source, optedInAt, wordingVersion: topic.wordingVersion, lastEventId: event.id, updatedAt: sql`now()` },
    });
  return true;
}

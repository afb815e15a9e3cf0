import "server-only";
import { and, asc, desc, eq } from "drizzle-orm";
import { db, type DbOrTx } from "@/db/client";
import { consentEvents, emailTopics, subscriptions } from "@/db/schema";

export type TopicChoice = {
  id: string;
  name: string;
  description: string;
  wording: string;
  mailClass: "marketing" | "transactional";
  subscribed: boolean;
};

/** Every topic with the person's current choice (transactional topics are always on). */
export async function getPreferences(userId: string, tx: DbOrTx = db): Promise<TopicChoice[]> {
  const rows = await tx
    .select({
      id: emailTopics.id,
      name: emailTopics.name,
      description: emailTopics.description,
      wording: emailTopics.wording,
      mailClass: emailTopics.mailClass,
      status: subscriptions.status,
    })
    .from(emailTopics)
    .leftJoin(subscriptions, and(eq(subscriptions.topicId, emailTopics.id), eq(subscriptions.userId, userId)))
    .orderBy(asc(emailTopics.sortOrder));
  return rows.map(({ status, ...t }) => ({
    ...t,
    subscribed: t.mailClass === "transactional" || status === "granted",
  }));
}

export async function listMarketingTopics(tx: DbOrTx = db) {
  return tx
    .select({
      id: emailTopics.id,
      code: emailTopics.code,
      name: emailTopics.name,
      wording: emailTopics.wording,
      listId: emailTopics.listId,
    })
    .from(emailTopics)
    .where(eq(emailTopics.mailClass, "marketing"))
    .orderBy(asc(emailTopics.sortOrder));
}

/** The person's consent history, newest first (shown on /account/activity). */
export async function listConsentHistory(userId: string, limit = 50) {
  return db
    .select({
      id: consentEvents.id,
      topic: emailTopics.name,
      action: consentEvents.action,
      source: consentEvents.source,
      wording: consentEvents.wording,
      policyVersion: consentEvents.policyVersion,
      createdAt: consentEvents.createdAt,
    })
    .from(consentEvents)
    .innerJoin(emailTopics, eq(emailTopics.id, consentEvents.topicId))
    .where(eq(consentEvents.userId, userId))
    .orderBy(desc(consentEvents.createdAt), desc(consentEvents.id))
    .limit(limit);
}

import "server-only";
import { and, eq } from "drizzle-orm";
import { db } from "@/db/client";
import { emailTopics, subscriptions, users } from "@/db/schema";
import { appUrl } from "@/lib/env";
import { recordConsent } from "./consent";
import { listMarketingTopics } from "./queries";
import { signUnsubscribeToken, verifyUnsubscribeToken } from "./tokens";

export function unsubscribeUrl(userId: string, topicCode: number): string {
  return `${appUrl()}/u/${signUnsubscribeToken(userId, topicCode)}`;
}

type UnsubscribeTarget = {
  userId: string;
  topicId: string;
  topicName: string;
  email: string;
  subscribed: boolean;
};

/** What a token names, or null when it is forged, altered, expired or for no marketing topic. */
export async function resolveUnsubscribeToken(token: string): Promise<UnsubscribeTarget | null> {
  const claims = verifyUnsubscribeToken(token);
  if (!claims) return null;
  const [row] = await db
    .select({
      topicId: emailTopics.id,
      topicName: emailTopics.name,
      mailClass: emailTopics.mailClass,
      email: users.email,
      status: subscriptions.status,
    })
    .from(emailTopics)
    .innerJoin(users, eq(users.id, claims.userId))
    .leftJoin(subscriptions, and(eq(subscriptions.userId, users.id), eq(subscriptions.topicId, emailTopics.id)))
    .where(eq(emailTopics.code, claims.topicCode))
    .limit(1);
  if (!row || row.mailClass !== "marketing") return null;
  return {
    userId: claims.userId,
    topicId: row.topicId,
    topicName: row.topicName,
    email: row.email ?? "",
    subscribed: row.status === "granted",
  };
}

/**
 * Withdraws consent for the token's topic (or every marketing topic). Idempotent: a second
 * request finds nothing to change and records nothing.
 */
export async function unsubscribe(
  target: UnsubscribeTarget,
  opts: { scope: "topic" | "all"; source: "one-click" | "email-link"; ip: string; userAgent: string },
): Promise<string[]> {
  return db.transaction(async (tx) => {
    const topicIds = opts.scope === "all" ? (await listMarketingTopics(tx)).map((t) => t.id) : [target.topicId];
    const changed: string[] = [];
    for (const topicId of topicIds) {
      const did = await recordConsent(tx, {
        userId: target.userId,
        topicId,
        action: "withdrawn",
        source: opts.source,
        actorId: null,
        ip: opts.ip,
        userAgent: opts.userAgent,
      });
      if (did) changed.push(topicId);
    }
    return changed;
  });
}

/**
 * "Subscribe again" on the page an unsubscribe link leads to: the token's topic is granted again,
 * recorded in the consent ledger with its own source. Idempotent like unsubscribe().
 */
export async function resubscribe(
  target: UnsubscribeTarget,
  meta: { ip: string; userAgent: string },
): Promise<boolean> {
  return db.transaction((tx) =>
    recordConsent(tx, {
      userId: target.userId,
      topicId: target.topicId,
      action: "granted",
      source: "resubscribe",
      actorId: null,
      ip: meta.ip,
      userAgent: meta.userAgent,
    }),
  );
}

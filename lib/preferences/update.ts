import "server-only";
import { db } from "@/db/client";
import type { ConsentSource } from "@/db/schema";
import { fail, ok, type Outcome } from "@/lib/actions/result";
import { recordAudit } from "@/lib/audit/record";
import { recordConsent } from "./consent";
import { listMarketingTopics } from "./queries";
import type { PreferencesInput } from "./schema";

export type ConsentActor = {
  userId: string;
  actorId: string;
  ip: string;
  userAgent: string;
  source: ConsentSource;
  /**
   * Why a customer service rep records the change (source "rep"): the ledger has no place for it,
   * so an audit row carries it, and the customer reads it in their account activity.
   */
  reason?: string;
};

/**
 * Saves the E-mail preferences form: "offers" from its Yes/No question, every other marketing
 * topic from its checkbox (absent = off, as a browser sends an unticked box).
 */
export async function savePreferences(
  actor: ConsentActor,
  input: PreferencesInput,
): Promise<Outcome<{ changed: string[] }>> {
  const topics = await listMarketingTopics();
  // A topic that does not exist or is transactional cannot be switched: refuse, change nothing.
  const unknown = Object.keys(input).filter(
    (k) => k.startsWith("topic:") && !topics.some((t) => `topic:${t.id}` === k && t.id !== "offers"),
  );
  if (unknown.length) return fail("topicNotSwitchable");
  const changed = await db.transaction(async (tx) => {
    const names: string[] = [];
    for (const topic of topics) {
      const box = input[`topic:${topic.id}`];
      const wanted = topic.id === "offers" ? input.offers === "yes" : box === "on" || box === true;
      // The form says what each choice was when it was loaded ("was:<topic>"). A choice the person
      // did not touch is not written: a form left open in another tab must not undo an unsubscribe
      // made since from an e-mail.
      const loaded = input[`was:${topic.id}`];
      if ((loaded === "yes" || loaded === "no") && (loaded === "yes") === wanted) continue;
      const didChange = await recordConsent(tx, {
        userId: actor.userId,
        topicId: topic.id,
        action: wanted ? "granted" : "withdrawn",
        source: actor.source,
        actorId: actor.actorId,
        ip: actor.ip,
        userAgent: actor.userAgent,
      });
      if (didChange) names.push(`${topic.name}: ${wanted ? "yes" : "no"}`);
    }
    if (actor.reason && names.length) {
      await recordAudit(tx, {
        actorId: actor.actorId,
        subjectUserId: actor.userId,
        action: "preferences.changed",
        detail: { changed: names, reason: actor.reason },
        ip: actor.ip,
      });
    }
    return names;
  });
  return ok(
    { changed },
    changed.length
      ? `Your e-mail preferences were saved (${changed.join("; ")}).`
      : "No changes — your e-mail preferences are as they were.",
  );
}

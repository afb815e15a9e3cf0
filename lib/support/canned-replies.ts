import "server-only";
import { and, asc, eq, sql } from "drizzle-orm";
import { db } from "@/db/client";
import { chatCannedReplies } from "@/db/schema";
import { fail, ok, type Outcome } from "@/lib/actions/result";
import { recordAudit } from "@/lib/audit/record";

export type CannedReply = { id: string; title: string; body: string; version: number };

/** Every canned reply, by title (reps pick one; admins edit them). */
export async function listCannedReplies(): Promise<CannedReply[]> {
  return db
    .select({
      id: chatCannedReplies.id,
      title: chatCannedReplies.title,
      body: chatCannedReplies.body,
      version: chatCannedReplies.version,
    })
    .from(chatCannedReplies)
    .orderBy(asc(chatCannedReplies.title), asc(chatCannedReplies.createdAt));
}

type Actor = { userId: string; ip: string };
const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Creates a reply (no id) or saves an edit when its version is still current. */
export async function saveCannedReply(
  actor: Actor,
  input: { id: string; version: number; title: string; body: string },
): Promise<Outcome<CannedReply>> {
  if (input.id && !uuidPattern.test(input.id)) return fail("cannedReplyGone");
  const result = await db.transaction(async (tx) => {
    if (!input.id) {
      const [created] = await tx
        .insert(chatCannedReplies)
        .values({ title: input.title, body: input.body, createdBy: actor.userId })
        .returning({
          id: chatCannedReplies.id,
          title: chatCannedReplies.title,
          body: chatCannedReplies.body,
          version: chatCannedReplies.version,
        });
      await recordAudit(tx, {
        actorId: actor.userId,
        subjectUserId: null,
        action: "support.canned_reply_created",
        detail: { id: created.id, title: created.title },
        ip: actor.ip,
      });
      return created;
    }
    const [updated] = await tx
      .update(chatCannedReplies)
      .set({
        title: input.title,
        body: input.body,
        version: sql`${chatCannedReplies.version} + 1`,
        updatedAt: sql`now()`,
      })
      .where(and(eq(chatCannedReplies.id, input.id), eq(chatCannedReplies.version, input.version)))
      .returning({
        id: chatCannedReplies.id,
        title: chatCannedReplies.title,
        body: chatCannedReplies.body,
        version: chatCannedReplies.version,
      });
    if (!updated) return null;
    await recordAudit(tx, {
      actorId: actor.userId,
      subjectUserId: null,
      action: "support.canned_reply_updated",
      detail: { id: updated.id, title: updated.title },
      ip: actor.ip,
    });
    return updated;
  });
  if (result) return ok(result, input.id ? "Reply saved." : "Reply added.");
  return staleOrGone(input.id);
}

/** Deletes a reply when nobody changed it since the page was loaded. */
export async function deleteCannedReply(actor: Actor, input: { id: string; version: number }): Promise<Outcome<null>> {
  if (!uuidPattern.test(input.id)) return fail("cannedReplyGone");
  const deleted = await db.transaction(async (tx) => {
    const [row] = await tx
      .delete(chatCannedReplies)
      .where(and(eq(chatCannedReplies.id, input.id), eq(chatCannedReplies.version, input.version)))
      .returning({ title: chatCannedReplies.title });
    if (!row) return false;
    await recordAudit(tx, {
      actorId: actor.userId,
      subjectUserId: null,
      action: "support.canned_reply_deleted",
      detail: { id: input.id, title: row.title },
      ip: actor.ip,
    });
    return true;
  });
  if (deleted) return ok(null, "Reply deleted.");
  return staleOrGone(input.id);
}

/** A refused edit: "changed since" with the stored text, or "deleted". */
async function staleOrGone(id: string): Promise<Outcome<never>> {
  const [current] = await db
    .select({ title: chatCannedReplies.title, body: chatCannedReplies.body, version: chatCannedReplies.version })
    .from(chatCannedReplies)
    .where(eq(chatCannedReplies.id, id));
  if (!current) return fail("cannedReplyGone");
  return {
    ...fail("staleSection"),
    values: { id, title: current.title, body: current.body, version: String(current.version) },
  };
}

import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { db } from "@/db/client";
import { auditEvents } from "@/db/schema";
import { createUser } from "@/lib/test/factories";
import { deleteCannedReply, listCannedReplies, saveCannedReply } from "./canned-replies";

async function admin() {
  const u = await createUser({ role: "admin" });
  return { userId: u.id, ip: "198.51.100.7" };
}

describe("canned replies", () => {
  it("canned: an admin adds and edits a reply, each with an audit row", async () => {
    const actor = await admin();
    const created = await saveCannedReply(actor, {
      id: "",
      version: 0,
      title: "Greeting",
      body: "Hi, how can I help?",
    });
    expect(created).toMatchObject({ ok: true, message: "Reply added." });
    if (!created.ok) return;
    const edited = await saveCannedReply(actor, { ...created.data, body: "Hello! How can I help today?" });
    expect(edited).toMatchObject({ ok: true, data: { version: 2, body: "Hello! How can I help today?" } });
    expect((await listCannedReplies()).find((r) => r.id === created.data.id)?.body).toBe(
      "Hello! How can I help today?",
    );
    const audits = await db
      .select({ action: auditEvents.action })
      .from(auditEvents)
      .where(eq(auditEvents.actorId, actor.userId));
    expect(audits.map((a) => a.action).sort()).toEqual([
      "support.canned_reply_created",
      "support.canned_reply_updated",
    ]);
  });

  it("canned: a stale edit is refused with the stored text, and nothing changes", async () => {
    const actor = await admin();
    const created = await saveCannedReply(actor, { id: "", version: 0, title: "Outage", body: "We know." });
    if (!created.ok) throw new Error("not created");
    await saveCannedReply(actor, { ...created.data, body: "We know, and we're on it." });
    const stale = await saveCannedReply(actor, { ...created.data, body: "Overwrite?" });
    expect(stale).toMatchObject({
      ok: false,
      error: "staleSection",
      values: { body: "We know, and we're on it.", version: "2" },
    });
    const staleDelete = await deleteCannedReply(actor, { id: created.data.id, version: 1 });
    expect(staleDelete).toMatchObject({ ok: false, error: "staleSection" });
    expect((await listCannedReplies()).find((r) => r.id === created.data.id)?.body).toBe("We know, and we're on it.");
  });

  it("canned: a deleted reply is gone for the next edit", async () => {
    const actor = await admin();
    const created = await saveCannedReply(actor, { id: "", version: 0, title: "Bye", body: "Thanks for chatting." });
    if (!created.ok) throw new Error("not created");
    expect(await deleteCannedReply(actor, { id: created.data.id, version: 1 })).toMatchObject({ ok: true });
    expect((await listCannedReplies()).some((r) => r.id === created.data.id)).toBe(false);
    expect(await saveCannedReply(actor, { ...created.data, body: "x" })).toMatchObject({
      ok: false,
      error: "cannedReplyGone",
    });
  });
});

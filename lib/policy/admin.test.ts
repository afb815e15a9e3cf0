import { and, eq, inArray, sql } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { db } from "@/db/client";
import { auditEvents, mailOutbox, policyNotices, policyVersions } from "@/db/schema";
import { runSecureAction } from "@/lib/actions/door";
import { createSession, findActiveSession } from "@/lib/auth/sessions";
import type { RequestContext } from "@/lib/http/request-context";
import { messages } from "@/lib/messages";
import { createUser } from "@/lib/test/factories";
import { policyActions } from "./actions";
import { earliestMaterialDate, latestDraft, publishDraft, saveDraft, startDraft, withdrawUpcoming } from "./admin";
import { noticeSubject, queueNoticeBatch, runNoticeMailing } from "./notices";
import { currentPolicy, invalidatePolicyCache, upcomingPolicy } from "./versions";

const https: RequestContext = { proto: "https", clientIp: "203.0.113.9", userAgent: "test" };

async function admin() {
  const user = await createUser({ role: "admin" });
  return { userId: user.id, ip: "203.0.113.9" };
}

/** A fresh draft with one changed line, marked material or not. */
async function draftWith(actor: { userId: string; ip: string }, material: boolean, line: string) {
  const started = await startDraft(actor);
  if (!started.ok) throw new Error("no draft");
  const draft = (await latestDraft())!;
  const saved = await saveDraft(actor, {
    id: draft.id,
    rowVersion: draft.rowVersion,
    markdown: `${draft.markdown}\n\n${line}`,
    summary: `Adds: ${line}`,
    material,
  });
  if (!saved.ok) throw new Error("not saved");
  return { id: draft.id, rowVersion: saved.data.rowVersion };
}

const published: number[] = [];

afterEach(async () => {
  // Leave no upcoming version behind for whatever runs next on the shared database.
  const actor = await admin();
  for (const id of published.splice(0)) await withdrawUpcoming(actor, { id }, new Date("2000-01-01T00:00:00Z"));
  invalidatePolicyCache();
});

describe("policy versions: drafting and publishing", () => {
  it("publish: a material change is refused before 30 days (naming the earliest date) and accepted at exactly 30", async () => {
    const actor = await admin();
    const d = await draftWith(actor, true, "We now keep chat transcripts for one year.");
    const now = new Date("2030-01-01T00:00:00Z");
    expect(earliestMaterialDate(now).toISOString()).toBe("2030-01-31T00:00:00.000Z");
    expect(earliestMaterialDate(new Date("2030-01-01T00:00:01Z")).toISOString()).toBe("2030-02-01T00:00:00.000Z");

    const early = await publishDraft(actor, { ...d, effectiveDate: "2030-01-30" }, now);
    expect(early).toMatchObject({
      ok: false,
      error: { code: "policyTooEarly", earliest: "Jan 31, 2030 (2030-01-31)" },
    });
    const past = await publishDraft(actor, { ...d, effectiveDate: "2029-12-31" }, now);
    expect(past).toMatchObject({ ok: false, fieldErrors: { effectiveDate: ["policyPastDate"] } });
    const [still] = await db.select().from(policyVersions).where(eq(policyVersions.id, d.id));
    expect(still.status).toBe("draft");

    const done = await publishDraft(actor, { ...d, effectiveDate: "2030-01-31" }, now);
    expect(done).toMatchObject({ ok: true, data: { version: "2030-01-31", material: true } });
    published.push(d.id);
    invalidatePolicyCache();
    expect((await upcomingPolicy(now))?.version).toBe("2030-01-31");
    expect((await currentPolicy(new Date("2030-01-30T23:59:59Z")))?.version).not.toBe("2030-01-31");
    expect((await currentPolicy(new Date("2030-01-31T00:00:00Z")))?.version).toBe("2030-01-31");
    const audit = await db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.actorId, actor.userId), eq(auditEvents.action, "policy.published")));
    expect(audit).toHaveLength(1);
  });

  it("publish: a non-material change may take effect today but not yesterday; a second upcoming one is refused", async () => {
    const actor = await admin();
    const now = new Date("2031-06-15T10:00:00Z");
    const d = await draftWith(actor, false, "Typo fixed.");
    expect(await publishDraft(actor, { ...d, effectiveDate: "2031-06-14" }, now)).toMatchObject({ ok: false });
    const res = await publishDraft(actor, { ...d, effectiveDate: "2031-06-16" }, now);
    expect(res).toMatchObject({ ok: true, data: { material: false, noticeTotal: 0 } });
    published.push(d.id);
    const other = await draftWith(actor, false, "Another change.");
    expect(await publishDraft(actor, { ...other, effectiveDate: "2031-07-01" }, now)).toMatchObject({
      ok: false,
      error: "policyUpcomingExists",
    });
  });

  it("edit: a stale save is refused and keeps what was typed; publishing needs the previewed row version", async () => {
    const actor = await admin();
    const d = await draftWith(actor, false, "First edit.");
    const stale = await saveDraft(actor, {
      id: d.id,
      rowVersion: d.rowVersion - 1,
      markdown: "my typed text",
      summary: "mine",
      material: true,
    });
    expect(stale).toMatchObject({
      ok: false,
      error: "policyDraftStale",
      values: { markdown: "my typed text", summary: "mine", material: "on", rowVersion: String(d.rowVersion) },
    });
    const [row] = await db.select().from(policyVersions).where(eq(policyVersions.id, d.id));
    expect(row.markdown).toContain("First edit.");
    const res = await publishDraft(actor, { id: d.id, rowVersion: d.rowVersion - 1, effectiveDate: "2999-01-01" });
    expect(res).toMatchObject({ ok: false, error: "policyDraftStale" });
  });

  it("door: a customer, a rep and a marketer calling any policy action are refused and nothing is written", async () => {
    const before = await db.select({ n: sql<number>`count(*)::int` }).from(policyVersions);
    const draft = await latestDraft();
    for (const role of ["customer", "rep", "marketing"] as const) {
      const user = await createUser({ role });
      const sessionId = await createSession(db, { userId: user.id, userAgent: "test", ip: "203.0.113.9" });
      const deps = { request: async () => https, session: () => findActiveSession(sessionId) };
      const inputs = {
        startDraft: {},
        saveDraft: { id: String(draft?.id ?? 1), rowVersion: "1", markdown: "hacked", summary: "", material: "on" },
        publish: { id: String(draft?.id ?? 1), rowVersion: "1", effectiveDate: "2999-01-01" },
        withdraw: { id: "1" },
      };
      for (const [name, input] of Object.entries(inputs)) {
        const action = policyActions[name as keyof typeof policyActions];
        const result = await runSecureAction(
          action.options,
          action.handler as never,
          input as Record<string, unknown>,
          deps,
        );
        expect(result).toMatchObject({ ok: false, formError: messages.forbidden, code: "forbidden" });
      }
      const audit = await db.select().from(auditEvents).where(eq(auditEvents.actorId, user.id));
      expect(audit).toEqual([]);
    }
    const after = await db.select({ n: sql<number>`count(*)::int` }).from(policyVersions);
    expect(after[0].n).toBe(before[0].n);
    if (draft) {
      const [row] = await db.select().from(policyVersions).where(eq(policyVersions.id, draft.id));
      expect(row.markdown).not.toBe("hacked");
    }
  });

  it("door: plain HTTP is refused even for an admin", async () => {
    const user = await createUser({ role: "admin" });
    const sessionId = await createSession(db, { userId: user.id, userAgent: "test", ip: "203.0.113.9" });
    const result = await runSecureAction(
      policyActions.startDraft.options,
      policyActions.startDraft.handler as never,
      {},
      { request: async () => ({ ...https, proto: "http" }), session: () => findActiveSession(sessionId) },
    );
    expect(result).toMatchObject({ ok: false, code: "httpsRequired" });
  });
});

describe("policy notice mailing", () => {
  it("notice: one mail per customer, batched, resumable after an interruption, never twice", async () => {
    const actor = await admin();
    const customers = await Promise.all([createUser(), createUser(), createUser()]);
    const staff = await createUser({ role: "rep" });
    const d = await draftWith(actor, true, "A material change.");
    const now = new Date();
    const day = earliestMaterialDate(now).toISOString().slice(0, 10);
    const res = await publishDraft(actor, { ...d, effectiveDate: day }, now);
    expect(res.ok).toBe(true);
    published.push(d.id);
    const [v] = await db.select().from(policyVersions).where(eq(policyVersions.id, d.id));
    expect(v.noticeTotal).toBeGreaterThanOrEqual(3);
    const subject = noticeSubject(v.effectiveAt!);

    // One batch of two, then "the process stops".
    expect(await runNoticeMailing(d.id, { batchSize: 2, maxBatches: 1 })).toBe(2);
    const [afterOne] = await db.select().from(policyVersions).where(eq(policyVersions.id, d.id));
    expect(afterOne).toMatchObject({ noticeQueued: 2, noticeDoneAt: null });
    expect(afterOne.noticeCursor).not.toBeNull();

    // A restart continues from the cursor; two workers at once do not double anything.
    await Promise.all([runNoticeMailing(d.id, { batchSize: 50 }), runNoticeMailing(d.id, { batchSize: 50 })]);
    await runNoticeMailing(d.id);
    const [finished] = await db.select().from(policyVersions).where(eq(policyVersions.id, d.id));
    expect(finished.noticeDoneAt).not.toBeNull();
    expect(finished.noticeQueued).toBe(finished.noticeTotal);

    const ids = [...customers.map((c) => c.id), staff.id];
    const mails = await db
      .select({ userId: mailOutbox.userId, text: mailOutbox.textBody, to: mailOutbox.toAddress })
      .from(mailOutbox)
      .where(and(inArray(mailOutbox.userId, ids), eq(mailOutbox.subject, subject)));
    expect(mails.map((m) => m.userId).sort()).toEqual(customers.map((c) => c.id).sort());
    expect(mails[0].text).toContain("/privacy/changes");
    expect(mails[0].text).toContain("A material change.");

    // Even with the progress lost, nobody is mailed again.
    await db.update(policyVersions).set({ noticeCursor: null, noticeDoneAt: null }).where(eq(policyVersions.id, d.id));
    expect(await runNoticeMailing(d.id, { batchSize: 1000 })).toBe(0);
    const notices = await db
      .select()
      .from(policyNotices)
      .where(and(eq(policyNotices.policyVersionId, d.id), inArray(policyNotices.userId, ids)));
    expect(notices).toHaveLength(3);

    // Withdrawn before it takes effect: mails not yet sent are cancelled, no more are queued.
    expect(await withdrawUpcoming(actor, { id: d.id })).toMatchObject({ ok: true });
    published.splice(published.indexOf(d.id), 1);
    const left = await db
      .select()
      .from(mailOutbox)
      .where(and(inArray(mailOutbox.userId, ids), eq(mailOutbox.subject, subject), eq(mailOutbox.status, "pending")));
    expect(left).toEqual([]);
    expect(await queueNoticeBatch(d.id)).toMatchObject({ claimed: false });
  });
});

import { randomUUID } from "node:crypto";
import { and, eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { db } from "@/db/client";
import { auditEvents, mailOutbox, newsletters } from "@/db/schema";
import { say } from "@/lib/messages";
import { createUser } from "@/lib/test/factories";
import { cancelNewsletter, checkMergeFields, previewDigest, scheduleInstant, startNewsletter } from "./newsletter";

describe("newsletters", () => {
  it("newsletter: the preview digest changes with topic, subject or body", () => {
    const base = { topicId: "offers", subject: "Hi", body: "Text" };
    const d = previewDigest(base);
    expect(previewDigest({ ...base })).toBe(d);
    expect(previewDigest({ ...base, topicId: "newsletter" })).not.toBe(d);
    expect(previewDigest({ ...base, subject: "Hi!" })).not.toBe(d);
    expect(previewDigest({ ...base, body: "Text." })).not.toBe(d);
  });

  it("newsletter: a second copy for the same person is refused by the database", async () => {
    const u = await createUser();
    const [n] = await db
      .insert(newsletters)
      .values({ topicId: "newsletter", subject: "Once", bodyMarkdown: "x" })
      .returning({ id: newsletters.id });
    const row = {
      mailClass: "marketing" as const,
      userId: u.id,
      topicId: "newsletter",
      newsletterId: n.id,
      toAddress: u.email,
      subject: "Once",
      textBody: "x",
    };
    await db.insert(mailOutbox).values(row);
    await expect(db.insert(mailOutbox).values(row)).rejects.toThrow();
    expect(await db.execute(sql`select 1`)).toBeTruthy();
  });
});

describe("sending once, scheduling and cancelling", () => {
  const composition = { topicId: "newsletter", subject: "Once only", body: "Hello {first_name|there}" };

  it("newsletter: two starts with one send key at the same moment make one newsletter, and both answer with it (Postgres: real concurrency)", async () => {
    const staff = await createUser({ role: "marketing" });
    const sendKey = randomUUID();
    // Scheduled, so nothing is queued to the shared outbox: the key is what is under test.
    const later = new Date(Date.now() + 3_600_000);
    const meta = { actorId: staff.id, ip: "", timeZone: "UTC" };
    const answers = await Promise.all(
      [1, 2, 3].map(() => startNewsletter({ ...composition, sendKey, scheduledAt: later }, meta)),
    );
    const rows = await db.select().from(newsletters).where(eq(newsletters.sendKey, sendKey));
    expect(rows).toHaveLength(1);
    for (const a of answers) expect(a.ok && a.data.id).toBe(rows[0].id);
    expect(answers.filter((a) => a.ok && !a.data.alreadyDone)).toHaveLength(1);
    const again = answers.find((a) => a.ok && a.data.alreadyDone);
    expect(again?.ok && again.message).toMatch(
      /^This newsletter was already sent or scheduled; nothing new was sent\. It is scheduled for /,
    );
    // One audit row: the one that made it.
    const audits = await db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.actorId, staff.id), eq(auditEvents.action, "marketing.newsletter_scheduled")));
    expect(audits).toHaveLength(1);
    expect(rows[0]).toMatchObject({ status: "scheduled", scheduledAt: later, timeZone: "UTC", startedAt: null });
  });

  it("newsletter: a transactional topic is refused, and nothing is made", async () => {
    const staff = await createUser({ role: "marketing" });
    const sendKey = randomUUID();
    const r = await startNewsletter(
      { ...composition, topicId: "account-activity", sendKey },
      { actorId: staff.id, ip: "", timeZone: "UTC" },
    );
    expect(r).toEqual({
      ok: false,
      error: "chooseMarketingTopic",
      fieldErrors: { topicId: ["chooseMarketingTopicField"] },
    });
    expect(await db.select().from(newsletters).where(eq(newsletters.sendKey, sendKey))).toEqual([]);
  });

  it("newsletter: an unknown merge field is refused on the field that uses it, by name", () => {
    const r = checkMergeFields({ subject: "Hi {frist_name}", body: "Dear {last_name}, {first_name|there}" });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(say(r.error)).toBe("The message uses a merge field that doesn't exist. Correct it, then preview again.");
    expect(r.fieldErrors?.subject?.map(say)).toEqual([
      "There is no merge field {frist_name}. Use {first_name}, with a fallback after a bar if you like: {first_name|there}",
    ]);
    expect(r.fieldErrors?.body?.map(say)[0]).toMatch(/^There is no merge field \{last_name\}\. /);
    expect(checkMergeFields({ subject: "Hi {first_name}", body: "{first_name|friend}" }).ok).toBe(true);
  });

  it("newsletter: a schedule in the past, over a year ahead, in a spring-forward gap or missing is refused on its field", () => {
    const now = new Date("2026-03-01T12:00:00Z");
    const refusal = (sendAt: string | undefined, zone = "America/New_York") => {
      const r = scheduleInstant(sendAt, zone, now);
      return r.ok ? r.data.toISOString() : r.fieldErrors?.sendAt?.map(say)[0];
    };
    expect(refusal("2026-03-01T06:59")).toBe("That time has already passed. Choose a later time, or Send now");
    expect(refusal("2026-03-01T07:00")).toBe("That time has already passed. Choose a later time, or Send now");
    expect(refusal("2026-03-01T07:01")).toBe("2026-03-01T12:01:00.000Z");
    expect(refusal("2027-03-03T07:00")).toBe("Choose a time within the next 12 months");
    expect(refusal("2026-03-08T02:30")).toBe(
      "That time doesn't exist in America/New_York: the clocks skip it that night. Choose a time outside the change",
    );
    expect(refusal("2026-03-08T03:30")).toBe("2026-03-08T07:30:00.000Z");
    expect(refusal(undefined)).toBe("Choose the date and time to send it");
    expect(refusal("tomorrow")).toBe("Enter a date and a time, such as 2026-12-24 09:00");
  });

  it("newsletter: a scheduled send can be cancelled (audited, who and when) until it starts; after that it is refused", async () => {
    const staff = await createUser({ role: "marketing" });
    const meta = { actorId: staff.id, ip: "198.51.100.7", timeZone: "America/Denver" };
    const made = await startNewsletter(
      { ...composition, sendKey: randomUUID(), scheduledAt: new Date(Date.now() + 3_600_000) },
      meta,
    );
    if (!made.ok) throw new Error("not scheduled");
    const id = made.data.id;
    expect(made.message).toMatch(/^Scheduled for .* M[SD]T to everyone opted in to Monthly newsletter then\./);

    const cancelled = await cancelNewsletter(id, meta);
    expect(cancelled).toEqual({ ok: true, data: { id }, message: "Cancelled “Once only”. Nothing was sent." });
    const [row] = await db.select().from(newsletters).where(eq(newsletters.id, id));
    expect(row).toMatchObject({ status: "cancelled", cancelledBy: staff.id, startedAt: null });
    expect(row.cancelledAt).toBeInstanceOf(Date);
    const audit = await db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.actorId, staff.id), eq(auditEvents.action, "marketing.newsletter_cancelled")));
    expect(audit.map((a) => [a.detail, a.ip])).toEqual([[{ newsletterId: id, topic: "newsletter" }, "198.51.100.7"]]);
    expect(await cancelNewsletter(id, meta)).toEqual({ ok: false, error: "newsletterAlreadyCancelled" });

    // One that has started (as the scheduler leaves it) can no longer be cancelled.
    const [running] = await db
      .insert(newsletters)
      .values({ topicId: "newsletter", subject: "Started", bodyMarkdown: "x", status: "queueing" })
      .returning({ id: newsletters.id });
    const late = await cancelNewsletter(running.id, meta);
    expect(late).toEqual({ ok: false, error: "newsletterAlreadyStarted" });
    expect(say("newsletterAlreadyStarted")).toBe("It has already started, so it can no longer be cancelled.");
    expect(await cancelNewsletter(randomUUID(), meta)).toEqual({ ok: false, error: "newsletterNotFound" });
    // Leave nothing for queueing to pick up in a shared database.
    await db.update(newsletters).set({ status: "queued" }).where(eq(newsletters.id, running.id));
  });
});

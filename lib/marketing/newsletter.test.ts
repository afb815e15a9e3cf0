import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { db } from "@/db/client";
import { mailOutbox, newsletters } from "@/db/schema";
import { recordConsent } from "@/lib/preferences/consent";
import { createUser } from "@/lib/test/factories";
import { previewDigest } from "./newsletter";
import { QUEUE_BATCH, queueNewsletter } from "./queue";

describe("newsletters", () => {
  it("newsletter: queueing again after an interruption adds nobody twice", async () => {
    const people = [];
    for (let i = 0; i < 3; i++) {
      const u = await createUser();
      await db.transaction((tx) =>
        recordConsent(tx, {
          userId: u.id,
          topicId: "newsletter",
          action: "granted",
          source: "account",
          actorId: u.id,
          ip: "",
          userAgent: "",
        }),
      );
      people.push(u.id);
    }
    const [n] = await db
      .insert(newsletters)
      .values({ topicId: "newsletter", subject: "Twice?", bodyMarkdown: "x" })
      .returning({ id: newsletters.id });
    const first = await queueNewsletter(n.id);
    // As if the process stopped midway and resumeNewsletters() ran the queueing again.
    await db.update(newsletters).set({ status: "queueing" }).where(eq(newsletters.id, n.id));
    const second = await queueNewsletter(n.id);
    expect(second).toBe(first);
    const rows = await db.select().from(mailOutbox).where(eq(mailOutbox.newsletterId, n.id));
    for (const id of people) expect(rows.filter((r) => r.userId === id)).toHaveLength(1);
    expect(QUEUE_BATCH).toBeGreaterThan(1);
  });

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

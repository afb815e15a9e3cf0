import { inArray, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/db/client";
import { emailTopics, newsletters } from "@/db/schema";
import { createUser } from "@/lib/test/factories";
import { cancelNewsletter } from "./newsletter";
import { startDueNewsletters } from "./scheduler";

// A topic of this file's own with nobody opted in: a started newsletter queues no mail, so no
// other test file's SMTP sink (Postgres runs share one database and outbox) ever sees these.
const topicId = "scheduler-test";

beforeAll(async () => {
  await db.insert(emailTopics).values({
    id: topicId,
    code: 9301,
    mailClass: "marketing",
    name: "Scheduler test",
    description: "test",
    wording: "Send me scheduler tests",
    listId: "scheduler-test.example",
  });
});

afterAll(async () => {
  await db.execute(sql`delete from newsletters where topic_id = ${topicId}`);
  await db.execute(sql`delete from email_topics where id = ${topicId}`);
});

/** A newsletter scheduled `seconds` from the database's now (negative: already due). */
async function scheduled(seconds: number, subject = "Scheduled"): Promise<string> {
  const [row] = await db
    .insert(newsletters)
    .values({
      topicId,
      subject,
      bodyMarkdown: "Hello {first_name|there}",
      status: "scheduled",
      scheduledAt: sql`now() + make_interval(secs => ${seconds})`,
      timeZone: "America/Denver",
    })
    .returning({ id: newsletters.id });
  return row.id;
}

async function statuses(ids: string[]) {
  const rows = await db
    .select({ id: newsletters.id, status: newsletters.status, startedAt: newsletters.startedAt })
    .from(newsletters)
    .where(inArray(newsletters.id, ids));
  return Object.fromEntries(rows.map((r) => [r.id, r]));
}

describe("newsletter scheduler", () => {
  it("scheduler: starts what is due, leaves what is not yet due and what was cancelled", async () => {
    const due = await scheduled(-5);
    const later = await scheduled(3600);
    const cancelled = await scheduled(-5);
    const staff = await createUser({ role: "marketing" });
    expect((await cancelNewsletter(cancelled, { actorId: staff.id, ip: "" })).ok).toBe(true);

    const started = await startDueNewsletters();
    expect(started).toContain(due);
    expect(started).not.toContain(later);
    expect(started).not.toContain(cancelled);
    const now = await statuses([due, later, cancelled]);
    // Nobody is opted in to this topic: queueing ends at once with 0 recipients.
    expect(now[due].status).toBe("queued");
    expect(now[due].startedAt).toBeInstanceOf(Date);
    expect(now[later]).toMatchObject({ status: "scheduled", startedAt: null });
    expect(now[cancelled]).toMatchObject({ status: "cancelled", startedAt: null });
    // A second round finds nothing more of these.
    expect(await startDueNewsletters()).not.toContain(due);
  });

  it("scheduler: a send whose queueing instance died (its lease lapsed) is finished by a live instance's next round", async () => {
    const [row] = await db
      .insert(newsletters)
      .values({
        topicId,
        subject: "Orphaned",
        bodyMarkdown: "Hello",
        status: "queueing",
        startedAt: sql`now() - interval '5 minutes'`,
        queueLeaseUntil: sql`now() - interval '1 minute'`,
      })
      .returning({ id: newsletters.id });
    const live = await db
      .insert(newsletters)
      .values({
        topicId,
        subject: "Still being queued elsewhere",
        bodyMarkdown: "Hello",
        status: "queueing",
        startedAt: sql`now()`,
        queueLeaseUntil: sql`now() + interval '1 minute'`,
      })
      .returning({ id: newsletters.id });
    await startDueNewsletters();
    const now = await statuses([row.id, live[0].id]);
    expect(now[row.id].status).toBe("queued");
    // A live lease belongs to another runner: left alone.
    expect(now[live[0].id].status).toBe("queueing");
  });

  it("scheduler: several instances polling at once start each due newsletter exactly once (Postgres: real concurrency)", async () => {
    const due = await Promise.all(Array.from({ length: 12 }, (_, i) => scheduled(-1, `Race ${i}`)));
    // Four "instances" at the same moment, each with its own connection on Postgres.
    const rounds = await Promise.all([1, 2, 3, 4].map(() => startDueNewsletters(50)));
    for (const id of due) {
      const perInstance = rounds.map((r) => r.filter((x) => x === id).length);
      expect(
        perInstance.every((n) => n === 0 || n === 1),
        `${id}: 0 or 1 start per instance`,
      ).toBe(true);
      expect(
        perInstance.reduce((a, b) => a + b, 0),
        `${id}: exactly one start in all`,
      ).toBe(1);
    }
    const now = await statuses(due);
    expect(Object.values(now).map((r) => r.status)).toEqual(due.map(() => "queued"));
  });

  it("scheduler: a cancel racing the start — exactly one of them wins; a late cancel says it has already started", async () => {
    const staff = await createUser({ role: "marketing" });
    for (let i = 0; i < 5; i++) {
      const id = await scheduled(-1, `Cancel race ${i}`);
      const [started, cancel] = await Promise.all([
        startDueNewsletters(50),
        cancelNewsletter(id, { actorId: staff.id, ip: "" }),
      ]);
      const wasStarted = started.includes(id);
      expect(wasStarted, "the start and the cancel cannot both win").toBe(!cancel.ok);
      if (!cancel.ok) expect(cancel.error).toBe("newsletterAlreadyStarted");
      expect((await statuses([id]))[id].status).toBe(wasStarted ? "queued" : "cancelled");
    }
  });
});

import { randomInt } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import { describe, expect, it, vi } from "vitest";
import { db, dbHandle } from "@/db/client";
import { emailTopics, mailOutbox, newsletters, users } from "@/db/schema";
import { recordConsent } from "@/lib/preferences/consent";
import { createUser, randomName } from "@/lib/test/factories";
import { QUEUE_BATCH, queueNewsletter, resumeNewsletters, runQueueing } from "./queue";

/** A marketing topic of this test's own, so other tests' opt-ins (one shared database on Postgres) do not count. */
async function topicWith(optedIn: number, extra: { optedOut?: number } = {}) {
  const id = randomName("topic");
  await db.insert(emailTopics).values({
    id,
    // Within the unsubscribe token's 16-bit topic code: this test's rows stay in the shared
    // outbox on Postgres, and a later file's worker builds real mail (with that token) from them.
    code: randomInt(10_000, 32_000),
    mailClass: "marketing",
    name: `Queue test ${id}`,
    description: "For the queueing tests",
    wording: "Send me the queueing test mail",
    listId: `${id}.example`,
  });
  const people: string[] = [];
  const consent = (userId: string, action: "granted" | "withdrawn") =>
    db.transaction((tx) =>
      recordConsent(tx, { userId, topicId: id, action, source: "account", actorId: userId, ip: "", userAgent: "" }),
    );
  for (let i = 0; i < optedIn; i++) {
    const u = await createUser();
    await consent(u.id, "granted");
    people.push(u.id);
  }
  const optedOut: string[] = [];
  for (let i = 0; i < (extra.optedOut ?? 0); i++) {
    const u = await createUser();
    await consent(u.id, "granted");
    await consent(u.id, "withdrawn");
    optedOut.push(u.id);
  }
  return { id, people: people.sort(), optedOut };
}

async function newsletterFor(topicId: string, status: "queueing" | "scheduled" | "cancelled" = "queueing") {
  const [n] = await db
    .insert(newsletters)
    .values({ topicId, subject: "Queued?", bodyMarkdown: "Hello", status })
    .returning({ id: newsletters.id });
  return n.id;
}

async function rowsOf(newsletterId: string) {
  return db.select().from(mailOutbox).where(eq(mailOutbox.newsletterId, newsletterId));
}

async function newsletterRow(id: string) {
  const [n] = await db.select().from(newsletters).where(eq(newsletters.id, id));
  return n;
}

/** Each of `people` has exactly one row, nobody else has any. */
function expectEachOnce(rows: { userId: string | null }[], people: string[]) {
  expect(rows.map((r) => r.userId).sort()).toEqual([...people].sort());
}

describe("newsletter queueing", () => {
  it("queue: every current opt-in once, across many batches; opted-out people and people without an address left out; counted", async () => {
    const t = await topicWith(7, { optedOut: 2 });
    // An opt-in whose address is gone cannot be mailed.
    const noMail = await createUser();
    await db.transaction((tx) =>
      recordConsent(tx, {
        userId: noMail.id,
        topicId: t.id,
        action: "granted",
        source: "account",
        actorId: noMail.id,
        ip: "",
        userAgent: "",
      }),
    );
    await db.update(users).set({ email: null }).where(eq(users.id, noMail.id));
    const id = await newsletterFor(t.id);
    const run = await runQueueing(id, 2);
    expect(run).toMatchObject({ ran: true, added: 7, recipients: 7, status: "queued" });
    expectEachOnce(await rowsOf(id), t.people);
    const n = await newsletterRow(id);
    expect(n).toMatchObject({ status: "queued", recipients: 7, queueLeaseUntil: null });
    expect(QUEUE_BATCH).toBeGreaterThanOrEqual(1000);
  });

  it("queue: two runners at once (two instances): one does the work, the other returns at once; each person exactly once", async () => {
    const t = await topicWith(9);
    const id = await newsletterFor(t.id);
    const [a, b] = await Promise.all([runQueueing(id, 2), runQueueing(id, 2)]);
    expect([a.ran, b.ran].sort()).toEqual([false, true]);
    const worker = a.ran ? a : b;
    const other = a.ran ? b : a;
    expect(worker.added).toBe(9);
    expect(other.added).toBe(0);
    expectEachOnce(await rowsOf(id), t.people);
    expect(await newsletterRow(id)).toMatchObject({ status: "queued", recipients: 9 });
  });

  it("queue: a second call while another runner's lease is live adds nothing; once it lapses the call resumes where the first stopped", async () => {
    const t = await topicWith(5);
    const id = await newsletterFor(t.id);
    // Another instance claimed it, queued the first two people (counted) and then stopped.
    await db.execute(
      sql`update newsletters set queue_lease_until = now() + interval '30 seconds', recipients = 2 where id = ${id}`,
    );
    const [u] = await db.select().from(users).where(eq(users.id, t.people[0]));
    for (const userId of t.people.slice(0, 2))
      await db.insert(mailOutbox).values({
        mailClass: "marketing",
        userId,
        topicId: t.id,
        newsletterId: id,
        toAddress: u.email!,
        subject: "Queued?",
        textBody: "Hello",
      });
    const busy = await runQueueing(id, 2);
    expect(busy).toMatchObject({ ran: false, added: 0, recipients: 2, status: "queueing" });
    expect(busy.leaseUntil!.getTime()).toBeGreaterThan(Date.now());
    expect(await rowsOf(id)).toHaveLength(2);

    // The lease lapses (its holder is gone): the next call takes over and finishes.
    await db.execute(sql`update newsletters set queue_lease_until = now() - interval '1 second' where id = ${id}`);
    const resumed = await runQueueing(id, 2);
    expect(resumed).toMatchObject({ ran: true, added: 3, recipients: 5, status: "queued" });
    expectEachOnce(await rowsOf(id), t.people);

    // Queueing again after the end (as resumeNewsletters would after a crash before 'queued' was
    // seen) adds nobody twice and keeps the count.
    await db.update(newsletters).set({ status: "queueing" }).where(eq(newsletters.id, id));
    expect(await queueNewsletter(id)).toBe(5);
    expectEachOnce(await rowsOf(id), t.people);
  });

  it("queue: a runner whose lease was taken over stops at its next batch; the new holder finishes and the count stays exact", async () => {
    const t = await topicWith(6);
    const id = await newsletterFor(t.id);
    // Right after this runner's first batch, another instance takes the lease over (as if this
    // one had stalled past it).
    const real = dbHandle().db;
    const execute = real.execute.bind(real);
    let batches = 0;
    const stealAfterFirstBatch = async (query: Parameters<typeof execute>[0]) => {
      const result = await execute(query);
      if (JSON.stringify(query).includes("with mine as") && ++batches === 1)
        await execute(
          // 45 s, not the runner's own 30: a lease equal to the runner's (a coarse clock under load) would not be a takeover.
          sql`update newsletters set queue_lease_until = clock_timestamp() + interval '45 seconds' where id = ${id}`,
        );
      return result;
    };
    const spy = vi.spyOn(real, "execute").mockImplementation(stealAfterFirstBatch as unknown as typeof real.execute);
    let stalled;
    try {
      stalled = await runQueueing(id, 2);
    } finally {
      spy.mockRestore();
    }
    expect(stalled).toMatchObject({ ran: true, added: 2, recipients: 2, status: "queueing" });
    expect(await rowsOf(id)).toHaveLength(2);
    // The new holder (here: a call after its lease lapsed) continues from there.
    await db.execute(sql`update newsletters set queue_lease_until = now() - interval '1 second' where id = ${id}`);
    expect(await runQueueing(id, 2)).toMatchObject({ ran: true, added: 4, recipients: 6, status: "queued" });
    expectEachOnce(await rowsOf(id), t.people);
  });

  it("queue: resumeNewsletters() finishes 'queueing' sends only, never 'scheduled' or 'cancelled' ones", async () => {
    const t = await topicWith(3);
    const queueing = await newsletterFor(t.id, "queueing");
    const scheduled = await newsletterFor(t.id, "scheduled");
    const cancelled = await newsletterFor(t.id, "cancelled");
    await resumeNewsletters();
    expectEachOnce(await rowsOf(queueing), t.people);
    expect(await newsletterRow(queueing)).toMatchObject({ status: "queued", recipients: 3 });
    expect(await rowsOf(scheduled)).toEqual([]);
    expect(await rowsOf(cancelled)).toEqual([]);
    expect(await newsletterRow(scheduled)).toMatchObject({ status: "scheduled", recipients: 0 });
    expect(await newsletterRow(cancelled)).toMatchObject({ status: "cancelled", recipients: 0 });
  });
});

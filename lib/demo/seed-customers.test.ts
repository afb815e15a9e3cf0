import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { db } from "@/db/client";
import { seedSyntheticCustomers, syntheticCustomerRows } from "./seed-customers";

class Rollback extends Error {}

/**
 * Runs `check` on a transaction that is rolled back afterwards: on Postgres every test file shares
 * one database, and other files count opt-ins and customers.
 */
async function inRolledBack(check: (tx: Parameters<Parameters<typeof db.transaction>[0]>[0]) => Promise<void>) {
  await expect(
    db.transaction(async (tx) => {
      await check(tx);
      throw new Rollback();
    }),
  ).rejects.toBeInstanceOf(Rollback);
}

describe("demo customers", () => {
  it("seed: customers with consistent consent history and profile edits over 90 days, once", async () => {
    await inRolledBack(async (tx) => {
      const started = performance.now();
      expect(await seedSyntheticCustomers(tx, 120, { policyVersion: "1.0" })).toBe(120);
      // A few hundred must not slow the first start down: 120 take well under the limit.
      expect(performance.now() - started).toBeLessThan(5000);
      expect(await seedSyntheticCustomers(tx, 120, { policyVersion: "1.0" })).toBe(0);

      const q = async <T extends Record<string, unknown>>(query: ReturnType<typeof sql>) =>
        (await tx.execute<T>(query)).rows;
      const seeded = sql`(select id from users where account_number between '2000000000' and '2000000119')`;
      const [people] = await q<{ n: number; registered: number; passwords: number; addresses: number }>(sql`
        select count(*)::int as n,
               count(*) filter (where username is not null and registered_at is not null)::int as registered,
               count(*) filter (where password_hash is not null)::int as passwords,
               (select count(*)::int from addresses where user_id in ${seeded}) as addresses
          from users where id in ${seeded}`);
      expect(people).toMatchObject({ n: 120, passwords: 0, addresses: 120 });
      expect(people.registered).toBeGreaterThan(20);
      expect(people.registered).toBeLessThan(60);

      // Each subscription is its person's last ledger event; the ledger alternates yes / no.
      const [mismatch] = await q<{ n: number }>(sql`
        select count(*)::int as n from subscriptions s
          join lateral (select action, id, created_at from consent_events e
                         where e.user_id = s.user_id and e.topic_id = s.topic_id
                         order by created_at desc, id desc limit 1) l on true
         where s.user_id in ${seeded}
           and (l.action <> s.status or l.id <> s.last_event_id
                or (s.status = 'granted') <> (s.opted_in_at = l.created_at))`);
      expect(mismatch.n).toBe(0);
      const [repeats] = await q<{ n: number }>(sql`
        select count(*)::int as n from (
          select action, lag(action) over (partition by user_id, topic_id order by created_at, id) as previous
            from consent_events where user_id in ${seeded}) x
         where action = previous or (previous is null and action = 'withdrawn')`);
      expect(repeats.n).toBe(0);
      const [window] = await q<{ recent: number; days: number; future: number }>(sql`
        select count(*) filter (where created_at > now() - interval '90 days')::int as recent,
               count(distinct (created_at at time zone 'utc')::date) filter (where created_at > now() - interval '90 days')::int as days,
               count(*) filter (where created_at > now())::int as future
          from consent_events where user_id in ${seeded}`);
      expect(window.future).toBe(0);
      expect(window.recent).toBeGreaterThan(60);
      expect(window.days).toBeGreaterThan(30);

      // Profile edits as lib/profile/update.ts writes them, by the customer, after registering.
      const edits = await q<{ detail: { section: string; fields: string[] }; early: boolean }>(sql`
        select a.detail, a.created_at < u.registered_at as early
          from audit_events a join users u on u.id = a.subject_user_id
         where a.action = 'profile.updated' and a.subject_user_id in ${seeded}`);
      expect(edits.length).toBeGreaterThan(10);
      for (const e of edits) {
        expect(["name", "address", "phone"]).toContain(e.detail.section);
        expect(e.detail.fields.length).toBeGreaterThan(0);
        expect(e.early).toBe(false);
      }
    });
  });

  it("seed: the bench's rows for customer n are the demo's customer n", () => {
    const now = new Date("2026-12-01T00:00:00Z");
    const a = syntheticCustomerRows(42, now);
    expect(a).toEqual(syntheticCustomerRows(42, now));
    expect(a.user).toMatchObject({ role: "customer", accountNumber: "2000000042" });
    expect(a.user.createdAt.getTime()).toBeLessThan(now.getTime() - 90 * 24 * 3600 * 1000);
    expect(a.serviceAddress.zip).toMatch(/^80\d{3}$/);
  });
});

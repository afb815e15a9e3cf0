import "server-only";
/**
 * Demo customers that make the product look lived-in: a few hundred synthetic customers
 * (lib/demo/synthetic.ts) with 90 days of history — profile edits in the audit log and opt-in /
 * opt-out history in the consent ledger — so the console's search, a customer's activity and the
 * marketing chart show something real-looking on a fresh `npm start`.
 *
 * Imports nothing that opens the database or reads the environment: scripts/start.ts imports it
 * (to ask for the customers) before server.ts has loaded .env.
 */
import { eq, sql } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { addresses, auditEvents, consentEvents, emailTopics, users, type ConsentSource } from "@/db/schema";
import { prng, syntheticCustomer, type SyntheticCustomer } from "./synthetic";

/**
 * How many synthetic customers seedDemo() adds when its caller does not say. 0: the e2e server
 * (server.ts run directly) and the bench keep a database holding only what their tests make;
 * `npm start` (scripts/start.ts) and `npm run db:seed` ask for DEMO_SYNTHETIC_CUSTOMERS.
 */
export const demoSeedSettings = { syntheticCustomers: 0 };

/** What `npm start` and `npm run db:seed` seed. */
export const DEMO_SYNTHETIC_CUSTOMERS = 300;

/** The history reaches this far back: the marketing chart's window. */
const HISTORY_DAYS = 90;
const DAY = 24 * 60 * 60 * 1000;
/** Rows per INSERT: well under Postgres's 65,535 parameters for every table here. */
const CHUNK = 500;

/** The username a synthetic customer registers with: the e-mail's local part, unique per n. */
function usernameOf(c: SyntheticCustomer): string {
  return c.email.slice(0, c.email.indexOf("@"));
}

/**
 * Customer n as billing holds it (no password, no online profile): the users row and the service
 * address, without history. The bench writes the same rows (in bulk, for a million n).
 */
export function syntheticCustomerRows(n: number, now = new Date()) {
  const c = syntheticCustomer(n);
  const rand = prng(n * 7919 + 17);
  // Customer since 3 months to 10 years ago.
  const since = new Date(now.getTime() - (HISTORY_DAYS + Math.floor(rand() * 3560)) * DAY);
  return {
    customer: c,
    user: {
      role: "customer" as const,
      accountNumber: c.accountNumber,
      email: c.email,
      firstName: c.firstName,
      lastName: c.lastName,
      phone: c.phone,
      createdAt: since,
      updatedAt: since,
    },
    serviceAddress: { kind: "service" as const, line1: c.line1, city: c.city, state: c.state, zip: c.zip },
  };
}

/** A weight per day back (0 = today … 89): weekdays busier than weekends, a campaign spike, a slow trend. */
function dayWeights(spikeDaysAgo: number, trend: number): number[] {
  const today = new Date();
  return Array.from({ length: HISTORY_DAYS }, (_, d) => {
    const weekday = new Date(today.getTime() - d * DAY).getUTCDay();
    const weekend = weekday === 0 || weekday === 6 ? 0.55 : 1;
    const spike = 3.2 * Math.exp(-(((d - spikeDaysAgo) / 3.5) ** 2));
    const drift = 1 + trend * ((HISTORY_DAYS - d) / HISTORY_DAYS);
    return (drift + spike) * weekend;
  });
}

/** Picks a day back from the weights (inverse CDF), then a time of day between 07:00 and 22:59 UTC. */
function pickTime(weights: number[], total: number, rand: () => number, now: number): number {
  let r = rand() * total;
  let d = 0;
  while (d < weights.length - 1 && r >= weights[d]) r -= weights[d++];
  const midnight = Math.floor(now / DAY) * DAY - d * DAY;
  const t = midnight + (7 + rand() * 16) * 60 * 60 * 1000;
  // Today's events happened already.
  return Math.min(t, now - Math.floor(rand() * 60) * 60 * 1000 - 60_000);
}

/** Per topic: how many start opted in, how busy the 90 days are, when its campaign ran. */
const TOPIC_SHAPES: Record<string, { initiallyIn: number; events: number[]; spikeDaysAgo: number; trend: number }> = {
  // P(0, 1, 2, 3 changes in 90 days)
  offers: { initiallyIn: 0.35, events: [0.45, 0.3, 0.15, 0.1], spikeDaysAgo: 34, trend: 0.6 },
  newsletter: { initiallyIn: 0.25, events: [0.55, 0.27, 0.12, 0.06], spikeDaysAgo: 68, trend: 0.3 },
};

const USER_AGENTS = [
  "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36",
  "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1",
  "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_6) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.0 Safari/605.1.15",
  "Mozilla/5.0 (Linux; Android 15) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Mobile Safari/537.36",
];

function pick<T>(items: readonly T[], rand: () => number): T {
  return items[Math.floor(rand() * items.length)];
}

function choose(probabilities: number[], rand: () => number): number {
  let r = rand();
  for (let i = 0; i < probabilities.length; i++) {
    if (r < probabilities[i]) return i;
    r -= probabilities[i];
  }
  return probabilities.length - 1;
}

async function insertChunked<T>(rows: T[], insert: (chunk: T[]) => Promise<unknown>) {
  for (let i = 0; i < rows.length; i += CHUNK) await insert(rows.slice(i, i + CHUNK));
}

/**
 * Seeds synthetic customers 0…count-1 with their history, in the caller's transaction, using a
 * few multi-row INSERTs per table. About a third have an online profile (username and
 * registered_at, still no password: nobody signs in as them). Skipped when customer 0 exists
 * already (a restart with SEED_DEMO=always), so it never doubles the history. Returns how many
 * customers were added.
 *
 * The rows are what the real code writes: `profile.updated` audit rows with `{ section, fields }`
 * (lib/profile/update.ts) and section versions that count the edits; consent_events alternating
 * granted/withdrawn per person and topic with the topic's wording and the policy in force, and a
 * subscriptions row per person and topic taken from the last event (lib/preferences/consent.ts).
 */
export async function seedSyntheticCustomers(
  tx: DbOrTx,
  count: number,
  opts: { policyVersion: string; repId?: string | null; now?: Date },
): Promise<number> {
  if (count <= 0) return 0;
  const first = syntheticCustomer(0).accountNumber;
  const [exists] = await tx.select({ id: users.id }).from(users).where(eq(users.accountNumber, first)).limit(1);
  if (exists) return 0;

  const now = opts.now ?? new Date();
  const nowMs = now.getTime();
  const topics = await tx
    .select({ id: emailTopics.id, wording: emailTopics.wording, wordingVersion: emailTopics.wordingVersion })
    .from(emailTopics)
    .where(eq(emailTopics.mailClass, "marketing"));
  const weights = new Map(
    topics.map((t) => {
      const shape = TOPIC_SHAPES[t.id] ?? TOPIC_SHAPES.newsletter;
      const w = dayWeights(shape.spikeDaysAgo, shape.trend);
      return [t.id, { w, total: w.reduce((a, b) => a + b, 0) }];
    }),
  );
  const editWeights = dayWeights(50, 0.2);
  const editTotal = editWeights.reduce((a, b) => a + b, 0);

  type Planned = {
    user: typeof users.$inferInsert;
    address: Omit<typeof addresses.$inferInsert, "userId">;
    registeredAt: Date | null;
    edits: { at: Date; section: "name" | "address" | "phone"; fields: string[] }[];
    consent: { topicId: string; action: "granted" | "withdrawn"; source: ConsentSource; at: Date; self: boolean }[];
    ip: string;
    userAgent: string;
  };
  const planned: Planned[] = [];
  for (let n = 0; n < count; n++) {
    const { customer, user, serviceAddress } = syntheticCustomerRows(n, now);
    const rand = prng(n * 104729 + 3);
    const ip = `198.51.100.${1 + (n % 254)}`;
    const userAgent = pick(USER_AGENTS, rand);
    // About a third registered online, from two years ago to yesterday (a fifth of them recently).
    const registered = rand() < 1 / 3;
    const registeredAt = registered
      ? new Date(
          Math.max(
            user.createdAt.getTime() + DAY,
            nowMs - (rand() < 0.2 ? 1 + rand() * (HISTORY_DAYS - 1) : HISTORY_DAYS + rand() * 640) * DAY,
          ),
        )
      : null;

    // Profile edits, made online, so only by those registered and after they registered.
    const edits: Planned["edits"] = [];
    if (registeredAt && rand() < 0.6) {
      const k = 1 + Math.floor(rand() * 3);
      for (let i = 0; i < k; i++) {
        const at = pickTime(editWeights, editTotal, rand, nowMs);
        if (at <= registeredAt.getTime()) continue;
        const section = pick(["phone", "address", "address", "name"] as const, rand);
        const fields =
          section === "phone"
            ? ["phone"]
            : section === "name"
              ? ["lastName"]
              : pick([["line1"], ["line1", "zip"], ["line2"], ["line1", "city", "zip"]], rand);
        edits.push({ at: new Date(at), section, fields });
      }
      edits.sort((a, b) => a.at.getTime() - b.at.getTime());
    }

    // Consent history per marketing topic: a state from before the window, then changes in it.
    const consent: Planned["consent"] = [];
    const online = (at: number) => registeredAt !== null && at > registeredAt.getTime();
    for (const topic of topics) {
      const shape = TOPIC_SHAPES[topic.id] ?? TOPIC_SHAPES.newsletter;
      const { w, total } = weights.get(topic.id)!;
      let granted = false;
      if (rand() < shape.initiallyIn) {
        granted = true;
        const longAgo = nowMs - (HISTORY_DAYS + 1 + rand() * 700) * DAY;
        const registeredLongAgo = registeredAt && registeredAt.getTime() < nowMs - HISTORY_DAYS * DAY;
        // Many said yes on the registration form itself.
        const atRegistration = registeredLongAgo && rand() < 0.5;
        const at = atRegistration ? registeredAt.getTime() + 60_000 : Math.max(longAgo, user.createdAt.getTime());
        consent.push({
          topicId: topic.id,
          action: "granted",
          source: atRegistration ? "register" : online(at) ? "account" : "rep",
          at: new Date(at),
          self: atRegistration || online(at),
        });
      }
      const changes = choose(shape.events, rand);
      const times = Array.from({ length: changes }, () => pickTime(w, total, rand, nowMs)).sort((a, b) => a - b);
      for (const at of times) {
        granted = !granted;
        const source: ConsentSource = granted
          ? online(at)
            ? pick(["account", "account", "chat"] as const, rand)
            : "rep"
          : pick(
              online(at) ? (["account", "email-link", "one-click"] as const) : (["email-link", "one-click"] as const),
              rand,
            );
        consent.push({
          topicId: topic.id,
          action: granted ? "granted" : "withdrawn",
          source,
          at: new Date(at),
          self: source !== "rep",
        });
      }
    }

    const counts = { name: 0, address: 0, phone: 0 };
    for (const e of edits) counts[e.section]++;
    const lastChange = Math.max(
      user.createdAt.getTime(),
      registeredAt?.getTime() ?? 0,
      ...edits.map((e) => e.at.getTime()),
    );
    planned.push({
      user: {
        ...user,
        ...(registeredAt && { username: usernameOf(customer), registeredAt }),
        nameVersion: 1 + counts.name,
        addressVersion: 1 + counts.address,
        phoneVersion: 1 + counts.phone,
        version: 1 + edits.length,
        updatedAt: new Date(lastChange),
      },
      address: { ...serviceAddress, createdAt: user.createdAt, updatedAt: user.createdAt },
      registeredAt,
      edits,
      consent,
      ip,
      userAgent,
    });
  }

  const ids: string[] = [];
  await insertChunked(planned, async (chunk) => {
    const rows = await tx
      .insert(users)
      .values(chunk.map((p) => p.user))
      .returning({ id: users.id, accountNumber: users.accountNumber });
    const byAccount = new Map(rows.map((r) => [r.accountNumber, r.id]));
    for (const p of chunk) ids.push(byAccount.get(p.user.accountNumber!)!);
  });
  await insertChunked(
    planned.map((p, i) => ({ ...p.address, userId: ids[i] })),
    (chunk) => tx.insert(addresses).values(chunk),
  );

  const audit = planned.flatMap((p, i) => [
    ...(p.registeredAt
      ? [
          {
            actorId: ids[i],
            subjectUserId: ids[i],
            action: "auth.registered",
            detail: {},
            ip: p.ip,
            createdAt: p.registeredAt,
          },
        ]
      : []),
    ...p.edits.map((e) => ({
      actorId: ids[i],
      subjectUserId: ids[i],
      action: "profile.updated",
      detail: { section: e.section, fields: e.fields },
      ip: p.ip,
      createdAt: e.at,
    })),
  ]);
  await insertChunked(audit, (chunk) => tx.insert(auditEvents).values(chunk));

  const events = planned.flatMap((p, i) =>
    p.consent.map((c) => {
      const topic = topics.find((t) => t.id === c.topicId)!;
      return {
        userId: ids[i],
        topicId: c.topicId,
        action: c.action,
        source: c.source,
        // A choice made by phone was recorded by a rep (the demo rep stands in for them all).
        actorId: c.self ? ids[i] : (opts.repId ?? null),
        wording: topic.wording,
        wordingVersion: topic.wordingVersion,
        policyVersion: opts.policyVersion,
        ip: c.self ? p.ip : "",
        userAgent: c.self ? p.userAgent : "",
        createdAt: c.at,
      };
    }),
  );
  // In time order, so ids grow with time as they do when people make their choices one by one.
  events.sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
  await insertChunked(events, (chunk) => tx.insert(consentEvents).values(chunk));

  // The current state of each person and topic is its last ledger event, as recordConsent keeps it.
  const last = syntheticCustomer(count - 1).accountNumber;
  await tx.execute(sql`
    insert into subscriptions (user_id, topic_id, status, source, opted_in_at, wording_version, last_event_id, updated_at)
    select distinct on (e.user_id, e.topic_id)
           e.user_id, e.topic_id, e.action, e.source,
           case when e.action = 'granted' then e.created_at end, e.wording_version, e.id, e.created_at
      from consent_events e join users u on u.id = e.user_id
     where u.account_number between ${first} and ${last} and u.role = 'customer'
     order by e.user_id, e.topic_id, e.created_at desc, e.id desc
    on conflict do nothing`);
  return planned.length;
}

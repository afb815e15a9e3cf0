import { and, eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { db } from "@/db/client";
import { consentEvents, subscriptions } from "@/db/schema";
import { inWords } from "@/lib/actions/result";
import { FIRST_POLICY_VERSION } from "@/lib/policy/first";
import { createUser } from "@/lib/test/factories";
import { TopicNotSwitchableError, recordConsent } from "./consent";
import { getPreferences, listConsentHistory } from "./queries";
import { preferencesSchema } from "./schema";
import { resolveUnsubscribeToken, resubscribe, unsubscribe } from "./unsubscribe";
import { signUnsubscribeToken } from "./tokens";
import { savePreferences, type ConsentActor } from "./update";

const actorFor = (userId: string): ConsentActor => ({
  userId,
  actorId: userId,
  ip: "203.0.113.9",
  userAgent: "vitest",
  source: "account",
});

async function state(userId: string, topicId: string) {
  const [row] = await db
    .select()
    .from(subscriptions)
    .where(and(eq(subscriptions.userId, userId), eq(subscriptions.topicId, topicId)));
  return row?.status ?? null;
}

async function events(userId: string) {
  return db.select().from(consentEvents).where(eq(consentEvents.userId, userId)).orderBy(consentEvents.id);
}

describe("e-mail preferences", () => {
  it("preferences: Yes/No and toggles record ledger events with the exact wording, version, policy, address and agent", async () => {
    const user = await createUser();
    const result = await savePreferences(
      actorFor(user.id),
      preferencesSchema.parse({ offers: "yes", "topic:newsletter": "on" }),
    );
    expect(result).toMatchObject({ ok: true });
    expect(await state(user.id, "offers")).toBe("granted");
    expect(await state(user.id, "newsletter")).toBe("granted");
    const [offers] = (await events(user.id)).filter((e) => e.topicId === "offers");
    expect(offers).toMatchObject({
      action: "granted",
      source: "account",
      actorId: user.id,
      wording: "I would like to receive special offers and information on products and services",
      wordingVersion: 1,
      policyVersion: FIRST_POLICY_VERSION,
      ip: "203.0.113.9",
      userAgent: "vitest",
    });
    // Unticked box (absent, as a browser sends it) = withdraw; unchanged choices record nothing.
    await savePreferences(actorFor(user.id), preferencesSchema.parse({ offers: "yes" }));
    expect(await state(user.id, "newsletter")).toBe("withdrawn");
    expect(await events(user.id)).toHaveLength(3);
    const prefs = await getPreferences(user.id);
    expect(prefs.find((t) => t.id === "offers")?.subscribed).toBe(true);
    expect(prefs.find((t) => t.id === "account-activity")).toMatchObject({
      mailClass: "transactional",
      subscribed: true,
    });
    expect((await listConsentHistory(user.id)).map((h) => [h.topic, h.action])).toEqual([
      ["Monthly newsletter", "withdrawn"],
      ["Monthly newsletter", "granted"],
      ["Special offers", "granted"],
    ]);
  });

  it("preferences: a form left open does not undo an unsubscribe made since from an e-mail", async () => {
    const user = await createUser();
    await savePreferences(actorFor(user.id), preferencesSchema.parse({ offers: "yes", "topic:newsletter": "on" }));
    // The page is loaded now: offers yes, newsletter yes.
    const loaded = { "was:offers": "yes", "was:newsletter": "yes" };
    const target = (await resolveUnsubscribeToken(signUnsubscribeToken(user.id, 2)))!;
    await unsubscribe(target, { scope: "topic", source: "one-click", ip: "", userAgent: "" });
    // The old tab is saved with only the offers answer changed.
    const result = await savePreferences(
      actorFor(user.id),
      preferencesSchema.parse({ ...loaded, offers: "no", "topic:newsletter": "on" }),
    );
    expect(result).toMatchObject({ ok: true });
    expect(await state(user.id, "offers")).toBe("withdrawn");
    expect(await state(user.id, "newsletter")).toBe("withdrawn");
  });

  it("preferences: a transactional or unknown topic cannot be switched", async () => {
    const user = await createUser();
    await expect(
      recordConsent(db, {
        userId: user.id,
        topicId: "account-activity",
        action: "withdrawn",
        source: "account",
        actorId: user.id,
        ip: "",
        userAgent: "",
      }),
    ).rejects.toThrow(TopicNotSwitchableError);
    await expect(
      recordConsent(db, {
        userId: user.id,
        topicId: "no-such-topic",
        action: "granted",
        source: "account",
        actorId: user.id,
        ip: "",
        userAgent: "",
      }),
    ).rejects.toThrow(TopicNotSwitchableError);
    const viaForm = await savePreferences(
      actorFor(user.id),
      preferencesSchema.parse({ offers: "no", "topic:account-activity": "on" }),
    );
    expect(inWords(viaForm)).toMatchObject({ ok: false, formError: expect.stringContaining("can't be changed") });
    expect(await events(user.id)).toEqual([]);
  });

  it("preferences: the ledger is append-only", async () => {
    const user = await createUser();
    await savePreferences(actorFor(user.id), preferencesSchema.parse({ offers: "yes" }));
    await expect(
      db.execute(sql`update consent_events set action = 'withdrawn' where user_id = ${user.id}`),
    ).rejects.toThrow();
    expect((await events(user.id))[0].action).toBe("granted");
  });

  it("preferences: one-click unsubscribe withdraws once; a second request records nothing", async () => {
    const user = await createUser();
    await savePreferences(actorFor(user.id), preferencesSchema.parse({ offers: "yes", "topic:newsletter": "on" }));
    const target = (await resolveUnsubscribeToken(signUnsubscribeToken(user.id, 2)))!;
    expect(target).toMatchObject({ userId: user.id, topicId: "newsletter", subscribed: true });
    const opts = { scope: "topic" as const, source: "one-click" as const, ip: "198.51.100.1", userAgent: "Gmail" };
    expect(await unsubscribe(target, opts)).toEqual(["newsletter"]);
    expect(await unsubscribe(target, opts)).toEqual([]);
    expect(await state(user.id, "newsletter")).toBe("withdrawn");
    expect(await state(user.id, "offers")).toBe("granted");
    const oneClick = (await events(user.id)).filter((e) => e.source === "one-click");
    expect(oneClick).toHaveLength(1);
    expect(oneClick[0]).toMatchObject({ actorId: null, ip: "198.51.100.1", userAgent: "Gmail" });
  });

  it("preferences: 'unsubscribe from all marketing' withdraws every marketing topic", async () => {
    const user = await createUser();
    await savePreferences(actorFor(user.id), preferencesSchema.parse({ offers: "yes", "topic:newsletter": "on" }));
    const target = (await resolveUnsubscribeToken(signUnsubscribeToken(user.id, 1)))!;
    expect((await unsubscribe(target, { scope: "all", source: "email-link", ip: "", userAgent: "" })).sort()).toEqual([
      "newsletter",
      "offers",
    ]);
  });

  it("preferences: “Subscribe again” after unsubscribing grants the link's topic once, in the ledger with source 'resubscribe'", async () => {
    const user = await createUser();
    await savePreferences(actorFor(user.id), preferencesSchema.parse({ offers: "yes", "topic:newsletter": "on" }));
    const target = (await resolveUnsubscribeToken(signUnsubscribeToken(user.id, 1)))!;
    await unsubscribe(target, { scope: "all", source: "email-link", ip: "", userAgent: "" });
    const meta = { ip: "198.51.100.4", userAgent: "Firefox" };
    expect(await resubscribe(target, meta)).toBe(true);
    expect(await resubscribe(target, meta)).toBe(false);
    expect(await state(user.id, "offers")).toBe("granted");
    // Only the link's own topic comes back.
    expect(await state(user.id, "newsletter")).toBe("withdrawn");
    const again = (await events(user.id)).filter((e) => e.source === "resubscribe");
    expect(again).toHaveLength(1);
    expect(again[0]).toMatchObject({ topicId: "offers", action: "granted", actorId: null, ...meta });
    expect(await resolveUnsubscribeToken(signUnsubscribeToken(user.id, 1))).toMatchObject({ subscribed: true });
  });

  it("preferences: a token for a transactional topic or unknown person is refused", async () => {
    const user = await createUser();
    expect(await resolveUnsubscribeToken(signUnsubscribeToken(user.id, 101))).toBeNull();
    expect(await resolveUnsubscribeToken(signUnsubscribeToken("00000000-0000-4000-8000-000000000000", 1))).toBeNull();
  });

  it("preferences: two racing changes of one choice append exactly one event", async () => {
    const user = await createUser();
    // Each transaction waits a moment after its read, so without the lock all five would append.
    await Promise.all(
      Array.from({ length: 5 }, () =>
        db.transaction(async (tx) => {
          await tx.execute(sql`select pg_sleep(0.05)`);
          return recordConsent(tx, {
            userId: user.id,
            topicId: "offers",
            action: "granted",
            source: "account",
            actorId: user.id,
            ip: "",
            userAgent: "",
          });
        }),
      ),
    );
    expect(await events(user.id)).toHaveLength(1);
  });
});

describe("append-only logs", () => {
  it("logs: consent and audit rows cannot be updated, deleted or truncated, but go with a deleted person", async () => {
    const { users, auditEvents } = await import("@/db/schema");
    const user = await createUser();
    await savePreferences(actorFor(user.id), preferencesSchema.parse({ offers: "yes" }));
    await db.insert(auditEvents).values({ actorId: user.id, subjectUserId: user.id, action: "test.row" });
    await expect(db.execute(sql`delete from consent_events where user_id = ${user.id}`)).rejects.toThrow();
    await expect(
      db.execute(sql`update audit_events set action = 'x' where subject_user_id = ${user.id}`),
    ).rejects.toThrow();
    await expect(db.execute(sql`delete from audit_events where subject_user_id = ${user.id}`)).rejects.toThrow();
    await expect(db.execute(sql`truncate consent_events cascade`)).rejects.toThrow();
    await expect(db.execute(sql`truncate audit_events`)).rejects.toThrow();
    expect(await events(user.id)).toHaveLength(1);
    // A staff member who recorded a choice for someone can still be deleted (actor set to null).
    const rep = await createUser({ role: "rep" });
    const other = await createUser();
    await db.transaction((tx) =>
      recordConsent(tx, {
        userId: other.id,
        topicId: "offers",
        action: "granted",
        source: "rep",
        actorId: rep.id,
        ip: "",
        userAgent: "",
      }),
    );
    await db.delete(users).where(eq(users.id, rep.id));
    expect((await events(other.id))[0].actorId).toBeNull();
    await db.delete(users).where(eq(users.id, user.id));
    expect(await events(user.id)).toHaveLength(0);
  });
});

describe("one-click withdrawal", () => {
  it("one-click: withdraws once with a full ledger event; parallel clicks append exactly one event", async () => {
    const { withdrawOneClick } = await import("./consent");
    const user = await createUser();
    await savePreferences(actorFor(user.id), preferencesSchema.parse({ offers: "yes", "topic:newsletter": "on" }));
    const results = await Promise.all(
      Array.from({ length: 5 }, () => withdrawOneClick(user.id, 2, { ip: "192.0.2.5", userAgent: "Yahoo" })),
    );
    expect(results.filter(Boolean)).toHaveLength(1);
    expect(await state(user.id, "newsletter")).toBe("withdrawn");
    expect(await state(user.id, "offers")).toBe("granted");
    const oneClick = (await events(user.id)).filter((e) => e.source === "one-click");
    expect(oneClick).toHaveLength(1);
    expect(oneClick[0]).toMatchObject({
      action: "withdrawn",
      topicId: "newsletter",
      actorId: null,
      wording: "Send me the monthly newsletter",
      policyVersion: FIRST_POLICY_VERSION,
      ip: "192.0.2.5",
      userAgent: "Yahoo",
    });
    const [sub] = await db
      .select()
      .from(subscriptions)
      .where(and(eq(subscriptions.userId, user.id), eq(subscriptions.topicId, "newsletter")));
    expect(sub).toMatchObject({ source: "one-click", optedInAt: null, lastEventId: oneClick[0].id });
    expect(await withdrawOneClick(user.id, 2, { ip: "", userAgent: "" })).toBe(false);
  });

  it("one-click: a transactional topic, an unknown person or someone never subscribed changes nothing", async () => {
    const { withdrawOneClick } = await import("./consent");
    const user = await createUser();
    expect(await withdrawOneClick(user.id, 101, { ip: "", userAgent: "" })).toBe(false);
    expect(await withdrawOneClick(user.id, 1, { ip: "", userAgent: "" })).toBe(false);
    expect(await withdrawOneClick("00000000-0000-4000-8000-000000000000", 1, { ip: "", userAgent: "" })).toBe(false);
    expect(await events(user.id)).toEqual([]);
  });

  it("logs: a closed account's rows may only have their personal values blanked; nothing else changes", async () => {
    const { users, auditEvents } = await import("@/db/schema");
    const user = await createUser();
    await db.transaction((tx) =>
      recordConsent(tx, {
        userId: user.id,
        topicId: "offers",
        action: "granted",
        source: "account",
        actorId: user.id,
        ip: "198.51.100.7",
        userAgent: "Firefox",
      }),
    );
    await db.insert(auditEvents).values({
      actorId: user.id,
      subjectUserId: user.id,
      action: "test.row",
      ip: "198.51.100.7",
      detail: { email: "old@example.com", section: "email" },
    });
    // While the account is open, not even blanking is allowed.
    await expect(db.execute(sql`update consent_events set ip = '' where user_id = ${user.id}`)).rejects.toThrow();
    await db.update(users).set({ closedAt: new Date() }).where(eq(users.id, user.id));
    await expect(db.execute(sql`update consent_events set ip = 'x' where user_id = ${user.id}`)).rejects.toThrow();
    await expect(
      db.execute(sql`update consent_events set action = 'withdrawn', ip = '' where user_id = ${user.id}`),
    ).rejects.toThrow();
    await expect(
      db.execute(sql`update audit_events set detail = detail || '{"extra": "1"}' where subject_user_id = ${user.id}`),
    ).rejects.toThrow();
    await expect(
      db.execute(sql`update audit_events set detail = '{}' where subject_user_id = ${user.id}`),
    ).rejects.toThrow();
    await db.execute(sql`update consent_events set ip = '', user_agent = '' where user_id = ${user.id}`);
    await db.execute(
      sql`update audit_events set ip = '', detail = jsonb_set(detail, '{email}', '""') where subject_user_id = ${user.id}`,
    );
    expect(await events(user.id)).toMatchObject([{ action: "granted", ip: "", userAgent: "" }]);
    const [row] = await db
      .select({ detail: auditEvents.detail, action: auditEvents.action })
      .from(auditEvents)
      .where(eq(auditEvents.subjectUserId, user.id));
    expect(row).toEqual({ action: "test.row", detail: { email: "", section: "email" } });
  });
});

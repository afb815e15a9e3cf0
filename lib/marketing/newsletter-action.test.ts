import path from "node:path";
import { and, eq, inArray, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { db } from "@/db/client";
import { auditEvents, emailTopics, mailOutbox, newsletters, users, type Role } from "@/db/schema";
import type { ActionResult } from "@/lib/actions/result";
import type * as CurrentModule from "@/lib/auth/current";
import type { ActiveSession } from "@/lib/auth/sessions";
import { createUser } from "@/lib/test/factories";

/*
 * The composer's real server actions (app/console/marketing/actions.ts), through the real door:
 * the session and the request come from here, as in lib/auth/roles-table.test.ts.
 */
const current = vi.hoisted(() => ({ session: null as ActiveSession | null }));
vi.mock("@/lib/auth/current", async (importOriginal) => ({
  ...(await importOriginal<typeof CurrentModule>()),
  currentSession: async () => current.session,
}));
vi.mock("@/lib/http/request-context", () => ({
  requestContext: async () => ({ proto: "https", clientIp: "203.0.113.44", userAgent: "newsletter-action-test" }),
}));
vi.mock("next/cache", () => ({ revalidatePath: () => {}, revalidateTag: () => {}, refresh: () => {} }));

type Actions = {
  newsletterAction: (prev: unknown, input: Record<string, unknown>) => Promise<ActionResult<Record<string, unknown>>>;
  cancelNewsletterAction: (prev: unknown, input: Record<string, unknown>) => Promise<ActionResult<{ id: string }>>;
};
// lib/ may not import app/ statically; the test reaches the action the way a form does.
const actions = () =>
  import(path.resolve(import.meta.dirname, "../../app/console/marketing/actions.ts")) as Promise<Actions>;

// A marketing topic of this file's own with nobody opted in: "Send now" queues no mail into the
// outbox that other test files' SMTP sinks drain on Postgres.
const topicId = "action-test";

async function as(role: Role, timeZone = "America/Denver") {
  const user = await createUser({ role });
  await db.update(users).set({ firstName: "Robin" }).where(eq(users.id, user.id));
  current.session = {
    sessionId: "00000000-0000-0000-0000-000000000000",
    userId: user.id,
    role,
    firstName: "Robin",
    lastName: "Staff",
    username: user.username,
    timeZone,
    reauthenticatedAt: new Date(),
    reauthenticatedBy: "password",
  };
  return user;
}

const compose = (over: Record<string, unknown> = {}) => ({
  topicId,
  subject: "Hello {first_name|there}",
  body: "Dear **{first_name|reader}**,\n\nNews.",
  intent: "preview",
  ...over,
});

async function preview(over: Record<string, unknown> = {}) {
  const { newsletterAction } = await actions();
  const r = await newsletterAction(null, compose(over));
  if (!r.ok) throw new Error(`preview refused: ${r.formError}`);
  return r.data.preview as { digest: string; sendKey: string; recipients: number };
}

/** Waits for the background queueing of a "Send now" to finish, so nothing runs after the test. */
async function queued(id: unknown) {
  await vi.waitFor(
    async () => {
      const [row] = await db
        .select({ status: newsletters.status })
        .from(newsletters)
        .where(eq(newsletters.id, String(id)));
      expect(row.status).toBe("queued");
    },
    { timeout: 5000 },
  );
}

/** A wall-clock time `minutes` from now in `zone`, as a datetime-local field sends it. */
function wallIn(minutes: number, zone: string): string {
  const f = new Intl.DateTimeFormat("sv-SE", { timeZone: zone, dateStyle: "short", timeStyle: "short" });
  return f.format(new Date(Date.now() + minutes * 60_000)).replace(" ", "T");
}

beforeAll(async () => {
  await db.insert(emailTopics).values({
    id: topicId,
    code: 9302,
    mailClass: "marketing",
    name: "Action test",
    description: "test",
    wording: "Send me action tests",
    listId: "action-test.example",
  });
});

afterAll(async () => {
  await db.execute(sql`delete from newsletters where topic_id = ${topicId}`);
  await db.execute(sql`delete from email_topics where id = ${topicId}`);
});

describe("the newsletter composer's actions", () => {
  it("composer: a rep may not preview, test-send, send or cancel — refused at the door, nothing written", async () => {
    const rep = await as("rep");
    const { newsletterAction, cancelNewsletterAction } = await actions();
    const count = async () =>
      (
        await db.execute<{
          n: number;
        }>(sql`select (select count(*) from newsletters) + (select count(*) from mail_outbox) +
        (select count(*) from audit_events where actor_id = ${rep.id}) as n`)
      ).rows[0].n;
    const before = await count();
    for (const intent of ["preview", "test", "send"]) {
      const r = await newsletterAction(null, compose({ intent, sendKey: "k-rep", previewDigest: "x" }));
      expect(r, intent).toEqual({ ok: false, formError: "You don't have permission to do that.", code: "forbidden" });
    }
    const c = await cancelNewsletterAction(null, { newsletterId: "00000000-0000-0000-0000-000000000001" });
    expect(c).toMatchObject({ ok: false, code: "forbidden" });
    expect(await count()).toBe(before);
  });

  it("composer: a subject over 150 or a body over 20,000 characters is refused on its field", async () => {
    await as("marketing");
    const { newsletterAction } = await actions();
    const r = await newsletterAction(null, compose({ subject: "s".repeat(151), body: "b".repeat(20_001) }));
    expect(r).toMatchObject({
      ok: false,
      code: "invalidInput",
      fieldErrors: { subject: ["Use at most 150 characters"], body: ["Use at most 20,000 characters"] },
    });
    // Exactly at the limits is fine.
    expect((await newsletterAction(null, compose({ subject: "s".repeat(150), body: "b".repeat(20_000) }))).ok).toBe(
      true,
    );
  });

  it("composer: an unknown merge field is refused at preview, named, on the field that has it", async () => {
    await as("marketing");
    const { newsletterAction } = await actions();
    const r = await newsletterAction(null, compose({ body: "Hi {last_name}, {first_name|there}" }));
    expect(r).toMatchObject({
      ok: false,
      code: "newsletterHasUnknownFields",
      formError: "The message uses a merge field that doesn't exist. Correct it, then preview again.",
      fieldErrors: {
        body: [
          "There is no merge field {last_name}. Use {first_name}, with a fallback after a bar if you like: {first_name|there}",
        ],
      },
    });
    expect(r.ok || r.fieldErrors?.subject).toBeUndefined();
  });

  it("composer: the preview carries both parts as sent to the sender as sample, the recipient count and a send key", async () => {
    await as("marketing");
    const { newsletterAction } = await actions();
    const r = await newsletterAction(null, compose());
    expect(r.ok).toBe(true);
    const p = (r.ok ? r.data.preview : null) as {
      recipients: number;
      sendKey: string;
      sample: { subject: string; html: string; text: string };
    };
    expect(p.recipients).toBe(0);
    expect(p.sendKey).toMatch(/^[0-9a-f-]{36}$/);
    expect(p.sample.subject).toBe("Hello Robin");
    expect(p.sample.text).toMatch(/^Dear \*Robin\*,$/m);
    expect(p.sample.html).toContain("<strong>Robin</strong>");
    // "Why did I get this?" and an unsubscribe link end both parts.
    expect(p.sample.text).toMatch(/You said yes to Action test on .*\n.*\nhttps:\/\/[^\s]+\/u\/[A-Za-z0-9_-]+/);
    expect(p.sample.html).toMatch(/href="https:\/\/[^"]+\/u\/[A-Za-z0-9_-]+"/);
  });

  it("composer: a schedule in the past is refused on its field, and nothing is made", async () => {
    await as("marketing", "America/New_York");
    const { newsletterAction } = await actions();
    const p = await preview();
    const r = await newsletterAction(
      null,
      compose({
        intent: "send",
        previewDigest: p.digest,
        sendKey: p.sendKey,
        when: "later",
        sendAt: wallIn(-5, "America/New_York"),
      }),
    );
    expect(r).toMatchObject({
      ok: false,
      code: "scheduleInPast",
      fieldErrors: { sendAt: ["That time has already passed. Choose a later time, or Send now"] },
    });
    expect(await db.select().from(newsletters).where(eq(newsletters.sendKey, p.sendKey))).toEqual([]);
  });

  it("composer: a schedule in the sender's zone is stored as that instant, with the zone", async () => {
    await as("marketing", "Pacific/Honolulu");
    const { newsletterAction } = await actions();
    const p = await preview();
    const sendAt = wallIn(90, "Pacific/Honolulu");
    const r = await newsletterAction(
      null,
      compose({ intent: "send", previewDigest: p.digest, sendKey: p.sendKey, when: "later", sendAt }),
    );
    expect(r.ok).toBe(true);
    const [row] = await db.select().from(newsletters).where(eq(newsletters.sendKey, p.sendKey));
    // Honolulu is UTC−10 all year.
    expect(row.scheduledAt?.toISOString().slice(0, 16)).toBe(
      new Date(Date.parse(`${sendAt}:00Z`) + 10 * 3_600_000).toISOString().slice(0, 16),
    );
    expect(row).toMatchObject({ status: "scheduled", timeZone: "Pacific/Honolulu", startedAt: null });
    expect(r.ok && r.message).toMatch(/^Scheduled for .* HST to everyone opted in to Action test then\./);
  });

  it("composer: a second Send click (the same POST again) answers with the first newsletter and makes no other", async () => {
    const staff = await as("marketing");
    const { newsletterAction } = await actions();
    const p = await preview();
    const form = compose({ intent: "send", previewDigest: p.digest, sendKey: p.sendKey, when: "now" });
    const first = await newsletterAction(null, form);
    const second = await newsletterAction(null, form);
    expect(first).toMatchObject({
      ok: true,
      message: "Sending to everyone opted in to Action test. Progress is shown below.",
    });
    expect(second).toMatchObject({
      ok: true,
      message: "This newsletter was already sent or scheduled; nothing new was sent. Its progress is shown below.",
    });
    expect(first.ok && second.ok && second.data.id).toBe(first.ok && first.data.id);
    await queued(first.ok && first.data.id);
    expect(await db.select().from(newsletters).where(eq(newsletters.sendKey, p.sendKey))).toHaveLength(1);
    const audits = await db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.actorId, staff.id), eq(auditEvents.action, "marketing.newsletter_started")));
    expect(audits).toHaveLength(1);
    // A send without the preview's digest (the text changed since) is refused.
    const changed = await newsletterAction(null, { ...form, body: "Something else", sendKey: "another" });
    expect(changed).toMatchObject({ ok: false, code: "newsletterPreviewStale" });
  });

  it("composer: a transactional topic is refused at preview, test and send", async () => {
    await as("marketing");
    const { newsletterAction } = await actions();
    for (const intent of ["preview", "test", "send"]) {
      const body = compose({ topicId: "account-activity", intent });
      const digest = intent === "send" ? { previewDigest: "", sendKey: "k-transactional" } : {};
      const r = await newsletterAction(null, { ...body, ...digest });
      // A send is refused before the topic is even looked at (no preview of it can exist).
      expect(r, intent).toMatchObject({ ok: false });
      if (intent !== "send")
        expect(r).toMatchObject({ code: "chooseMarketingTopic", formError: "Choose a marketing topic." });
    }
    const { createHash } = await import("node:crypto");
    const c = compose({ topicId: "account-activity" });
    const digest = createHash("sha256").update(`${c.topicId}\n${c.subject}\n${c.body}`).digest("hex");
    const r = await newsletterAction(null, { ...c, intent: "send", previewDigest: digest, sendKey: "k-tx-2" });
    expect(r).toMatchObject({ ok: false, code: "chooseMarketingTopic" });
    expect(await db.select().from(newsletters).where(eq(newsletters.topicId, "account-activity"))).toEqual([]);
  });

  it("composer: Send a test to me queues one mail to the sender, marked as a test and counted in no send", async () => {
    const staff = await as("marketing");
    const { newsletterAction } = await actions();
    const before = await db.select({ id: newsletters.id }).from(newsletters);
    const r = await newsletterAction(null, compose({ intent: "test" }));
    expect(r).toMatchObject({
      ok: true,
      message: `A test was sent to ${staff.email}. It is marked as a test and not counted in the figures.`,
      data: { testTo: staff.email },
    });
    const mail = await db.select().from(mailOutbox).where(eq(mailOutbox.toAddress, staff.email));
    expect(mail).toHaveLength(1);
    expect(mail[0]).toMatchObject({ subject: "[Test] Hello Robin", newsletterId: null });
    expect(mail[0].htmlBody).toContain("<strong>Robin</strong>");
    expect(await db.select({ id: newsletters.id }).from(newsletters)).toHaveLength(before.length);
    // Not left for another test file's SMTP sink on a shared Postgres database.
    await db.delete(mailOutbox).where(inArray(mailOutbox.id, [mail[0].id]));
  });

  it("composer: Cancel through the action — scheduled → cancelled; once started, “It has already started”", async () => {
    await as("marketing");
    const { newsletterAction, cancelNewsletterAction } = await actions();
    const p = await preview();
    const made = await newsletterAction(
      null,
      compose({
        intent: "send",
        previewDigest: p.digest,
        sendKey: p.sendKey,
        when: "later",
        sendAt: wallIn(60, "America/Denver"),
      }),
    );
    const id = made.ok ? (made.data.id as string) : "";
    expect(await cancelNewsletterAction(null, { newsletterId: id })).toMatchObject({
      ok: true,
      message: "Cancelled “Hello {first_name|there}”. Nothing was sent.",
    });
    const q = await preview();
    const sent = await newsletterAction(
      null,
      compose({ intent: "send", previewDigest: q.digest, sendKey: q.sendKey, when: "now" }),
    );
    await queued(sent.ok && sent.data.id);
    const late = await cancelNewsletterAction(null, { newsletterId: sent.ok ? sent.data.id : "" });
    expect(late).toEqual(
      expect.objectContaining({
        ok: false,
        code: "newsletterAlreadyStarted",
        formError: "It has already started, so it can no longer be cancelled.",
      }),
    );
  });
});

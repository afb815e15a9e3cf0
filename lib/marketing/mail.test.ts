import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { db } from "@/db/client";
import { auditEvents, emailTopics, mailOutbox, newsletters, users } from "@/db/schema";
import { queueMail } from "@/lib/mail/outbox";
import { createTransport } from "@/lib/mail/transport";
import { deliverDueMail } from "@/lib/mail/worker";
import { say } from "@/lib/messages";
import { recordConsent } from "@/lib/preferences/consent";
import { createUser } from "@/lib/test/factories";
import { smtpServerForThisFile } from "@/lib/test/smtp";
import { marketingEnvelopes, sendTestNewsletter } from "./mail";
import { recentNewsletters } from "./newsletter";

const smtp = smtpServerForThisFile();

async function marketer(firstName = "Mia") {
  const staff = await createUser({ role: "marketing" });
  await db.update(users).set({ firstName, timeZone: "America/Chicago" }).where(eq(users.id, staff.id));
  return staff;
}

const draft = {
  topicId: "offers",
  subject: "Hello {first_name|there}",
  body: "# For {first_name|you}\n\nNew **deals**.",
};

describe("newsletter test send", () => {
  it("test send: one [Test] mail to the sender's own address, personalised, marked as a test, not counted, audited", async () => {
    const staff = await marketer();
    const before = await recentNewsletters();
    const result = await sendTestNewsletter(draft, { userId: staff.id, ip: "203.0.113.9" });
    expect(result).toMatchObject({ ok: true, data: { to: staff.email } });
    const rows = await db.select().from(mailOutbox).where(eq(mailOutbox.toAddress, staff.email));
    expect(rows).toHaveLength(1);
    const [row] = rows;
    // Transactional and without a newsletter: no consent check for the sender, no send's count.
    expect(row).toMatchObject({ mailClass: "transactional", newsletterId: null, subject: "[Test] Hello Mia" });
    expect(row.textBody).toMatch(/^For Mia\n=======\n\nNew \*deals\*\.\n\nWhy did I get this\?\n/);
    expect(row.textBody).toContain("This is a test sent to you from the marketing console.");
    expect(row.textBody).toMatch(/You said yes to Special offers on \w{3} \d+, \d{4} in your/);
    expect(row.htmlBody).toMatch(/<h1 style="[^"]+">For Mia<\/h1>/);
    expect(row.htmlBody).toContain("<strong>deals</strong>");
    expect(await recentNewsletters()).toEqual(before);
    const audit = await db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.actorId, staff.id), eq(auditEvents.action, "marketing.newsletter_test_sent")));
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ ip: "203.0.113.9", detail: { topic: "offers", subject: draft.subject } });

    // Delivered although the sender never opted in to the topic.
    const transport = createTransport(smtp.url);
    while ((await deliverDueMail(transport)) > 0) {
      /* until nothing is due */
    }
    const got = smtp.received.filter((m) => m.to === staff.email);
    expect(got).toHaveLength(1);
    expect(got[0].raw).toMatch(/^Subject: \[Test\] Hello Mia$/m);
    expect(got[0].raw).toMatch(/Content-Type: text\/html/);
  });

  it("test send: an unknown merge field is refused by name; nothing is queued", async () => {
    const staff = await marketer();
    const result = await sendTestNewsletter(
      { ...draft, subject: "Hi {nickname}", body: "{city} and {nickname} and {first_name}" },
      { userId: staff.id, ip: "" },
    );
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error).toBe("newsletterHasUnknownFields");
    expect(say(result.fieldErrors!.subject[0])).toContain("{nickname}");
    expect(say(result.fieldErrors!.body[0])).toContain("{city}, {nickname}");
    expect(await db.select().from(mailOutbox).where(eq(mailOutbox.toAddress, staff.email))).toEqual([]);
  });

  it("test send: a transactional or unknown topic is refused; a sender without an address is told so", async () => {
    const staff = await marketer();
    for (const topicId of ["account-activity", "no-such-topic"]) {
      const result = await sendTestNewsletter({ ...draft, topicId }, { userId: staff.id, ip: "" });
      expect(result).toMatchObject({ ok: false, error: "chooseMarketingTopic" });
    }
    await db.update(users).set({ email: null }).where(eq(users.id, staff.id));
    expect(await sendTestNewsletter(draft, { userId: staff.id, ip: "" })).toMatchObject({
      ok: false,
      error: "newsletterTestNoAddress",
    });
    expect(await db.select().from(mailOutbox).where(eq(mailOutbox.toAddress, staff.email))).toEqual([]);
  });

  it("envelopes: a transactional topic's row is not sent; a row without a newsletter renders its own Markdown; an empty batch asks nothing", async () => {
    expect(await marketingEnvelopes([])).toEqual(new Map());
    const user = await createUser();
    await db.transaction(async (tx) => {
      await recordConsent(tx, {
        userId: user.id,
        topicId: "offers",
        action: "granted",
        source: "rep",
        actorId: null,
        ip: "",
        userAgent: "",
      });
      for (const topicId of ["account-activity", "offers"])
        await queueMail(tx, {
          to: user.email,
          subject: "Row {first_name}",
          text: "**Own** body",
          mailClass: "marketing",
          userId: user.id,
          topicId,
        });
    });
    const rows = await db.select().from(mailOutbox).where(eq(mailOutbox.userId, user.id)).orderBy(mailOutbox.id);
    const claimed = rows.map((r) => ({
      id: r.id,
      user_id: r.userId,
      topic_id: r.topicId,
      newsletter_id: r.newsletterId,
      subject: r.subject,
      text_body: r.textBody,
    }));
    const result = await marketingEnvelopes(claimed);
    expect(result.get(rows[0].id)).toBeNull();
    expect(result.get(rows[1].id)).toMatchObject({
      to: user.email,
      subject: "Row Test",
      text: expect.stringMatching(
        /^\*Own\* body\n\nWhy did I get this\?\n-+\nYou said yes to Special offers on .+ to our customer service/,
      ),
      headers: { "List-Id": "Special offers <offers.lumen-telecom.example>" },
    });
    // A newsletter row is queued with an empty body; once its newsletter is deleted (newsletter_id
    // set null) there is nothing to send, and an empty mail must not go out.
    expect((await marketingEnvelopes([{ ...claimed[1], text_body: "" }])).get(rows[1].id) ?? null).toBeNull();
    await db.delete(mailOutbox).where(eq(mailOutbox.userId, user.id));
  });

  it("envelopes: a row that cannot be built fails alone (an Error for it); the rest of the batch is built", async () => {
    // A topic code beyond the unsubscribe token's 16 bits: its link cannot be signed.
    const topicId = `bad-code-${Date.now()}`;
    await db.insert(emailTopics).values({
      id: topicId,
      code: 70_000 + Math.floor(Math.random() * 10_000),
      mailClass: "marketing",
      name: "Bad code",
      description: "test",
      wording: "Send me bad codes",
      listId: "bad-code.example",
    });
    const user = await createUser();
    await db.transaction(async (tx) => {
      for (const t of [topicId, "offers"]) {
        await recordConsent(tx, {
          userId: user.id,
          topicId: t,
          action: "granted",
          source: "account",
          actorId: user.id,
          ip: "",
          userAgent: "",
        });
        await queueMail(tx, {
          to: user.email,
          subject: "Row",
          text: "Body",
          mailClass: "marketing",
          userId: user.id,
          topicId: t,
        });
      }
    });
    const rows = await db.select().from(mailOutbox).where(eq(mailOutbox.userId, user.id)).orderBy(mailOutbox.id);
    const result = await marketingEnvelopes(
      rows.map((r) => ({
        id: r.id,
        user_id: r.userId,
        topic_id: r.topicId,
        newsletter_id: r.newsletterId,
        subject: r.subject,
        text_body: r.textBody,
      })),
    );
    expect(result.get(rows[0].id)).toBeInstanceOf(Error);
    expect(result.get(rows[1].id)).toMatchObject({ to: user.email, subject: "Row" });
    await db.delete(mailOutbox).where(eq(mailOutbox.userId, user.id));
  });

  it("envelopes: a newsletter's later batches are filled in from its first render, each with its own person", async () => {
    const people = [await createUser(), await createUser()];
    await db.transaction(async (tx) => {
      for (const p of people)
        await recordConsent(tx, {
          userId: p.id,
          topicId: "offers",
          action: "granted",
          source: "account",
          actorId: p.id,
          ip: "",
          userAgent: "",
        });
    });
    await db.update(users).set({ firstName: "Una" }).where(eq(users.id, people[0].id));
    await db.update(users).set({ firstName: "Dos" }).where(eq(users.id, people[1].id));
    const [n] = await db
      .insert(newsletters)
      .values({ topicId: "offers", subject: "Two batches", bodyMarkdown: "Hi {first_name}", status: "queued" })
      .returning({ id: newsletters.id });
    const rows = await db
      .insert(mailOutbox)
      .values(
        people.map((p) => ({
          mailClass: "marketing" as const,
          userId: p.id,
          topicId: "offers",
          newsletterId: n.id,
          toAddress: p.email,
          subject: "",
          textBody: "",
          // Not due: this test reads envelopes directly; no worker should send them.
          nextAttemptAt: new Date(Date.now() + 86_400_000),
        })),
      )
      .returning();
    const claimed = rows.map((r) => ({
      id: r.id,
      user_id: r.userId,
      topic_id: r.topicId,
      newsletter_id: r.newsletterId,
      subject: r.subject,
      text_body: r.textBody,
    }));
    const first = await marketingEnvelopes([claimed[0]]);
    const second = await marketingEnvelopes([claimed[1]]);
    expect(first.get(rows[0].id)).toMatchObject({ subject: "Two batches", text: expect.stringMatching(/^Hi Una\n/) });
    expect(second.get(rows[1].id)).toMatchObject({ subject: "Two batches", text: expect.stringMatching(/^Hi Dos\n/) });
    await db.delete(mailOutbox).where(eq(mailOutbox.newsletterId, n.id));
  });
});

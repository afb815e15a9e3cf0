import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { smtpServerForThisFile } from "@/lib/test/smtp";
import { db } from "@/db/client";
import { mailOutbox, newsletters, users } from "@/db/schema";
import { queueNewsletter } from "@/lib/marketing/queue";
import { recordConsent } from "@/lib/preferences/consent";
import { resolveUnsubscribeToken, unsubscribe } from "@/lib/preferences/unsubscribe";
import { updateName } from "@/lib/profile/update";
import { createUser } from "@/lib/test/factories";
import { closeProfileMailWindow } from "@/lib/test/mail";
import { queueMail } from "./outbox";
import { createTransport } from "./transport";
import { deliverDueMail } from "./worker";

// A real SMTP server on loopback receives what the worker sends.
const smtp = smtpServerForThisFile();

const mailTo = (to: string) => smtp.received.filter((r) => r.to === to);
/** A header's value from the raw message, with folded lines joined (RFC 5322 §2.2.3). */
const header = (raw: string, name: string) => {
  const head = raw.split(/\r?\n\r?\n/)[0].replace(/\r?\n[ \t]+/g, " ");
  return head.match(new RegExp(`^${name}: (.*)$`, "mi"))?.[1]?.trim();
};

async function drain() {
  const transport = createTransport(smtp.url);
  while ((await deliverDueMail(transport)) > 0) {
    /* until nothing is due */
  }
}

async function optedIn(topicId = "newsletter") {
  const user = await createUser();
  await db.transaction((tx) =>
    recordConsent(tx, {
      userId: user.id,
      topicId,
      action: "granted",
      source: "account",
      actorId: user.id,
      ip: "",
      userAgent: "",
    }),
  );
  return user;
}

async function sendNewsletter(subject: string) {
  const [n] = await db
    .insert(newsletters)
    .values({ topicId: "newsletter", subject, bodyMarkdown: "Hello **there**" })
    .returning({ id: newsletters.id });
  await queueNewsletter(n.id);
  return n.id;
}

describe("marketing mail", () => {
  it("mail: marketing mail carries RFC 8058 headers, List-Id, a visible link and its own sender; transactional mail none of them", async () => {
    const user = await optedIn();
    await sendNewsletter("News 1");
    await updateName(
      { userId: user.id, actorId: user.id, ip: "" },
      { version: 1, firstName: "Newsy", lastName: "Reader" },
    );
    await closeProfileMailWindow(user.id);
    await drain();
    const news = mailTo(user.email).find((m) => header(m.raw, "Subject") === "News 1")!;
    const url = header(news.raw, "List-Unsubscribe")!.replace(/^<|>$/g, "");
    expect(url).toMatch(/^https:\/\/localhost:\d+\/u\/[A-Za-z0-9_-]+$/);
    expect(header(news.raw, "List-Unsubscribe-Post")).toBe("List-Unsubscribe=One-Click");
    expect(header(news.raw, "List-Id")).toBe("Monthly newsletter <newsletter.lumen-telecom.example>");
    expect(header(news.raw, "From")).toContain("news@");
    expect(news.raw.replace(/=\r?\n/g, "")).toContain(url);
    expect(await resolveUnsubscribeToken(url.split("/u/")[1])).toMatchObject({
      userId: user.id,
      topicId: "newsletter",
    });

    const notice = mailTo(user.email).find((m) => header(m.raw, "Subject") === "Your MyAccount profile was updated")!;
    expect(header(notice.raw, "List-Unsubscribe")).toBeUndefined();
    expect(header(notice.raw, "List-Unsubscribe-Post")).toBeUndefined();
    expect(header(notice.raw, "List-Id")).toBeUndefined();
    expect(header(notice.raw, "From")).toContain("no-reply@");
  });

  it("mail: after unsubscribing, a newsletter does not reach the person but a profile-updated mail does", async () => {
    const user = await optedIn();
    const target = (await resolveUnsubscribeToken(
      (await import("@/lib/preferences/tokens")).signUnsubscribeToken(user.id, 2),
    ))!;
    await unsubscribe(target, { scope: "topic", source: "one-click", ip: "", userAgent: "" });
    const id = await sendNewsletter("News 2");
    await updateName(
      { userId: user.id, actorId: user.id, ip: "" },
      { version: 1, firstName: "Still", lastName: "Here" },
    );
    await closeProfileMailWindow(user.id);
    await drain();
    const subjects = mailTo(user.email).map((m) => header(m.raw, "Subject"));
    expect(subjects).toContain("Your MyAccount profile was updated");
    expect(subjects).not.toContain("News 2");
    // Not even queued: the newsletter only goes to the current opt-ins.
    expect(await db.select().from(mailOutbox).where(eq(mailOutbox.newsletterId, id))).not.toContainEqual(
      expect.objectContaining({ userId: user.id }),
    );
  });

  it("mail: an opt-out made after queueing still stops the send (consent is checked at send time)", async () => {
    const user = await optedIn();
    const id = await sendNewsletter("News 3");
    const queued = await db.select().from(mailOutbox).where(eq(mailOutbox.newsletterId, id));
    expect(queued.some((m) => m.userId === user.id)).toBe(true);
    await db.transaction((tx) =>
      recordConsent(tx, {
        userId: user.id,
        topicId: "newsletter",
        action: "withdrawn",
        source: "account",
        actorId: user.id,
        ip: "",
        userAgent: "",
      }),
    );
    await drain();
    expect(mailTo(user.email).map((m) => header(m.raw, "Subject"))).not.toContain("News 3");
    const [row] = await db
      .select()
      .from(mailOutbox)
      .where(eq(mailOutbox.newsletterId, id))
      .then((rows) => rows.filter((r) => r.userId === user.id));
    expect(row.status).toBe("suppressed");
  });

  it("mail: a marketing row without a recipient or topic is never sent", async () => {
    const to = `nobody-${Date.now()}@example.test`;
    await db.transaction((tx) => queueMail(tx, { to, subject: "Orphan", text: "x", mailClass: "marketing" }));
    await drain();
    expect(mailTo(to)).toEqual([]);
    const [row] = await db.select().from(mailOutbox).where(eq(mailOutbox.toAddress, to));
    expect(row.status).toBe("suppressed");
  });

  it("mail: a newsletter goes to the address the person has when it is sent", async () => {
    const user = await optedIn();
    await sendNewsletter("News 4");
    const moved = `moved-${Date.now()}@example.test`;
    await db.update(users).set({ email: moved }).where(eq(users.id, user.id));
    await drain();
    expect(mailTo(moved).map((m) => header(m.raw, "Subject"))).toContain("News 4");
    expect(mailTo(user.email).map((m) => header(m.raw, "Subject"))).not.toContain("News 4");
  });
});

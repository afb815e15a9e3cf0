import { eq, inArray } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { smtpServerForThisFile } from "@/lib/test/smtp";
import { db } from "@/db/client";
import { devMailbox, mailOutbox } from "@/db/schema";
import { randomName } from "@/lib/test/factories";
import { queueMail } from "./outbox";
import { createTransport, type MailTransport } from "./transport";
import { backoffSeconds, deliverDueMail } from "./worker";

// A real SMTP server on loopback receives what the worker sends.
const smtp = smtpServerForThisFile();

async function drain(transport: MailTransport) {
  while ((await deliverDueMail(transport)) > 0) {
    /* keep claiming until nothing is due */
  }
}

describe("mail worker", () => {
  it("mail: queued mail is delivered over SMTP once and marked sent", async () => {
    const to = `${randomName()}@example.test`;
    await db.transaction((tx) => queueMail(tx, { to, subject: "Hello", text: "Line one\nLine two" }));
    await drain(createTransport(smtp.url));
    const got = smtp.received.filter((r) => r.to === to);
    expect(got).toHaveLength(1);
    expect(got[0].raw).toContain("Subject: Hello");
    const [row] = await db.select().from(mailOutbox).where(eq(mailOutbox.toAddress, to));
    expect(row).toMatchObject({ status: "sent", attempts: 1 });
  });

  it("mail: a rolled-back change queues no mail", async () => {
    const to = `${randomName()}@example.test`;
    await expect(
      db.transaction(async (tx) => {
        await queueMail(tx, { to, subject: "Never", text: "x" });
        throw new Error("rollback");
      }),
    ).rejects.toThrow("rollback");
    expect(await db.select().from(mailOutbox).where(eq(mailOutbox.toAddress, to))).toEqual([]);
  });

  it("mail: a failed delivery is retried later with backoff, then succeeds", async () => {
    const to = `${randomName()}@example.test`;
    await db.transaction((tx) => queueMail(tx, { to, subject: "Retry me", text: "x" }));
    const down = createTransport("smtp://127.0.0.1:1"); // nothing listens on port 1
    await deliverDueMail(down);
    const [failed] = await db.select().from(mailOutbox).where(eq(mailOutbox.toAddress, to));
    expect(failed).toMatchObject({ status: "pending", attempts: 1 });
    expect(failed.lastError).toBeTruthy();
    expect(failed.nextAttemptAt.getTime()).toBeGreaterThan(Date.now() + 5_000);
    // Not due yet: a second round does not touch it.
    await deliverDueMail(createTransport(smtp.url));
    expect(smtp.received.filter((r) => r.to === to)).toHaveLength(0);
    await db.update(mailOutbox).set({ nextAttemptAt: new Date() }).where(eq(mailOutbox.id, failed.id));
    await drain(createTransport(smtp.url));
    expect(smtp.received.filter((r) => r.to === to)).toHaveLength(1);
    expect(backoffSeconds(1)).toBe(10);
    expect(backoffSeconds(3)).toBe(40);
    expect(backoffSeconds(30)).toBe(3600);
  });

  it("mail: two workers draining at once deliver each mail exactly once (SKIP LOCKED)", async () => {
    const tos = Array.from({ length: 30 }, () => `${randomName()}@example.test`);
    await db.transaction(async (tx) => {
      for (const to of tos) await queueMail(tx, { to, subject: "Batch", text: "x" });
    });
    const transport = createTransport(smtp.url);
    await Promise.all([drain(transport), drain(transport)]);
    for (const to of tos) expect(smtp.received.filter((r) => r.to === to)).toHaveLength(1);
    const rows = await db.select().from(mailOutbox).where(inArray(mailOutbox.toAddress, tos));
    expect(rows.every((r) => r.status === "sent" && r.attempts === 1)).toBe(true);
  });

  it("mail: a worker whose lease was taken over does not record an outcome over the new owner's", async () => {
    const to = `${randomName()}@example.test`;
    await db.transaction((tx) => queueMail(tx, { to, subject: "Lease", text: "x" }));
    // Another instance reclaimed the row (attempt 2) while a slow first worker was still sending.
    const slow: MailTransport = {
      name: "slow",
      async send() {
        await db
          .update(mailOutbox)
          .set({ attempts: 2, lockedUntil: new Date(Date.now() + 60_000) })
          .where(eq(mailOutbox.toAddress, to));
        throw new Error("timed out");
      },
    };
    await deliverDueMail(slow);
    const [row] = await db.select().from(mailOutbox).where(eq(mailOutbox.toAddress, to));
    expect(row).toMatchObject({ status: "sending", attempts: 2, lastError: null });
  });

  it("mail: transactional mail carries an HTML part, also when it was queued without one", async () => {
    const to = `${randomName()}@example.test`;
    await db.transaction((tx) =>
      queueMail(tx, { to, subject: "Both", text: "Hello <you>\n\nHere:\nhttps://localhost:3000/x" }),
    );
    // As the policy notice batch queues it: straight into the table, text only.
    await db
      .insert(mailOutbox)
      .values({ toAddress: to, subject: "By SQL", textBody: "See:\nhttps://localhost:3000/y" });
    await drain(createTransport(""));
    const rows = await db.select().from(devMailbox).where(eq(devMailbox.toAddress, to)).orderBy(devMailbox.id);
    expect(rows.map((r) => r.subject)).toEqual(["Both", "By SQL"]);
    expect(rows[0].htmlBody).toContain("Hello &lt;you&gt;");
    expect(rows[0].htmlBody).toContain('<a href="https://localhost:3000/x"');
    expect(rows[1].htmlBody).toContain('<a href="https://localhost:3000/y"');
  });

  it("mail: without SMTP_URL mail lands in the local mailbox", async () => {
    const to = `${randomName()}@example.test`;
    await db.transaction((tx) => queueMail(tx, { to, subject: "Local", text: "https://localhost:3000/x" }));
    await drain(createTransport(""));
    const rows = await db.select().from(devMailbox).where(eq(devMailbox.toAddress, to));
    expect(rows).toHaveLength(1);
    expect(rows[0].subject).toBe("Local");
  });
});

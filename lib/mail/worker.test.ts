import { eq, inArray } from "drizzle-orm";
import { SMTPServer } from "smtp-server";
import { describe, expect, it } from "vitest";
import { smtpServerForThisFile } from "@/lib/test/smtp";
import { db } from "@/db/client";
import { devMailbox, mailOutbox, newsletters } from "@/db/schema";
import { recordConsent } from "@/lib/preferences/consent";
import { createUser, randomName } from "@/lib/test/factories";
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

  it("mail: a round of many mails writes each one's own outcome (sent, or retried later with its error)", async () => {
    const tos = Array.from({ length: 70 }, () => `${randomName()}@example.test`);
    await db.transaction(async (tx) => {
      for (const to of tos) await queueMail(tx, { to, subject: "Many", text: "x" });
    });
    const refused = new Set([tos[3], tos[55]]);
    const real = createTransport(smtp.url);
    const picky: MailTransport = {
      name: "picky",
      concurrency: 4,
      async send(mail) {
        if (refused.has(mail.to)) throw new Error("550 mailbox unavailable");
        await real.send(mail);
      },
    };
    await deliverDueMail(picky);
    real.close?.();
    const rows = await db.select().from(mailOutbox).where(inArray(mailOutbox.toAddress, tos));
    expect(rows).toHaveLength(70);
    for (const r of rows) {
      if (refused.has(r.toAddress)) {
        expect(r).toMatchObject({
          status: "pending",
          attempts: 1,
          lastError: "550 mailbox unavailable",
          lockedUntil: null,
        });
        expect(r.nextAttemptAt.getTime()).toBeGreaterThan(Date.now() + 5_000);
      } else {
        expect(r).toMatchObject({ status: "sent", attempts: 1, lastError: null, lockedUntil: null });
        expect(r.sentAt).toBeTruthy();
        expect(smtp.received.filter((m) => m.to === r.toAddress)).toHaveLength(1);
      }
    }
  });

  it("mail: sends run several at a time when the transport allows, each mail once", async () => {
    const tos = Array.from({ length: 24 }, () => `${randomName()}@example.test`);
    await db.transaction(async (tx) => {
      for (const to of tos) await queueMail(tx, { to, subject: "Parallel", text: "x" });
    });
    let inFlight = 0;
    let most = 0;
    const seen: string[] = [];
    const slow: MailTransport = {
      name: "slow",
      concurrency: 4,
      async send(mail) {
        inFlight++;
        most = Math.max(most, inFlight);
        await new Promise((r) => setTimeout(r, 20));
        seen.push(mail.to);
        inFlight--;
      },
    };
    await drain(slow);
    expect(most).toBeGreaterThanOrEqual(4);
    for (const to of tos) expect(seen.filter((t) => t === to)).toHaveLength(1);
  });

  it("mail: someone who opts out while a round is sending gets no mail from the rest of that round", async () => {
    const people = [];
    for (let i = 0; i < 10; i++) {
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
      people.push(u);
    }
    const [n] = await db
      .insert(newsletters)
      .values({
        topicId: "newsletter",
        subject: "Mid-round",
        bodyMarkdown: "Hello {first_name|there}",
        status: "queued",
      })
      .returning({ id: newsletters.id });
    // Queued in this order, so the last person's row is sent well after the first (same round).
    for (const u of people)
      await db.insert(mailOutbox).values({
        mailClass: "marketing",
        userId: u.id,
        topicId: "newsletter",
        newsletterId: n.id,
        toAddress: u.email,
        subject: "Mid-round",
        textBody: "",
      });
    const last = people[people.length - 1];
    const sent: string[] = [];
    let optedOut = false;
    // The batch's mail is built before the first send; the last person opts out during that send.
    const optOutDuringFirst: MailTransport = {
      name: "opt-out during the first send",
      async send(mail) {
        if (!optedOut) {
          optedOut = true;
          await db.transaction((tx) =>
            recordConsent(tx, {
              userId: last.id,
              topicId: "newsletter",
              action: "withdrawn",
              source: "one-click",
              actorId: last.id,
              ip: "",
              userAgent: "",
            }),
          );
        }
        sent.push(mail.to);
      },
    };
    await drain(optOutDuringFirst);
    expect(optedOut).toBe(true);
    expect(sent).not.toContain(last.email);
    for (const u of people.slice(0, -1)) expect(sent.filter((t) => t === u.email)).toHaveLength(1);
    const rows = await db.select().from(mailOutbox).where(eq(mailOutbox.newsletterId, n.id));
    expect(rows.find((r) => r.userId === last.id)?.status).toBe("suppressed");
    expect(rows.filter((r) => r.status === "sent")).toHaveLength(9);
  });

  it("mail: the SMTP transport reuses a few pooled connections (not one per mail) and its URL's host and port", async () => {
    let connections = 0;
    let mails = 0;
    const server = new SMTPServer({
      authOptional: true,
      disabledCommands: ["STARTTLS", "AUTH"],
      disableReverseLookup: true,
      onConnect(_session, callback) {
        connections++;
        callback();
      },
      onData(stream, _session, callback) {
        stream.on("data", () => undefined);
        stream.on("end", () => {
          mails++;
          callback();
        });
      },
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.server.address() as { port: number };
    const transport = createTransport(`smtp://127.0.0.1:${port}`);
    try {
      for (let round = 0; round < 3; round++)
        await Promise.all(
          Array.from({ length: 10 }, (_, i) =>
            transport.send({ from: "a@example.test", to: `p${round}-${i}@example.test`, subject: "Pooled", text: "x" }),
          ),
        );
    } finally {
      transport.close?.();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
    expect(mails).toBe(30);
    expect(connections).toBeGreaterThanOrEqual(1);
    expect(connections).toBeLessThanOrEqual(transport.concurrency ?? 1);
  });
});

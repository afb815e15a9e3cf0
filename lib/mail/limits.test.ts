import { randomBytes, randomInt } from "node:crypto";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { db } from "@/db/client";
import { contactRequests, emailChangeRequests, mailOutbox, rateCounters } from "@/db/schema";
import { inWords } from "@/lib/actions/result";
import { submitContactRequest } from "@/lib/contact/submit";
import { env } from "@/lib/env";
import { sendTestNewsletter } from "@/lib/marketing/mail";
import { closeAccount } from "@/lib/privacy/close-account";
import { requestEmailChange, resendEmailChange } from "@/lib/profile/email-change";
import { createUser } from "@/lib/test/factories";
import { mailLimits, recipientKey, reserveMail } from "./limits";

const randomIp = () => `198.18.${randomInt(0, 256)}.${randomInt(1, 255)}`;
const thirdParty = () => `victim_${randomBytes(5).toString("hex")}@example.test`;

async function mailsTo(address: string) {
  return db.select().from(mailOutbox).where(eq(mailOutbox.toAddress, address));
}

/** Uses up the recipient's hourly share, as earlier requests from anyone would. */
async function fillRecipient(address: string) {
  for (let i = 0; i < env().MAIL_LIMIT_PER_RECIPIENT_PER_HOUR; i++) {
    expect(await reserveMail({ ip: randomIp() }, address)).toBe(0);
  }
}

describe("mail limits", () => {
  it("mail limits: keyed per sender and per recipient, the recipient by a hash of the lower-cased address", () => {
    expect(recipientKey(" Jane.Doe@Example.TEST ")).toBe(recipientKey("jane.doe@example.test"));
    expect(recipientKey("jane.doe@example.test")).not.toContain("jane");
    expect(mailLimits({ userId: "u1" }, "a@b.test").map((l) => l.key)).toEqual([
      "mail:user:u1",
      recipientKey("a@b.test"),
    ]);
    expect(mailLimits({ ip: "203.0.113.5" }, "a@b.test")[0]).toMatchObject({
      key: "mail:ip:203.0.113.5",
      max: env().MAIL_LIMIT_PER_IP_PER_HOUR,
      windowSeconds: 3600,
    });
  });

  it("mail limits: a signed-in customer cannot send 20 verification mails to a third party's address", async () => {
    const user = await createUser();
    const actor = { userId: user.id, actorId: user.id, ip: randomIp() };
    const victim = thirdParty();
    const first = await requestEmailChange(actor, { version: 1, newEmail: victim, currentPassword: user.password });
    expect(first.ok).toBe(true);
    const results = [];
    for (let i = 0; i < 19; i++) results.push(await resendEmailChange(actor));
    const allowed = env().MAIL_LIMIT_PER_RECIPIENT_PER_HOUR;
    expect(results.filter((r) => r.ok)).toHaveLength(allowed - 1);
    expect(await mailsTo(victim)).toHaveLength(allowed);
    const refused = results.find((r) => !r.ok)!;
    expect(refused).toMatchObject({ ok: false, error: { code: "mailLimit" } });
    expect(inWords(refused)).toMatchObject({ formError: expect.stringMatching(/try again in \d+ minutes\.$/) });
    // Nothing changed for a refused resend: the last link sent still stands.
    const open = (await db.select().from(emailChangeRequests).where(eq(emailChangeRequests.userId, user.id))).filter(
      (r) => !r.cancelledAt,
    );
    expect(open).toHaveLength(1);

    // Another account cannot take up where the first left off: the limit is the recipient's.
    const other = await createUser();
    const again = await requestEmailChange(
      { userId: other.id, actorId: other.id, ip: randomIp() },
      { version: 1, newEmail: victim, currentPassword: other.password },
    );
    expect(again).toMatchObject({ ok: false, error: { code: "mailLimit" } });
    expect(await mailsTo(victim)).toHaveLength(allowed);
  });

  it("mail limits: one sender is limited across many recipients", async () => {
    const user = await createUser();
    const actor = { userId: user.id, actorId: user.id, ip: randomIp() };
    const max = env().MAIL_LIMIT_PER_USER_PER_HOUR;
    const results = [];
    for (let i = 0; i < max + 1; i++) {
      results.push(
        await requestEmailChange(actor, { version: 1 + i, newEmail: thirdParty(), currentPassword: user.password }),
      );
    }
    expect(results.slice(0, max).every((r) => r.ok)).toBe(true);
    expect(results[max]).toMatchObject({ ok: false, error: { code: "mailLimit" } });
  });

  it("mail limits: the contact form's copy is refused once its recipient has had its share; nothing is stored", async () => {
    const user = await createUser();
    const victim = thirdParty();
    await fillRecipient(victim);
    const result = await submitContactRequest(
      { name: "Dana", email: victim, accountNumber: "", topic: "Billing", message: "Hello" },
      { userId: user.id, ip: randomIp() },
    );
    expect(result).toMatchObject({ ok: false, error: { code: "mailLimit" } });
    expect(await db.select().from(contactRequests).where(eq(contactRequests.email, victim))).toEqual([]);
    expect(await mailsTo(victim)).toEqual([]);
  });

  it("mail limits: marketing test sends are limited like any other mail", async () => {
    const staff = await createUser({ role: "marketing" });
    await fillRecipient(staff.email);
    const result = await sendTestNewsletter(
      { topicId: "offers", subject: "Hi", body: "Deals" },
      { userId: staff.id, ip: randomIp() },
    );
    expect(result).toMatchObject({ ok: false, error: { code: "mailLimit" } });
    expect(await mailsTo(staff.email)).toEqual([]);
  });

  it("mail limits: closing an account removes the counts keyed to the person and their address", async () => {
    const user = await createUser();
    const other = thirdParty();
    await requestEmailChange(
      { userId: user.id, actorId: user.id, ip: randomIp() },
      { version: 1, newEmail: other, currentPassword: user.password },
    );
    await reserveMail({ ip: randomIp() }, user.email);
    const keys = [`mail:user:${user.id}`, recipientKey(user.email), recipientKey(other)];
    const counted = async () => (await db.select().from(rateCounters)).filter((r) => keys.includes(r.key)).length;
    expect(await counted()).toBe(3);
    const closed = await closeAccount(
      { userId: user.id, sessionId: "", ip: "", userAgent: "" },
      { currentPassword: user.password },
    );
    expect(closed.ok).toBe(true);
    expect(await counted()).toBe(0);
  });
});

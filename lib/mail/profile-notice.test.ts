import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { db } from "@/db/client";
import { mailOutbox, profileMailDigests, recoveryTokens } from "@/db/schema";
import { updateAddresses, updateName, updatePhone, savePaymentMethod } from "@/lib/profile/update";
import { getProfile } from "@/lib/profile/queries";
import { paymentSchema } from "@/lib/profile/schema";
import type { ProfileActor } from "@/lib/profile/sections";
import { changePassword } from "@/lib/auth/password-change";
import { createUser } from "@/lib/test/factories";
import { closeProfileMailWindow } from "@/lib/test/mail";
import { smtpServerForThisFile } from "@/lib/test/smtp";
import { mailDueProfileDigests } from "./profile-notice";
import { linksNotAlone } from "./render";
import { createTransport } from "./transport";
import { deliverDueMail } from "./worker";

const smtp = smtpServerForThisFile();
const SUBJECT = "Your MyAccount profile was updated";

async function outboxFor(email: string) {
  return db.select().from(mailOutbox).where(eq(mailOutbox.toAddress, email)).orderBy(mailOutbox.id);
}

async function drain() {
  const transport = createTransport(smtp.url);
  while ((await deliverDueMail(transport)) > 0) {
    /* until nothing is due */
  }
}

async function customer() {
  const user = await createUser();
  const actor: ProfileActor = { userId: user.id, actorId: user.id, ip: "" };
  return { user, actor };
}

async function changeNameAndPhone(actor: ProfileActor, first: string) {
  const p = (await getProfile(actor.userId))!;
  await updateName(actor, { version: p.name.version, firstName: first, lastName: "Digest" });
  await updatePhone(actor, { version: p.phone.version, phone: "(303) 555-0142" });
}

describe("profile mail", () => {
  it("mail: several profile changes within the window make one mail, sent when the window closes, listing each with when and by whom", async () => {
    const { user, actor } = await customer();
    const rep = await createUser({ role: "rep" });
    await changeNameAndPhone(actor, "Una");
    const p = (await getProfile(user.id))!;
    // A rep on the customer's behalf, and a change the customer approved in a chat.
    await updateName(
      { userId: user.id, actorId: rep.id, ip: "", reason: "Customer asked by phone" },
      { version: p.name.version, firstName: "Una", lastName: "Repped" },
    );
    await updateAddresses(
      { userId: user.id, actorId: user.id, ip: "", detail: { chatId: 7, proposedBy: rep.id } },
      {
        version: p.address.version,
        serviceLine1: "2 Window St",
        serviceLine2: "",
        serviceCity: "Denver",
        serviceState: "CO",
        serviceZip: "80202",
        billingSameAsService: true,
        billingLine1: "",
        billingLine2: "",
        billingCity: "",
        billingState: "",
        billingZip: "",
      },
    );
    const [digest] = await db.select().from(profileMailDigests).where(eq(profileMailDigests.userId, user.id));
    expect(digest.changes).toHaveLength(4);
    // The window opens at the first change: PROFILE_MAIL_WINDOW (10 minutes by default) later.
    expect(digest.dueAt.getTime() - digest.firstAt.getTime()).toBe(600_000);

    // Before the window closes nothing is sent.
    await drain();
    expect((await outboxFor(user.email)).filter((m) => m.subject === SUBJECT)).toEqual([]);

    await closeProfileMailWindow(user.id);
    await drain();
    const mails = (await outboxFor(user.email)).filter((m) => m.subject === SUBJECT);
    expect(mails).toHaveLength(1);
    const text = mails[0].textBody;
    expect(text).toMatch(/- Name changed: \w{3} \d+, \d{4}, \d+:\d\d [AP]M M[SD]T, by you\n/);
    expect(text).toMatch(/- Phone number changed: .+ M[SD]T, by you\n/);
    expect(text).toMatch(/- Name changed: .+, by a customer service representative\n/);
    expect(text).toMatch(/- Service and billing address changed: .+, approved by you in a chat\n/);
    expect(linksNotAlone(text)).toEqual([]);
    expect(mails[0].status).toBe("sent");
    // Sent as multipart/alternative: the text and the HTML made from it.
    const raw = smtp.received.find((r) => r.to === user.email && r.raw.includes(SUBJECT))!.raw;
    expect(raw).toMatch(/Content-Type: multipart\/alternative/i);
    expect(raw).toMatch(/Content-Type: text\/html/i);
    expect(await db.select().from(profileMailDigests).where(eq(profileMailDigests.userId, user.id))).toEqual([]);
  });

  it("mail: a change after the mail went out opens a second window with its own mail", async () => {
    const { user, actor } = await customer();
    await changeNameAndPhone(actor, "First");
    await closeProfileMailWindow(user.id);
    await drain();
    await changeNameAndPhone(actor, "Second");
    await drain();
    expect((await outboxFor(user.email)).filter((m) => m.subject === SUBJECT)).toHaveLength(1);
    await closeProfileMailWindow(user.id);
    await drain();
    const mails = (await outboxFor(user.email)).filter((m) => m.subject === SUBJECT);
    expect(mails).toHaveLength(2);
    expect(mails[1].textBody.match(/^- /gm)).toHaveLength(2);
  });

  it("mail: security changes (payment method, password) are mailed at once, each on its own, with “This wasn't me”", async () => {
    const { user, actor } = await customer();
    await changeNameAndPhone(actor, "Secure");
    const p = (await getProfile(user.id))!;
    await savePaymentMethod(
      actor,
      paymentSchema.parse({
        version: p.payment.version,
        kind: "card",
        cardName: "Una Digest",
        cardNumber: "4111 1111 1111 1111",
        expMonth: "3",
        expYear: String(new Date().getUTCFullYear() + 2),
      }),
    );
    await changePassword(
      { currentPassword: user.password, password: "a brand new passphrase 99" },
      { userId: user.id, sessionId: "00000000-0000-4000-8000-000000000000" },
      { ip: "" },
    );
    await drain(); // the profile window is still open
    const sent = await outboxFor(user.email);
    expect(sent.map((m) => m.subject)).toEqual([
      "Your MyAccount payment method was changed",
      "Your MyAccount password was changed",
    ]);
    for (const m of sent) {
      expect(m.textBody).toMatch(/\nhttps:\/\/localhost:\d+\/not-me\?token=[A-Za-z0-9_-]{40,}(\n|$)/);
      expect(m.htmlBody).toMatch(/<a href="https:\/\/localhost:\d+\/not-me\?token=[A-Za-z0-9_-]{40,}"/);
      expect(linksNotAlone(m.textBody)).toEqual([]);
    }
    expect(sent[0].textBody).toContain("Visa ending in 1111");
    const tokens = await db
      .select()
      .from(recoveryTokens)
      .where(and(eq(recoveryTokens.userId, user.id), eq(recoveryTokens.kind, "not_me")));
    expect(tokens).toHaveLength(2);
    // Hashed, never stored as sent; valid for 7 days.
    expect(sent.some((m) => m.textBody.includes(tokens[0].tokenHash))).toBe(false);
    const days = (tokens[0].expiresAt.getTime() - tokens[0].createdAt.getTime()) / 86_400_000;
    expect(days).toBeCloseTo(7, 2);
    // The name and phone changes still wait for their one mail.
    await closeProfileMailWindow(user.id);
    await drain();
    const digest = (await outboxFor(user.email)).filter((m) => m.subject === SUBJECT);
    expect(digest).toHaveLength(1);
    expect(digest[0].textBody).not.toContain("Payment");
  });

  it("mail: two workers draining at once send a digest once", async () => {
    const { user, actor } = await customer();
    await changeNameAndPhone(actor, "Racer");
    await closeProfileMailWindow(user.id);
    const counts = await Promise.all([mailDueProfileDigests(), mailDueProfileDigests(), mailDueProfileDigests()]);
    expect(counts.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(1);
    const t1 = createTransport(smtp.url);
    const t2 = createTransport(smtp.url);
    await Promise.all([deliverDueMail(t1), deliverDueMail(t2)]);
    await drain();
    expect((await outboxFor(user.email)).filter((m) => m.subject === SUBJECT)).toHaveLength(1);
    expect(smtp.received.filter((r) => r.to === user.email && r.raw.includes(SUBJECT))).toHaveLength(1);
  });

  it("mail: a change racing with a worker taking its digest is never lost", async () => {
    const { user, actor } = await customer();
    await changeNameAndPhone(actor, "Before");
    await closeProfileMailWindow(user.id);
    const p = (await getProfile(user.id))!;
    await Promise.all([
      mailDueProfileDigests(),
      updateName(actor, { version: p.name.version, firstName: "During", lastName: "Race" }),
    ]);
    await closeProfileMailWindow(user.id);
    await drain();
    const listed = (await outboxFor(user.email))
      .filter((m) => m.subject === SUBJECT)
      .flatMap((m) => m.textBody.match(/^- .+$/gm) ?? []);
    expect(listed).toHaveLength(3);
  });
});

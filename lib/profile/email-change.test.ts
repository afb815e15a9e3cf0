import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { db } from "@/db/client";
import { emailChangeRequests, mailOutbox, users } from "@/db/schema";
import { inWords } from "@/lib/actions/result";
import { createUser, randomName } from "@/lib/test/factories";
import {
  cancelEmailChange,
  confirmEmailChange,
  maskEmail,
  requestEmailChange,
  resendEmailChange,
} from "./email-change";
import { getProfile } from "./queries";

async function tokenSentTo(email: string): Promise<string> {
  const mails = await db
    .select()
    .from(mailOutbox)
    .where(and(eq(mailOutbox.toAddress, email), eq(mailOutbox.subject, "Confirm your new e-mail address")));
  const last = mails.sort((a, b) => b.id - a.id)[0];
  return last.textBody.match(/verify-email\?token=([A-Za-z0-9_-]+)/)![1];
}

async function emailOf(id: string) {
  const [u] = await db.select({ email: users.email }).from(users).where(eq(users.id, id));
  return u.email;
}

describe("e-mail change", () => {
  it("email: needs the current password; link to the new address, notice to the old; takes effect only when followed", async () => {
    const user = await createUser();
    const actor = { userId: user.id, actorId: user.id, ip: "" };
    const newEmail = `${randomName("new")}@example.test`;
    const wrong = await requestEmailChange(actor, { version: 1, newEmail, currentPassword: "nope" });
    expect(inWords(wrong)).toMatchObject({
      ok: false,
      fieldErrors: { currentPassword: ["The current password is incorrect"] },
    });

    expect(await requestEmailChange(actor, { version: 1, newEmail, currentPassword: user.password })).toMatchObject({
      ok: true,
    });
    expect(await emailOf(user.id)).toBe(user.email);
    expect((await getProfile(user.id))!.email.pending?.newEmail).toBe(newEmail);
    const notices = await db.select().from(mailOutbox).where(eq(mailOutbox.toAddress, user.email));
    expect(notices.map((m) => m.subject)).toContain("A change of your MyAccount e-mail address was requested");

    const token = await tokenSentTo(newEmail);
    expect(await confirmEmailChange(token, { ip: "" })).toMatchObject({ ok: true, data: { email: newEmail } });
    expect(await emailOf(user.id)).toBe(newEmail);
    expect((await getProfile(user.id))!.email.pending).toBeNull();
    const changed = await db.select().from(mailOutbox).where(eq(mailOutbox.toAddress, user.email));
    expect(changed.map((m) => m.subject)).toContain("Your MyAccount e-mail address was changed");
    expect(await confirmEmailChange(token, { ip: "" })).toMatchObject({ ok: false });
  });

  it("email: an address used by another account (any case) is refused", async () => {
    const other = await createUser();
    const user = await createUser();
    const result = await requestEmailChange(
      { userId: user.id, actorId: user.id, ip: "" },
      { version: 1, newEmail: other.email.toUpperCase(), currentPassword: user.password },
    );
    expect(inWords(result)).toMatchObject({
      ok: false,
      fieldErrors: { newEmail: ["That e-mail address is already used by another account"] },
    });
  });

  it("email: resend replaces the link; cancel ends it; an expired link is refused", async () => {
    const user = await createUser();
    const actor = { userId: user.id, actorId: user.id, ip: "" };
    const newEmail = `${randomName("new")}@example.test`;
    await requestEmailChange(actor, { version: 1, newEmail, currentPassword: user.password });
    const first = await tokenSentTo(newEmail);
    expect(await resendEmailChange(actor)).toMatchObject({ ok: true });
    const second = await tokenSentTo(newEmail);
    expect(second).not.toBe(first);
    expect(await confirmEmailChange(first, { ip: "" })).toMatchObject({ ok: false });
    expect(await cancelEmailChange(actor)).toMatchObject({ ok: true });
    expect(await confirmEmailChange(second, { ip: "" })).toMatchObject({ ok: false });
    expect(await emailOf(user.id)).toBe(user.email);

    await requestEmailChange(actor, { version: 3, newEmail, currentPassword: user.password });
    const third = await tokenSentTo(newEmail);
    await db
      .update(emailChangeRequests)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(emailChangeRequests.userId, user.id));
    expect(await confirmEmailChange(third, { ip: "" })).toMatchObject({ ok: false });
  });

  it("email: masking keeps the address recognisable but not readable", () => {
    expect(maskEmail("jane.doe@example.com")).toBe("j•••e@example.com");
    expect(maskEmail("jo@example.com")).toBe("j@example.com");
  });
});

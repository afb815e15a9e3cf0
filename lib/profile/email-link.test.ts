import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { db } from "@/db/client";
import { mailOutbox } from "@/db/schema";
import { createUser, randomName } from "@/lib/test/factories";
import { cancelEmailChange, confirmEmailChange, requestEmailChange } from "./email-change";
import { addressAwaitingConfirmation } from "./email-link";

async function tokenSentTo(email: string): Promise<string> {
  const [mail] = await db
    .select({ textBody: mailOutbox.textBody })
    .from(mailOutbox)
    .where(and(eq(mailOutbox.toAddress, email), eq(mailOutbox.subject, "Confirm your new e-mail address")));
  return mail.textBody.match(/verify-email\?token=([A-Za-z0-9_-]+)/)![1];
}

describe("the confirmation link's page", () => {
  it("email: the page names the address while the link works, and nothing once it is used", async () => {
    const user = await createUser();
    const actor = { userId: user.id, actorId: user.id, ip: "" };
    const newEmail = `${randomName("named")}@example.test`;
    await requestEmailChange(actor, { version: 1, newEmail, currentPassword: user.password });
    const token = await tokenSentTo(newEmail);
    expect(await addressAwaitingConfirmation(token)).toBe(newEmail);
    // Reading it used nothing up.
    expect(await addressAwaitingConfirmation(token)).toBe(newEmail);
    expect(await confirmEmailChange(token, { ip: "" })).toMatchObject({ ok: true });
    expect(await addressAwaitingConfirmation(token)).toBeNull();
    expect(await addressAwaitingConfirmation("not-a-token")).toBeNull();
  });

  it("email: a cancelled change's link names nothing", async () => {
    const user = await createUser();
    const actor = { userId: user.id, actorId: user.id, ip: "" };
    const newEmail = `${randomName("cancel")}@example.test`;
    await requestEmailChange(actor, { version: 1, newEmail, currentPassword: user.password });
    const token = await tokenSentTo(newEmail);
    await cancelEmailChange(actor);
    expect(await addressAwaitingConfirmation(token)).toBeNull();
  });
});

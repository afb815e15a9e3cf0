import { randomInt } from "node:crypto";
import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { db } from "@/db/client";
import { loginThrottle, mailOutbox, passwordResets, users } from "@/db/schema";
import { fail, inWords } from "@/lib/actions/result";
import { env } from "@/lib/env";
import type { Later } from "@/lib/mail/later";
import { reserveMail } from "@/lib/mail/limits";
import { createUser, randomName } from "@/lib/test/factories";
import { verifyPassword } from "./password-hash";
import { answerResetRequest, requestPasswordReset, resetLinkState, resetPassword } from "./password-reset";
import { createSession, findActiveSession } from "./sessions";
import { hashToken } from "./single-use-token";
import { verifyCredentials } from "./verify-credentials";

async function resetMailFor(email: string) {
  const mails = await db
    .select()
    .from(mailOutbox)
    .where(and(eq(mailOutbox.toAddress, email), eq(mailOutbox.subject, "Reset your MyAccount password")));
  return mails;
}

function tokenFrom(text: string): string {
  const match = text.match(/reset-password\?token=([A-Za-z0-9_-]+)/);
  if (!match) throw new Error("no token in mail");
  return match[1];
}

async function hashOf(id: string) {
  const [u] = await db.select({ passwordHash: users.passwordHash }).from(users).where(eq(users.id, id));
  return u.passwordHash;
}

describe("password reset", () => {
  it("reset: the mail carries a single-use token that is stored only hashed, and every session ends", async () => {
    const user = await createUser();
    const session = await createSession(db, { userId: user.id, userAgent: "", ip: "" });
    await requestPasswordReset(user.email.toUpperCase(), { ip: "" });
    const [mail] = await resetMailFor(user.email);
    const token = tokenFrom(mail.textBody);
    const [stored] = await db.select().from(passwordResets).where(eq(passwordResets.userId, user.id));
    expect(stored.tokenHash).toBe(hashToken(token));
    expect(stored.tokenHash).not.toContain(token);
    expect(stored.expiresAt.getTime() - Date.now()).toBeGreaterThan(29 * 60_000);
    expect(stored.expiresAt.getTime() - Date.now()).toBeLessThanOrEqual(30 * 60_000);

    expect(await resetPassword({ token, password: "brand new long passphrase" }, { ip: "" })).toMatchObject({
      ok: true,
    });
    expect(await verifyPassword(await hashOf(user.id), "brand new long passphrase")).toBe(true);
    expect(await findActiveSession(session)).toBeNull();

    const again = await resetPassword({ token, password: "another long passphrase" }, { ip: "" });
    expect(inWords(again)).toMatchObject({
      ok: false,
      formError: expect.stringContaining("expired or was already used"),
    });
    expect(await verifyPassword(await hashOf(user.id), "brand new long passphrase")).toBe(true);
  });

  it("reset: an unknown identifier sends nothing and answers the same way", async () => {
    const before = await db.$count(mailOutbox);
    await expect(requestPasswordReset(randomName("nobody"), { ip: "" })).resolves.toBeUndefined();
    expect(await db.$count(mailOutbox)).toBe(before);
  });

  it("reset: the form is answered before any lookup, so known and unknown accounts cost the same before the answer", async () => {
    const user = await createUser();
    const ip = `198.20.${randomInt(0, 256)}.${randomInt(1, 255)}`;
    const tasks: (() => Promise<void>)[] = [];
    const later: Later = (task) => void tasks.push(task);
    const throttleRows = () => db.$count(loginThrottle, eq(loginThrottle.key, `reset-ip:${ip}`));
    expect(answerResetRequest(user.username, { ip }, later)).toBeUndefined();
    expect(answerResetRequest(randomName("nobody"), { ip }, later)).toBeUndefined();
    // One task each, and nothing read or written yet: no limit counted, no token, no mail.
    expect(tasks).toHaveLength(2);
    expect(await throttleRows()).toBe(0);
    expect(await db.$count(passwordResets, eq(passwordResets.userId, user.id))).toBe(0);
    expect(await resetMailFor(user.email)).toEqual([]);
    for (const task of tasks) await task();
    expect(await resetMailFor(user.email)).toHaveLength(1);
    expect(await throttleRows()).toBe(1);
  });

  it("reset: past the mail limit for its address the request is answered the same, without a mail", async () => {
    const user = await createUser();
    const ip = () => `198.20.${randomInt(0, 256)}.${randomInt(1, 255)}`;
    for (let i = 0; i < env().MAIL_LIMIT_PER_RECIPIENT_PER_HOUR; i++) await reserveMail({ ip: ip() }, user.email);
    await expect(requestPasswordReset(user.username, { ip: ip() })).resolves.toBeUndefined();
    expect(await resetMailFor(user.email)).toEqual([]);
    expect(await db.$count(passwordResets, eq(passwordResets.userId, user.id))).toBe(0);
  });

  it("reset: an expired token is refused", async () => {
    const user = await createUser();
    await requestPasswordReset(user.username, { ip: "" });
    const token = tokenFrom((await resetMailFor(user.email))[0].textBody);
    await db
      .update(passwordResets)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(passwordResets.userId, user.id));
    expect(await resetPassword({ token, password: "brand new long passphrase" }, { ip: "" })).toMatchObject({
      ok: false,
    });
    expect(await verifyPassword(await hashOf(user.id), user.password)).toBe(true);
  });

  it("reset: using one link ends every other outstanding link", async () => {
    const user = await createUser();
    await requestPasswordReset(user.username, { ip: "" });
    await requestPasswordReset(user.email, { ip: "" });
    const tokens = (await resetMailFor(user.email)).map((m) => tokenFrom(m.textBody));
    expect(tokens).toHaveLength(2);
    expect(await resetPassword({ token: tokens[1], password: "brand new long passphrase" }, { ip: "" })).toMatchObject({
      ok: true,
    });
    expect(await resetPassword({ token: tokens[0], password: "another long passphrase" }, { ip: "" })).toMatchObject({
      ok: false,
    });
  });

  it("reset: two racing uses of one link — exactly one succeeds", async () => {
    const user = await createUser();
    await requestPasswordReset(user.username, { ip: "" });
    const token = tokenFrom((await resetMailFor(user.email))[0].textBody);
    const results = await Promise.all([
      resetPassword({ token, password: "first racing passphrase" }, { ip: "" }),
      resetPassword({ token, password: "second racing passphrase" }, { ip: "" }),
    ]);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
  });

  it("reset: the link's state is read without using it up — usable, then used; expired; unknown", async () => {
    const user = await createUser();
    await requestPasswordReset(user.username, { ip: "" });
    const token = tokenFrom((await resetMailFor(user.email))[0].textBody);
    expect(await resetLinkState(token)).toBe("usable");
    expect(await resetLinkState(token)).toBe("usable");
    expect(await resetPassword({ token, password: "brand new long passphrase" }, { ip: "" })).toMatchObject({
      ok: true,
    });
    expect(await resetLinkState(token)).toBe("used");
    expect(await resetLinkState(`${token}x`)).toBe("unknown");

    const other = await createUser();
    await requestPasswordReset(other.username, { ip: "" });
    const stale = tokenFrom((await resetMailFor(other.email))[0].textBody);
    await db
      .update(passwordResets)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(passwordResets.userId, other.id));
    expect(await resetLinkState(stale)).toBe("expired");
  });

  it("reset: a successful reset lifts the account's sign-in limit at once (the address's count stays)", async () => {
    const user = await createUser();
    const ip = `100.65.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}`;
    for (let i = 0; i < 6; i++)
      await verifyCredentials({ identifier: user.username, password: `wrong-${i}`, ip, userAgent: "" });
    const limited = await verifyCredentials({ identifier: user.username, password: user.password, ip, userAgent: "" });
    expect(limited).toMatchObject({ ok: false, reason: "rate_limited" });
    expect(inWords(fail({ code: "tooManyAttempts", of: "signIn", retryAfterSeconds: 900 }))).toMatchObject({
      formError:
        "Too many unsuccessful sign-in attempts. Please try again in 15 minutes, or reset your password to sign in immediately.",
    });

    await requestPasswordReset(user.username, { ip: "" });
    const token = tokenFrom((await resetMailFor(user.email))[0].textBody);
    expect(await resetPassword({ token, password: "brand new long passphrase" }, { ip: "" })).toMatchObject({
      ok: true,
    });
    const keys = (await db.select({ key: loginThrottle.key }).from(loginThrottle)).map((r) => r.key);
    expect(keys).not.toContain(`account:${user.id}`);
    expect(keys).toContain(`ip:${ip}`);
    expect(
      await verifyCredentials({ identifier: user.username, password: "brand new long passphrase", ip, userAgent: "" }),
    ).toMatchObject({ ok: true });
  });
});

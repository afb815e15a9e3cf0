import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { db } from "@/db/client";
import { loginThrottle, mailOutbox, passwordResets, users } from "@/db/schema";
import { fail, inWords } from "@/lib/actions/result";
import { createUser, randomName } from "@/lib/test/factories";
import { verifyPassword } from "./password-hash";
import { requestPasswordReset, resetLinkState, resetPassword } from "./password-reset";
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

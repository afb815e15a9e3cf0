import { and, eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { db } from "@/db/client";
import {
  auditEvents,
  authenticatorApps,
  emailChangeRequests,
  mailOutbox,
  passkeys,
  recoveryCodes,
  recoveryTokens,
  sessions,
  users,
} from "@/db/schema";
import { inWords } from "@/lib/actions/result";
import { describeActivity } from "@/lib/audit/activity";
import { changePassword } from "@/lib/auth/password-change";
import { resetPassword } from "@/lib/auth/password-reset";
import { createSession, findActiveSession } from "@/lib/auth/sessions";
import { linksNotAlone } from "@/lib/mail/render";
import { confirmEmailChange, requestEmailChange } from "@/lib/profile/email-change";
import { createUser, randomName, TEST_TOTP_SECRET } from "@/lib/test/factories";
import { sealTotpSecret } from "@/lib/two-step/secret";
import { recoverAccount, undoEmailChange } from "./recover";
import { peekRecoveryToken } from "./tokens";

async function lastMail(to: string, subject: string) {
  const rows = await db
    .select()
    .from(mailOutbox)
    .where(and(eq(mailOutbox.toAddress, to), eq(mailOutbox.subject, subject)))
    .orderBy(mailOutbox.id);
  return rows[rows.length - 1];
}

const tokenIn = (text: string, path: string) =>
  text.match(new RegExp(`^https://[^/]+${path}\\?token=([A-Za-z0-9_-]+)$`, "m"))![1];

async function emailOf(id: string) {
  const [u] = await db.select({ email: users.email }).from(users).where(eq(users.id, id));
  return u.email;
}

async function signedIn(userId: string, n = 2) {
  const ids: string[] = [];
  for (let i = 0; i < n; i++)
    ids.push(await createSession(db, { userId, userAgent: "Mozilla/5.0 Firefox/120", ip: "" }));
  return ids;
}

async function activeSessions(userId: string) {
  const rows = await db
    .select({ id: sessions.id })
    .from(sessions)
    .where(and(eq(sessions.userId, userId), sql`${sessions.revokedAt} is null`));
  return rows.length;
}

/** A customer whose address was changed from `user.email` to a new one; the undo token from the old address's mail. */
async function changedEmail() {
  const user = await createUser();
  const actor = { userId: user.id, actorId: user.id, ip: "" };
  const newEmail = `${randomName("new")}@example.test`;
  await requestEmailChange(actor, { version: 1, newEmail, currentPassword: user.password });
  const verify = await lastMail(newEmail, "Confirm your new e-mail address");
  await confirmEmailChange(tokenIn(verify.textBody, "/verify-email"), { ip: "" });
  const notice = await lastMail(user.email, "Your MyAccount e-mail address was changed");
  return { user, newEmail, notice, token: tokenIn(notice.textBody, "/undo-email") };
}

/** A customer whose password was changed; the "This wasn't me" token from the mail, and the event's time. */
async function passwordChanged() {
  const user = await createUser();
  const [current] = await signedIn(user.id, 1);
  await changePassword(
    { currentPassword: user.password, password: "an intruder's passphrase 7" },
    { userId: user.id, sessionId: current },
    { ip: "" },
  );
  const mail = await lastMail(user.email, "Your MyAccount password was changed");
  const token = tokenIn(mail.textBody, "/not-me");
  return { user, token, eventAt: await eventOf(token, "not_me") };
}

async function eventOf(token: string, kind: "not_me" | "email_undo") {
  const rows = await db
    .select({ eventAt: recoveryTokens.eventAt, tokenHash: recoveryTokens.tokenHash })
    .from(recoveryTokens)
    .where(eq(recoveryTokens.kind, kind));
  const { hashToken } = await import("@/lib/auth/single-use-token");
  return rows.find((r) => r.tokenHash === hashToken(token))!.eventAt;
}

describe("recovery links", () => {
  it("undo: the mail to the old address carries an undo link on its own line, valid 7 days, bound to that address", async () => {
    const { user, notice, token } = await changedEmail();
    expect(linksNotAlone(notice.textBody)).toEqual([]);
    expect(notice.htmlBody).toContain(`/undo-email?token=${token}"`);
    const [row] = await db
      .select()
      .from(recoveryTokens)
      .where(eq(recoveryTokens.userId, user.id))
      .orderBy(sql`created_at desc`);
    expect(row).toMatchObject({ kind: "email_undo", oldEmail: user.email, usedAt: null });
    expect((row.expiresAt.getTime() - row.createdAt.getTime()) / 86_400_000).toBeCloseTo(7, 2);
    expect(await peekRecoveryToken(token, "email_undo")).toEqual({ oldEmail: user.email });
    // The kinds do not mix: an undo token is no "This wasn't me".
    expect(await peekRecoveryToken(token, "not_me")).toBeNull();
    expect(await recoverAccount(token, { ip: "" })).toMatchObject({ ok: false, error: "recoveryLinkUsed" });
  });

  it("undo: restores the old address, cancels pending changes, signs out every session, starts a reset; works once", async () => {
    const { user, newEmail, token } = await changedEmail();
    const [sessionId] = await signedIn(user.id, 3);
    // A further change waiting for confirmation (e.g. the intruder's next step) is cancelled.
    await requestEmailChange(
      { userId: user.id, actorId: user.id, ip: "" },
      { version: 3, newEmail: `${randomName("next")}@example.test`, currentPassword: user.password },
    );
    const result = await undoEmailChange(token, { ip: "198.51.100.4" });
    expect(result).toMatchObject({ ok: true, message: `Your e-mail address is ${user.email} again.` });
    expect(await emailOf(user.id)).toBe(user.email);
    expect(await activeSessions(user.id)).toBe(0);
    expect(await findActiveSession(sessionId)).toBeNull();
    const pending = await db
      .select()
      .from(emailChangeRequests)
      .where(and(eq(emailChangeRequests.userId, user.id), sql`used_at is null and cancelled_at is null`));
    expect(pending).toEqual([]);
    // The returned reset token works (the page sends the person to choose a password with it).
    const resetToken = result.ok ? result.data.resetToken : "";
    expect(await resetPassword({ token: resetToken, password: "back in my hands 2026" }, { ip: "" })).toMatchObject({
      ok: true,
    });
    // Single use.
    expect(await undoEmailChange(token, { ip: "" })).toMatchObject({ ok: false, error: "recoveryLinkUsed" });
    const [audit] = await db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.subjectUserId, user.id), eq(auditEvents.action, "email.change_undone")));
    expect(audit.ip).toBe("198.51.100.4");
    expect(describeActivity(audit.action, audit.detail)).toContain("is your address again");
    expect(JSON.stringify(audit.detail)).not.toContain(newEmail);
  });

  it("undo: refused, and still usable, while another account holds the old address", async () => {
    const { user, token } = await changedEmail();
    const other = await createUser();
    await db.update(users).set({ email: user.email }).where(eq(users.id, other.id));
    expect(inWords(await undoEmailChange(token, { ip: "" }))).toMatchObject({
      ok: false,
      formError: expect.stringContaining("now belongs to another account"),
    });
    expect(await emailOf(user.id)).not.toBe(user.email);
    await db.update(users).set({ email: other.email }).where(eq(users.id, other.id));
    expect(await undoEmailChange(token, { ip: "" })).toMatchObject({ ok: true });
  });

  it("undo: an expired link (over 7 days) does nothing", async () => {
    const { user, token } = await changedEmail();
    await db
      .update(recoveryTokens)
      .set({ expiresAt: sql`now() - interval '1 second'` })
      .where(eq(recoveryTokens.userId, user.id));
    expect(await peekRecoveryToken(token, "email_undo")).toBeNull();
    expect(await undoEmailChange(token, { ip: "" })).toMatchObject({ ok: false, error: "recoveryLinkUsed" });
    expect(await emailOf(user.id)).not.toBe(user.email);
  });

  it("not me: from a password-changed mail, signs out every device and starts a reset in one step; single use; audited", async () => {
    const user = await createUser();
    const [current] = await signedIn(user.id, 2);
    await changePassword(
      { currentPassword: user.password, password: "an intruder's passphrase 7" },
      { userId: user.id, sessionId: current },
      { ip: "" },
    );
    expect(await activeSessions(user.id)).toBe(1);
    const mail = await lastMail(user.email, "Your MyAccount password was changed");
    expect(linksNotAlone(mail.textBody)).toEqual([]);
    const token = tokenIn(mail.textBody, "/not-me");
    expect(await peekRecoveryToken(token, "not_me")).toEqual({ oldEmail: null });
    // Looking at the page changes nothing.
    expect(await activeSessions(user.id)).toBe(1);
    const result = await recoverAccount(token, { ip: "192.0.2.9" });
    expect(result.ok).toBe(true);
    expect(await activeSessions(user.id)).toBe(0);
    expect(await findActiveSession(current)).toBeNull();
    // The intruder's password no longer signs in, even before the owner picks a new one.
    const [after] = await db.select({ hash: users.passwordHash }).from(users).where(eq(users.id, user.id));
    expect(after.hash).toBeNull();
    expect(await recoverAccount(token, { ip: "" })).toMatchObject({ ok: false, error: "recoveryLinkUsed" });
    const resetToken = result.ok ? result.data.resetToken : "";
    expect(await resetPassword({ token: resetToken, password: "mine again, thank you 8" }, { ip: "" })).toMatchObject({
      ok: true,
    });
    const [audit] = await db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.subjectUserId, user.id), eq(auditEvents.action, "account.recovered")));
    expect(audit).toMatchObject({ actorId: user.id, ip: "192.0.2.9" });
    expect(describeActivity(audit.action, audit.detail)).toContain("This wasn't me");
  });

  it("not me and undo: every sign-in factor added since the alerted change goes; older ones stay", async () => {
    for (const path of ["not me", "undo"] as const) {
      const { user, token, eventAt } =
        path === "undo"
          ? await changedEmail().then(async (c) => ({ ...c, eventAt: await eventOf(c.token, "email_undo") }))
          : await passwordChanged();
      const before = new Date(eventAt.getTime() - 3600_000);
      const after = new Date(eventAt.getTime() + 1000);
      // The owner's authenticator and passkey from before; the intruder's passkey and fresh codes after.
      await db.insert(authenticatorApps).values({
        userId: user.id,
        secretBox: sealTotpSecret(user.id, TEST_TOTP_SECRET),
        confirmedAt: before,
        createdAt: before,
      });
      const key = (name: string, createdAt: Date) => ({
        userId: user.id,
        credentialId: randomName("cred"),
        publicKey: "pk",
        name,
        createdAt,
      });
      await db.insert(passkeys).values([key("owner's laptop", before), key("intruder's phone", after)]);
      await db.insert(recoveryCodes).values([{ userId: user.id, codeHash: randomName("h"), createdAt: after }]);

      const result =
        path === "undo" ? await undoEmailChange(token, { ip: "" }) : await recoverAccount(token, { ip: "" });
      expect(result, path).toMatchObject({ ok: true });
      const left = await db.select({ name: passkeys.name }).from(passkeys).where(eq(passkeys.userId, user.id));
      expect(left.map((p) => p.name)).toEqual(["owner's laptop"]);
      expect(await db.select().from(authenticatorApps).where(eq(authenticatorApps.userId, user.id))).toHaveLength(1);
      expect(await db.select().from(recoveryCodes).where(eq(recoveryCodes.userId, user.id))).toHaveLength(0);
      const [audit] = await db
        .select({ detail: auditEvents.detail })
        .from(auditEvents)
        .where(
          and(
            eq(auditEvents.subjectUserId, user.id),
            eq(auditEvents.action, path === "undo" ? "email.change_undone" : "account.recovered"),
          ),
        );
      expect(audit.detail, path).toMatchObject({
        factorsRemoved: { passkeys: 1, authenticator: false, recoveryCodes: 1 },
      });
    }
  });

  it("not me: from the e-mail-change-requested notice, it also cancels the pending change", async () => {
    const user = await createUser();
    const newEmail = `${randomName("new")}@example.test`;
    await requestEmailChange(
      { userId: user.id, actorId: user.id, ip: "" },
      { version: 1, newEmail, currentPassword: user.password },
    );
    const notice = await lastMail(user.email, "A change of your MyAccount e-mail address was requested");
    expect(linksNotAlone(notice.textBody)).toEqual([]);
    expect(await recoverAccount(tokenIn(notice.textBody, "/not-me"), { ip: "" })).toMatchObject({ ok: true });
    const verify = await lastMail(newEmail, "Confirm your new e-mail address");
    expect(await confirmEmailChange(tokenIn(verify.textBody, "/verify-email"), { ip: "" })).toMatchObject({
      ok: false,
    });
    expect(await emailOf(user.id)).toBe(user.email);
  });
});

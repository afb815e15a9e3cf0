import { and, eq, sql } from "drizzle-orm";
import { TOTP } from "otpauth";
import { describe, expect, it } from "vitest";
import { db } from "@/db/client";
import { describeActivity } from "@/lib/audit/activity";
import { auditEvents, mailOutbox, passkeys, recoveryCodes, recoveryTokens, sessions } from "@/db/schema";
import { createSession, findActiveSession, forgetSessions, type ActiveSession } from "@/lib/auth/sessions";
import { createUser } from "@/lib/test/factories";
import { createSoftAuthenticator } from "@/lib/test/soft-authenticator";
import { factorSummary } from "./factors";
import {
  addPasskey,
  confirmAuthenticatorSetup,
  regenerateRecoveryCodes,
  removeOwnAuthenticator,
  removeOwnPasskey,
  renameOwnPasskey,
  startAddingPasskey,
  startAuthenticatorSetup,
} from "./manage";
import { relyingParty } from "./webauthn-config";

async function signedIn(userId: string) {
  const sessionId = await createSession(db, {
    userId,
    userAgent: "Mozilla/5.0 (X11; Linux x86_64) Chrome/140",
    ip: "",
  });
  return { sessionId, actor: { session: (await findActiveSession(sessionId))!, ip: "203.0.113.9" } };
}

/** The session as its page would see it, `minutesAgo` after its last verification. */
async function verifiedAgo(sessionId: string, minutesAgo: number): Promise<ActiveSession> {
  await db
    .update(sessions)
    .set({ reauthenticatedAt: sql`now() - make_interval(mins => ${minutesAgo})` })
    .where(eq(sessions.id, sessionId));
  forgetSessions();
  return (await findActiveSession(sessionId))!;
}

async function audits(userId: string, action: string) {
  return db
    .select()
    .from(auditEvents)
    .where(and(eq(auditEvents.subjectUserId, userId), eq(auditEvents.action, action)));
}

async function mailsTo(email: string) {
  return db.select().from(mailOutbox).where(eq(mailOutbox.toAddress, email));
}

async function addSoftPasskey(actor: { session: ActiveSession; ip: string }, name = "Laptop") {
  const authenticator = createSoftAuthenticator();
  const options = await startAddingPasskey(actor);
  if (!options.ok) throw new Error("options refused");
  const response = authenticator.register(options.data, relyingParty().origin);
  return addPasskey(actor, { name, response });
}

describe("managing two-step", () => {
  it("manage: the first passkey turns two-step on with ten recovery codes, signs out the other sessions, audits and mails a not-me link", async () => {
    const user = await createUser();
    const { actor } = await signedIn(user.id);
    const other = await createSession(db, { userId: user.id, userAgent: "", ip: "" });

    const added = await addSoftPasskey(actor);
    expect(added).toMatchObject({ ok: true });
    if (!added.ok) return;
    expect(added.data.recoveryCodes).toHaveLength(10);
    expect(await findActiveSession(other)).toBeNull();
    expect(await findActiveSession(actor.session.sessionId)).not.toBeNull();

    const [row] = await audits(user.id, "two_step.passkey_added");
    expect(row.detail).toMatchObject({ name: "Laptop", otherSessionsSignedOut: 1 });
    expect(row.ip).toBe("203.0.113.9");
    // What the customer reads on /account/activity and in their data download.
    expect(describeActivity(row.action, row.detail)).toBe("Passkey added: Laptop (other devices signed out)");
    const [mail] = await mailsTo(user.email);
    expect(mail.subject).toBe("A passkey was added to your MyAccount");
    expect(mail.textBody).toContain('A passkey ("Laptop") was added on');
    expect(mail.textBody).toContain("from Chrome 140 on Linux");
    expect(mail.textBody).toMatch(/\/not-me\?token=\S+/);
    // The not-me link reaches back to the passkey's creation: recovery removes it.
    const [key] = await db.select().from(passkeys).where(eq(passkeys.userId, user.id));
    const [token] = await db.select().from(recoveryTokens).where(eq(recoveryTokens.userId, user.id));
    expect(token.kind).toBe("not_me");
    expect(token.eventAt.getTime()).toBe(key.createdAt.getTime());

    // A second factor adds no new codes: the first set stays.
    const second = await addSoftPasskey(actor, "Phone");
    expect(second).toMatchObject({ ok: true, data: { recoveryCodes: null } });
    expect((await factorSummary(user.id)).recoveryCodes).toMatchObject({ unused: 10 });
  });

  it("manage: every change of a way in needs a verification within 5 minutes; renaming does not", async () => {
    const user = await createUser();
    const { sessionId, actor } = await signedIn(user.id);
    expect(await addSoftPasskey(actor)).toMatchObject({ ok: true });
    const [key] = await db.select().from(passkeys).where(eq(passkeys.userId, user.id));

    const stale = { session: await verifiedAgo(sessionId, 6), ip: "" };
    expect(await startAddingPasskey(stale)).toEqual({ ok: false, error: "freshVerificationNeeded" });
    expect(await startAuthenticatorSetup(stale)).toMatchObject({ ok: false, error: "freshVerificationNeeded" });
    expect(await removeOwnPasskey(stale, key.id)).toMatchObject({ ok: false, error: "freshVerificationNeeded" });
    expect(await removeOwnAuthenticator(stale)).toMatchObject({ ok: false, error: "freshVerificationNeeded" });
    expect(await regenerateRecoveryCodes(stale)).toMatchObject({ ok: false, error: "freshVerificationNeeded" });
    expect(await confirmAuthenticatorSetup(stale, "123456")).toMatchObject({
      ok: false,
      error: "freshVerificationNeeded",
    });
    expect(await db.select().from(passkeys).where(eq(passkeys.userId, user.id))).toHaveLength(1);

    const mailsBefore = (await mailsTo(user.email)).length;
    expect(await renameOwnPasskey(stale, key.id, "Work laptop")).toMatchObject({ ok: true });
    expect((await db.select().from(passkeys).where(eq(passkeys.id, key.id)))[0].name).toBe("Work laptop");
    expect(await audits(user.id, "two_step.passkey_renamed")).toHaveLength(1);
    expect(await mailsTo(user.email)).toHaveLength(mailsBefore);

    // Four minutes is still fresh.
    const fresh = { session: await verifiedAgo(sessionId, 4), ip: "" };
    expect(await removeOwnPasskey(fresh, key.id)).toMatchObject({ ok: true });
  });

  it("manage: the authenticator app is on after its first code; removing a customer's last factor turns two-step off and deletes the codes", async () => {
    const user = await createUser();
    const { actor } = await signedIn(user.id);
    const started = await startAuthenticatorSetup(actor);
    expect(started).toMatchObject({ ok: true });
    if (!started.ok) return;
    expect(started.data.qrSvg).toContain("<svg");

    expect(await confirmAuthenticatorSetup(actor, "000000")).toMatchObject({
      ok: false,
      error: "invalidInput",
      fieldErrors: { code: ["twoStepCodeWrong"] },
    });
    const code = new TOTP({ secret: started.data.secret }).generate();
    const on = await confirmAuthenticatorSetup(actor, code);
    expect(on).toMatchObject({ ok: true });
    if (!on.ok) return;
    expect(on.data.recoveryCodes).toHaveLength(10);
    expect(await audits(user.id, "two_step.authenticator_added")).toHaveLength(1);
    expect((await factorSummary(user.id)).authenticator).not.toBeNull();

    const regenerated = await regenerateRecoveryCodes(actor);
    expect(regenerated).toMatchObject({ ok: true });
    if (!regenerated.ok) return;
    expect(regenerated.data.recoveryCodes).toHaveLength(10);
    expect(regenerated.data.recoveryCodes).not.toContain(on.data.recoveryCodes?.[0]);
    expect(await audits(user.id, "two_step.recovery_codes_regenerated")).toHaveLength(1);

    expect(await removeOwnAuthenticator(actor)).toMatchObject({ ok: true });
    expect(await audits(user.id, "two_step.authenticator_removed")).toHaveLength(1);
    expect(await db.select().from(recoveryCodes).where(eq(recoveryCodes.userId, user.id))).toEqual([]);
    expect(await factorSummary(user.id)).toMatchObject({ authenticator: null, recoveryCodes: null });
    expect(await removeOwnAuthenticator(actor)).toMatchObject({ ok: false, error: "factorNotFound" });
    expect(await regenerateRecoveryCodes(actor)).toMatchObject({ ok: false, error: "recoveryCodesNeedFactor" });
    const subjects = (await mailsTo(user.email)).map((m) => m.subject);
    expect(subjects).toEqual(
      expect.arrayContaining([
        "An authenticator app was set up for your MyAccount",
        "New recovery codes were made for your MyAccount",
        "The authenticator app was removed from your MyAccount",
      ]),
    );
  });

  it("manage: staff cannot remove their last factor (nothing changes), but can once another is added", async () => {
    const rep = await createUser({ role: "rep" });
    const { actor } = await signedIn(rep.id);
    const other = await createSession(db, { userId: rep.id, userAgent: "", ip: "" });

    expect(await removeOwnAuthenticator(actor)).toEqual({ ok: false, error: "staffFactorRequired" });
    expect((await factorSummary(rep.id)).authenticator).not.toBeNull();
    expect(await findActiveSession(other)).not.toBeNull();
    expect(await audits(rep.id, "two_step.authenticator_removed")).toEqual([]);

    // Staff already had a factor (the factory's authenticator): a passkey issues no codes.
    expect(await addSoftPasskey(actor)).toMatchObject({ ok: true, data: { recoveryCodes: null } });
    expect(await removeOwnAuthenticator(actor)).toMatchObject({ ok: true });
    const [key] = await db.select().from(passkeys).where(eq(passkeys.userId, rep.id));
    expect(await removeOwnPasskey(actor, key.id)).toEqual({ ok: false, error: "staffFactorRequired" });
    expect(await db.select().from(passkeys).where(eq(passkeys.userId, rep.id))).toHaveLength(1);
  });

  it("manage: a passkey answer from another session's ceremony is refused", async () => {
    const user = await createUser();
    const { actor } = await signedIn(user.id);
    const { actor: elsewhere } = await signedIn(user.id);
    const options = await startAddingPasskey(elsewhere);
    if (!options.ok) throw new Error("options refused");
    const response = createSoftAuthenticator().register(options.data, relyingParty().origin);
    expect(await addPasskey(actor, { name: "Laptop", response })).toEqual({ ok: false, error: "passkeyFailed" });
    expect(await db.select().from(passkeys).where(eq(passkeys.userId, user.id))).toEqual([]);
  });
});

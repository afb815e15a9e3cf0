import { and, eq, sql } from "drizzle-orm";
import { TOTP } from "otpauth";
import { describe, expect, it } from "vitest";
import { db } from "@/db/client";
import { auditEvents, sessions } from "@/db/schema";
import { createSession, findPartialSession, type PartialSession } from "@/lib/auth/sessions";
import { env } from "@/lib/env";
import { createUser, TEST_TOTP_SECRET } from "@/lib/test/factories";
import { createSoftAuthenticator } from "@/lib/test/soft-authenticator";
import { passkeyAuthenticationOptions, passkeyRegistrationOptions, savePasskey } from "./passkeys";
import { issueRecoveryCodes } from "./recovery-codes";
import { finishSecondStep } from "./second-step";
import { relyingParty } from "./webauthn-config";

const totp = new TOTP({ secret: TEST_TOTP_SECRET, digits: 6, period: 30, algorithm: "SHA1" });
/** The code of the step `offset` steps from now (±1 are accepted, so three distinct usable codes). */
const codeAt = (offset: number) => totp.generate({ timestamp: Date.now() + offset * 30_000 });
const meta = { ip: "198.51.100.7" };

async function partialFor(userId: string, stage: "second_step" | "enrol" = "second_step"): Promise<PartialSession> {
  const sid = await createSession(db, { userId, userAgent: "test", ip: meta.ip, stage });
  const partial = await findPartialSession(sid);
  if (!partial) throw new Error("no partial session");
  return partial;
}

async function sessionRow(id: string) {
  const [row] = await db.select().from(sessions).where(eq(sessions.id, id));
  return row;
}

async function audits(userId: string, action: string) {
  return db
    .select()
    .from(auditEvents)
    .where(and(eq(auditEvents.subjectUserId, userId), eq(auditEvents.action, action)));
}

describe("finishSecondStep", () => {
  it("second step: an authenticator code makes the session full, recorded as password+authenticator, and audits the sign-in", async () => {
    const user = await createUser({ twoStep: true });
    const partial = await partialFor(user.id);
    expect(await finishSecondStep(partial, { method: "authenticator", code: codeAt(0) }, meta)).toEqual({
      ok: true,
      data: { role: "customer" },
      message: undefined,
    });
    expect(await sessionRow(partial.sessionId)).toMatchObject({
      stage: "full",
      verifiedBy: "password+authenticator",
    });
    const [audit] = await audits(user.id, "auth.sign_in");
    expect(audit.detail).toEqual({ sessionId: partial.sessionId, verifiedBy: "password+authenticator" });
  });

  it("second step: a wrong code is refused, audited, and the session stays partial", async () => {
    const user = await createUser({ twoStep: true });
    const partial = await partialFor(user.id);
    const wrong = codeAt(0) === "000000" ? "111111" : "000000";
    expect(await finishSecondStep(partial, { method: "authenticator", code: wrong }, meta)).toMatchObject({
      ok: false,
      error: "twoStepCodeWrong",
    });
    expect((await sessionRow(partial.sessionId)).stage).toBe("second_step");
    expect(await audits(user.id, "auth.second_step_failed")).toHaveLength(1);
    expect(await audits(user.id, "auth.sign_in")).toHaveLength(0);
  });

  it("second step: a TOTP code used in one sign-in is refused in another (replay across sessions)", async () => {
    const user = await createUser({ twoStep: true });
    const code = codeAt(0);
    const first = await partialFor(user.id);
    const second = await partialFor(user.id);
    expect((await finishSecondStep(first, { method: "authenticator", code }, meta)).ok).toBe(true);
    expect(await finishSecondStep(second, { method: "authenticator", code }, meta)).toMatchObject({
      ok: false,
      error: "twoStepCodeUsed",
    });
    expect((await sessionRow(second.sessionId)).stage).toBe("second_step");
  });

  it("second step: a recovery code works once", async () => {
    const user = await createUser({ twoStep: true });
    const codes = await issueRecoveryCodes(db, user.id);
    const first = await partialFor(user.id);
    // Typed in capitals with spaces: still the same code.
    const typed = ` ${codes[3].toUpperCase()} `;
    expect((await finishSecondStep(first, { method: "recovery_code", code: typed }, meta)).ok).toBe(true);
    expect((await sessionRow(first.sessionId)).verifiedBy).toBe("password+recovery_code");
    const second = await partialFor(user.id);
    expect(await finishSecondStep(second, { method: "recovery_code", code: codes[3] }, meta)).toMatchObject({
      ok: false,
      error: "recoveryCodeWrong",
    });
    expect((await finishSecondStep(second, { method: "recovery_code", code: codes[4] }, meta)).ok).toBe(true);
  });

  it("second step: a passkey bound to this partial session finishes it; one bound to another does not", async () => {
    const user = await createUser();
    const full = await createSession(db, { userId: user.id, userAgent: "", ip: "" });
    const authenticator = createSoftAuthenticator();
    const registration = await passkeyRegistrationOptions({
      userId: user.id,
      userName: user.username,
      displayName: "Test Person",
      sessionId: full,
    });
    const saved = await savePasskey(db, {
      userId: user.id,
      sessionId: full,
      name: "Laptop",
      response: authenticator.register(registration, relyingParty().origin),
    });
    expect(saved.ok).toBe(true);

    const partial = await partialFor(user.id);
    const other = await partialFor(user.id);
    // An assertion made for another partial session's challenge does not finish this one.
    const otherOptions = await passkeyAuthenticationOptions("second_step", {
      userId: user.id,
      sessionId: other.sessionId,
    });
    const foreign = authenticator.assert(otherOptions, relyingParty().origin);
    expect(await finishSecondStep(partial, { method: "passkey", response: foreign }, meta)).toMatchObject({
      ok: false,
      error: "passkeyFailed",
    });

    const options = await passkeyAuthenticationOptions("second_step", {
      userId: user.id,
      sessionId: partial.sessionId,
    });
    const response = authenticator.assert(options, relyingParty().origin);
    expect((await finishSecondStep(partial, { method: "passkey", response }, meta)).ok).toBe(true);
    expect(await sessionRow(partial.sessionId)).toMatchObject({ stage: "full", verifiedBy: "password+passkey" });
  });

  it("second step: an expired partial session is refused, even with a right code", async () => {
    const user = await createUser({ twoStep: true });
    const partial = await partialFor(user.id);
    await db
      .update(sessions)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(sessions.id, partial.sessionId));
    expect(await findPartialSession(partial.sessionId)).toBeNull();
    expect(await finishSecondStep(partial, { method: "authenticator", code: codeAt(0) }, meta)).toMatchObject({
      ok: false,
      error: "twoStepSignInExpired",
    });
    expect((await sessionRow(partial.sessionId)).stage).toBe("second_step");
  });

  it("second step: a completed session cannot be completed twice", async () => {
    const user = await createUser({ twoStep: true });
    const codes = await issueRecoveryCodes(db, user.id);
    const partial = await partialFor(user.id);
    expect((await finishSecondStep(partial, { method: "authenticator", code: codeAt(-1) }, meta)).ok).toBe(true);
    expect(await finishSecondStep(partial, { method: "recovery_code", code: codes[0] }, meta)).toMatchObject({
      ok: false,
      error: "twoStepSignInExpired",
    });
    expect((await sessionRow(partial.sessionId)).verifiedBy).toBe("password+authenticator");
    expect(await audits(user.id, "auth.sign_in")).toHaveLength(1);
  });

  it("second step: an enrolment session is not a second step", async () => {
    const user = await createUser({ role: "rep", twoStep: false });
    const partial = await partialFor(user.id, "enrol");
    expect(await finishSecondStep(partial, { method: "authenticator", code: codeAt(0) }, meta)).toMatchObject({
      ok: false,
      error: "twoStepSignInExpired",
    });
  });

  it("second step: after 5 wrong answers the account must wait, even with the right code, across sessions", async () => {
    const user = await createUser({ twoStep: true });
    const codes = await issueRecoveryCodes(db, user.id);
    for (let i = 0; i < 5; i++) {
      const partial = await partialFor(user.id);
      expect((await finishSecondStep(partial, { method: "recovery_code", code: `wrong-code-${i}` }, meta)).ok).toBe(
        false,
      );
    }
    const partial = await partialFor(user.id);
    const limited = await finishSecondStep(partial, { method: "authenticator", code: codeAt(0) }, meta);
    expect(limited).toMatchObject({ ok: false, error: { code: "tooManyAttempts", of: "secondStep" } });
    expect(await finishSecondStep(partial, { method: "recovery_code", code: codes[0] }, meta)).toMatchObject({
      ok: false,
      error: { code: "tooManyAttempts" },
    });
    // Limited before the factor is looked at: the recovery code was not spent.
    expect((await sessionRow(partial.sessionId)).stage).toBe("second_step");
  });

  it("second step: wrong answers bring growing delays, not a lock (whoever knows the password cannot shut the owner out)", async () => {
    const user = await createUser({ twoStep: true });
    const base = env().LOGIN_DELAY_BASE_SECONDS;
    const waitOf = (r: Awaited<ReturnType<typeof finishSecondStep>>) =>
      !r.ok && typeof r.error === "object" && r.error.code === "tooManyAttempts" ? r.error.retryAfterSeconds : 0;
    const letWaitPass = () =>
      db.execute(
        sql`update login_throttle set next_allowed_at = now() - interval '1 second' where key = ${`second-step:${user.id}`}`,
      );
    for (let i = 0; i < 5; i++) {
      await finishSecondStep(await partialFor(user.id), { method: "recovery_code", code: `wrong-code-${i}` }, meta);
    }
    const first = waitOf(
      await finishSecondStep(await partialFor(user.id), { method: "authenticator", code: "000000" }, meta),
    );
    expect(first).toBeGreaterThan(0);
    expect(first).toBeLessThanOrEqual(base);
    await letWaitPass();
    await finishSecondStep(await partialFor(user.id), { method: "recovery_code", code: "wrong-again" }, meta);
    const second = waitOf(
      await finishSecondStep(await partialFor(user.id), { method: "authenticator", code: "000000" }, meta),
    );
    expect(second).toBeGreaterThan(base);
    expect(second).toBeLessThanOrEqual(2 * base);
    await letWaitPass();
    expect(
      await finishSecondStep(await partialFor(user.id), { method: "authenticator", code: codeAt(0) }, meta),
    ).toMatchObject({
      ok: true,
    });
  });
});

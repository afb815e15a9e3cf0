import { describe, expect, it } from "vitest";
import { eq, sql } from "drizzle-orm";
import { Secret, TOTP } from "otpauth";
import { db } from "@/db/client";
import { authenticatorApps, passkeys, recoveryCodes, webauthnChallenges } from "@/db/schema";
import { createSession } from "@/lib/auth/sessions";
import { createUser } from "@/lib/test/factories";
import { createSoftAuthenticator } from "@/lib/test/soft-authenticator";
import { factorSummary, hasSecondFactor, removeAllFactors, removeFactorsAddedSince } from "./factors";
import { passkeyRegistrationOptions, savePasskey } from "./passkeys";
import { issueRecoveryCodes, redeemRecoveryCode } from "./recovery-codes";
import { beginAuthenticatorEnrolment, confirmAuthenticatorEnrolment } from "./totp";
import { relyingParty } from "./webauthn-config";

async function addPasskey(userId: string, name: string) {
  const sessionId = await createSession(db, { userId, userAgent: "", ip: "" });
  const options = await passkeyRegistrationOptions({ userId, userName: "u", displayName: "d", sessionId });
  const response = createSoftAuthenticator().register(options, relyingParty().origin);
  const saved = await savePasskey(db, { userId, sessionId, name, response });
  if (!saved.ok) throw new Error("registration failed");
  return saved.passkeyId;
}

async function addAuthenticator(userId: string) {
  const begun = await beginAuthenticatorEnrolment(userId, "label");
  if (!begun.ok) throw new Error("enrolment refused");
  const code = new TOTP({ secret: Secret.fromBase32(begun.secret) }).generate();
  expect(await confirmAuthenticatorEnrolment(db, userId, code)).toBe("ok");
}

/** Moves everything the person has back by an hour, as if added before the alerted event. */
async function ageFactors(userId: string) {
  const hourAgo = sql`now() - interval '1 hour'`;
  await db.update(passkeys).set({ createdAt: hourAgo }).where(eq(passkeys.userId, userId));
  await db
    .update(authenticatorApps)
    .set({
      createdAt: hourAgo,
      confirmedAt: sql`case when confirmed_at is null then null else now() - interval '1 hour' end`,
    })
    .where(eq(authenticatorApps.userId, userId));
  await db.update(recoveryCodes).set({ createdAt: hourAgo }).where(eq(recoveryCodes.userId, userId));
}

describe("factors", () => {
  it("factors: a person with nothing has no factor and an empty summary", async () => {
    const customer = await createUser();
    expect(await hasSecondFactor(customer.id)).toBe(false);
    expect(await factorSummary(customer.id)).toEqual({ passkeys: [], authenticator: null, recoveryCodes: null });
    // Recovery codes alone are not a factor.
    await issueRecoveryCodes(db, customer.id);
    expect(await hasSecondFactor(customer.id)).toBe(false);
  });

  it("factors: the summary lists passkeys in the order added, the switched-on authenticator and the codes left", async () => {
    const customer = await createUser();
    const first = await addPasskey(customer.id, "Laptop");
    const second = await addPasskey(customer.id, "Phone");
    expect(await hasSecondFactor(customer.id)).toBe(true);
    await addAuthenticator(customer.id);
    const codes = await issueRecoveryCodes(db, customer.id);
    expect(await redeemRecoveryCode(customer.id, codes[3])).toBe(true);

    const summary = await factorSummary(customer.id);
    expect(summary.passkeys).toEqual([
      { id: first, name: "Laptop", createdAt: expect.any(Date), lastUsedAt: null, backedUp: false },
      { id: second, name: "Phone", createdAt: expect.any(Date), lastUsedAt: null, backedUp: false },
    ]);
    expect(summary.authenticator).toEqual({ confirmedAt: expect.any(Date), lastUsedAt: expect.any(Date) });
    expect(summary.recoveryCodes).toEqual({ unused: 9, issuedAt: expect.any(Date) });
    // Works inside a transaction too.
    expect(await db.transaction((tx) => factorSummary(customer.id, tx))).toEqual(summary);
    expect(await db.transaction((tx) => hasSecondFactor(customer.id, tx))).toBe(true);
  });

  it("factors: a pending authenticator is neither a factor nor in the summary", async () => {
    const customer = await createUser();
    await beginAuthenticatorEnrolment(customer.id, "label");
    expect(await hasSecondFactor(customer.id)).toBe(false);
    expect((await factorSummary(customer.id)).authenticator).toBeNull();
  });

  it("factors: the undo removes only what was added since the event, and any pending enrolment", async () => {
    const customer = await createUser();
    const kept = await addPasskey(customer.id, "Old laptop");
    await addAuthenticator(customer.id);
    await issueRecoveryCodes(db, customer.id);
    await ageFactors(customer.id);
    const since = new Date(Date.now() - 10 * 60_000);

    const added = await addPasskey(customer.id, "Intruder");
    expect(await removeFactorsAddedSince(db, customer.id, since)).toEqual({
      passkeys: 1,
      authenticator: false,
      recoveryCodes: 0,
    });
    const summary = await factorSummary(customer.id);
    expect(summary.passkeys.map((p) => p.id)).toEqual([kept]);
    expect(summary.passkeys.map((p) => p.id)).not.toContain(added);
    expect(summary.authenticator).not.toBeNull();
    expect(summary.recoveryCodes?.unused).toBe(10);
  });

  it("factors: an authenticator confirmed and codes issued after the event go; older passkeys stay", async () => {
    const customer = await createUser();
    const kept = await addPasskey(customer.id, "Old laptop");
    await ageFactors(customer.id);
    const since = new Date(Date.now() - 10 * 60_000);
    await addAuthenticator(customer.id);
    await issueRecoveryCodes(db, customer.id);
    expect(await removeFactorsAddedSince(db, customer.id, since)).toEqual({
      passkeys: 0,
      authenticator: true,
      recoveryCodes: 10,
    });
    expect(await factorSummary(customer.id)).toEqual({
      passkeys: [expect.objectContaining({ id: kept })],
      authenticator: null,
      recoveryCodes: null,
    });

    // A pending enrolment goes whenever it was started (it is not a factor, so `authenticator` stays false).
    await beginAuthenticatorEnrolment(customer.id, "label");
    await ageFactors(customer.id);
    expect(await removeFactorsAddedSince(db, customer.id, since)).toEqual({
      passkeys: 0,
      authenticator: false,
      recoveryCodes: 0,
    });
    expect(await db.$count(authenticatorApps, eq(authenticatorApps.userId, customer.id))).toBe(0);
  });

  it("factors: removing all leaves nothing, including ceremonies in flight, and touches no one else", async () => {
    const customer = await createUser();
    const other = await createUser({ role: "rep" });
    await addPasskey(customer.id, "Laptop");
    await addAuthenticator(customer.id);
    await issueRecoveryCodes(db, customer.id);
    await issueRecoveryCodes(db, other.id);
    const sessionId = await createSession(db, { userId: customer.id, userAgent: "", ip: "" });
    await passkeyRegistrationOptions({ userId: customer.id, userName: "u", displayName: "d", sessionId });

    await db.transaction((tx) => removeAllFactors(tx, customer.id));
    expect(await hasSecondFactor(customer.id)).toBe(false);
    expect(await factorSummary(customer.id)).toEqual({ passkeys: [], authenticator: null, recoveryCodes: null });
    expect(await db.$count(webauthnChallenges, eq(webauthnChallenges.userId, customer.id))).toBe(0);
    expect(await hasSecondFactor(other.id)).toBe(true);
    expect((await factorSummary(other.id)).recoveryCodes?.unused).toBe(10);
  });
});

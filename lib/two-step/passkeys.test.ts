import { describe, expect, it } from "vitest";
import { eq, sql } from "drizzle-orm";
import { db, dbHandle } from "@/db/client";
import { passkeys, users, webauthnChallenges } from "@/db/schema";
import { createSession } from "@/lib/auth/sessions";
import { createUser } from "@/lib/test/factories";
import { createSoftAuthenticator } from "@/lib/test/soft-authenticator";
import {
  passkeyAuthenticationOptions,
  passkeyRegistrationOptions,
  removePasskey,
  renamePasskey,
  savePasskey,
  verifyPasskeyAssertion,
} from "./passkeys";
import { relyingParty } from "./webauthn-config";

const origin = () => relyingParty().origin;

/**
 * Opens `n` pooled connections first (on Postgres), so the parallel requests below really run at
 * the same time instead of queueing behind the first one's connection setup. PGlite has one
 * connection (and its pg_sleep would spin forever under a frozen Date).
 */
async function openConnections(n: number) {
  if (dbHandle().driver !== "postgres") return;
  await Promise.all(Array.from({ length: n }, () => db.execute(sql`select pg_sleep(0.05)`)));
}

async function register(user: { id: string; username: string }, sessionId: string, name = "Laptop") {
  const authenticator = createSoftAuthenticator();
  const options = await passkeyRegistrationOptions({
    userId: user.id,
    userName: user.username,
    displayName: "Test Person",
    sessionId,
  });
  const saved = await savePasskey(db, {
    userId: user.id,
    sessionId,
    name,
    response: authenticator.register(options, origin()),
  });
  if (!saved.ok) throw new Error("registration failed");
  return { authenticator, passkeyId: saved.passkeyId, options };
}

async function userWithPasskey() {
  const user = await createUser();
  const sessionId = await createSession(db, { userId: user.id, userAgent: "", ip: "" });
  return { user, sessionId, ...(await register(user, sessionId)) };
}

async function passkeyRow(id: string) {
  const [row] = await db.select().from(passkeys).where(eq(passkeys.id, id));
  return row;
}

describe("passkey registration", () => {
  it("passkeys: registration options name the site, the person (by uuid bytes) and exclude their passkeys", async () => {
    const { user, sessionId, authenticator, options } = await userWithPasskey();
    expect(options.rp).toEqual({ id: relyingParty().rpID, name: "Lumen Telecom" });
    expect(Buffer.from(options.user.id, "base64url").toString("hex")).toBe(user.id.replace(/-/g, ""));
    expect(options.user).toMatchObject({ name: user.username, displayName: "Test Person" });
    expect(options.attestation).toBe("none");
    expect(options.authenticatorSelection).toMatchObject({ residentKey: "required", userVerification: "preferred" });
    expect(options.excludeCredentials).toEqual([]);
    const again = await passkeyRegistrationOptions({ userId: user.id, userName: "x", displayName: "y", sessionId });
    expect(again.excludeCredentials?.map((c) => c.id)).toEqual([authenticator.credentialId]);
  });

  it("passkeys: a registration is saved once, with its name trimmed and clipped, and only for its own session", async () => {
    const user = await createUser();
    const sessionId = await createSession(db, { userId: user.id, userAgent: "", ip: "" });
    const otherSession = await createSession(db, { userId: user.id, userAgent: "", ip: "" });
    const authenticator = createSoftAuthenticator();
    const options = await passkeyRegistrationOptions({ userId: user.id, userName: "u", displayName: "d", sessionId });
    const response = authenticator.register(options, origin());
    const fail = { ok: false, code: "passkeyFailed" };
    // Another session of the same person cannot finish it.
    expect(await savePasskey(db, { userId: user.id, sessionId: otherSession, name: "x", response })).toEqual(fail);
    // That attempt did not consume it; an empty name is refused before it is consumed.
    expect(await savePasskey(db, { userId: user.id, sessionId, name: "   ", response })).toEqual(fail);
    const long = `  ${"é".repeat(70)}  `;
    const saved = await savePasskey(db, { userId: user.id, sessionId, name: long, response });
    if (!saved.ok) throw new Error("registration failed");
    expect(saved.createdAt).toBeInstanceOf(Date);
    expect(saved.userVerified).toBe(true);
    const row = await passkeyRow(saved.passkeyId);
    expect(row.name).toBe("é".repeat(60));
    expect(row.transports).toBe("internal");
    expect(row.publicKey).toMatch(/^[A-Za-z0-9_-]+$/);
    // Single use.
    expect(await savePasskey(db, { userId: user.id, sessionId, name: "again", response })).toEqual(fail);
  });

  it("passkeys: a registration from another origin, or a credential someone already registered, is refused", async () => {
    const user = await createUser();
    const sessionId = await createSession(db, { userId: user.id, userAgent: "", ip: "" });
    const authenticator = createSoftAuthenticator();
    const options = await passkeyRegistrationOptions({ userId: user.id, userName: "u", displayName: "d", sessionId });
    const phished = authenticator.register(options, "https://lumen-telecom.example");
    expect(await savePasskey(db, { userId: user.id, sessionId, name: "x", response: phished })).toMatchObject({
      ok: false,
    });

    const { authenticator: theirs } = await userWithPasskey();
    const options2 = await passkeyRegistrationOptions({ userId: user.id, userName: "u", displayName: "d", sessionId });
    const copied = { ...theirs.register(options2, origin()) };
    expect(await savePasskey(db, { userId: user.id, sessionId, name: "x", response: copied })).toMatchObject({
      ok: false,
    });
    expect(await db.$count(passkeys, eq(passkeys.userId, user.id))).toBe(0);
  });

  it("passkeys: malformed responses are refused without throwing", async () => {
    const user = await createUser();
    const sessionId = await createSession(db, { userId: user.id, userAgent: "", ip: "" });
    for (const response of [
      null,
      "x",
      {},
      { id: "a", rawId: "a", type: "public-key", response: { clientDataJSON: "!" } },
    ]) {
      expect(await savePasskey(db, { userId: user.id, sessionId, name: "x", response })).toMatchObject({ ok: false });
      expect(await verifyPasskeyAssertion("sign_in", response, {})).toBeNull();
    }
  });
});

describe("passkey sign-in", () => {
  it("passkeys: a discoverable sign-in finds the user; the counter and last use are recorded", async () => {
    const { user, authenticator, passkeyId } = await userWithPasskey();
    const row = await passkeyRow(passkeyId);
    expect(row).toMatchObject({
      userId: user.id,
      credentialId: authenticator.credentialId,
      name: "Laptop",
      counter: 0,
    });
    expect(row.lastUsedAt).toBeNull();

    const options = await passkeyAuthenticationOptions("sign_in", {});
    expect(options.allowCredentials ?? []).toEqual([]);
    expect(options.rpId).toBe(relyingParty().rpID);
    const response = authenticator.assert(options, origin());
    expect(await verifyPasskeyAssertion("sign_in", response, {})).toEqual({
      userId: user.id,
      passkeyId,
      userVerified: true,
    });
    const after = await passkeyRow(passkeyId);
    expect(after.counter).toBe(1);
    expect(after.lastUsedAt).toBeInstanceOf(Date);

    const next = authenticator.assert(await passkeyAuthenticationOptions("sign_in", {}), origin());
    expect(await verifyPasskeyAssertion("sign_in", next, {})).toMatchObject({ userId: user.id });
    expect((await passkeyRow(passkeyId)).counter).toBe(2);
  });

  it("passkeys: a challenge works once; replaying the same assertion fails", async () => {
    const { user, authenticator } = await userWithPasskey();
    const response = authenticator.assert(await passkeyAuthenticationOptions("sign_in", {}), origin());
    await openConnections(3);
    const results = await Promise.all([1, 2, 3].map(() => verifyPasskeyAssertion("sign_in", response, {})));
    expect(results.filter((r) => r?.userId === user.id)).toHaveLength(1);
    expect(await verifyPasskeyAssertion("sign_in", response, {})).toBeNull();
  });

  it("passkeys: a challenge of another purpose, an expired one, or one never issued fails", async () => {
    const { user, sessionId, authenticator } = await userWithPasskey();
    const signIn = await passkeyAuthenticationOptions("sign_in", {});
    const asSecondStep = authenticator.assert(signIn, origin());
    expect(await verifyPasskeyAssertion("second_step", asSecondStep, { userId: user.id, sessionId })).toBeNull();

    const reauth = await passkeyAuthenticationOptions("reauth", { userId: user.id, sessionId });
    expect(await verifyPasskeyAssertion("sign_in", authenticator.assert(reauth, origin()), {})).toBeNull();

    const expiring = await passkeyAuthenticationOptions("sign_in", {});
    await db
      .update(webauthnChallenges)
      .set({ expiresAt: sql`now() - interval '1 second'` })
      .where(eq(webauthnChallenges.challenge, expiring.challenge));
    expect(await verifyPasskeyAssertion("sign_in", authenticator.assert(expiring, origin()), {})).toBeNull();

    const invented = authenticator.assert({ challenge: "bm90LWlzc3VlZC1ieS11cw" }, origin());
    expect(await verifyPasskeyAssertion("sign_in", invented, {})).toBeNull();
  });

  it("passkeys: an expired challenge is swept when the next one is issued", async () => {
    const stale = await passkeyAuthenticationOptions("sign_in", {});
    await db
      .update(webauthnChallenges)
      .set({ expiresAt: sql`now() - interval '1 second'` })
      .where(eq(webauthnChallenges.challenge, stale.challenge));
    await passkeyAuthenticationOptions("sign_in", {});
    expect(await db.$count(webauthnChallenges, eq(webauthnChallenges.challenge, stale.challenge))).toBe(0);
  });

  it("passkeys: the second step lists the person's passkeys and accepts only theirs, in their session", async () => {
    const me = await userWithPasskey();
    const second = await register(me.user, me.sessionId, "Phone");
    const someoneElse = await userWithPasskey();
    const opts = { userId: me.user.id, sessionId: me.sessionId };

    const options = await passkeyAuthenticationOptions("second_step", opts);
    expect(options.allowCredentials?.map((c) => c.id).sort()).toEqual(
      [me.authenticator.credentialId, second.authenticator.credentialId].sort(),
    );
    expect(options.allowCredentials?.[0].transports).toEqual(["internal"]);
    // Another person's (valid, registered) passkey answering my challenge.
    expect(
      await verifyPasskeyAssertion("second_step", someoneElse.authenticator.assert(options, origin()), opts),
    ).toBeNull();

    // My passkey, but the challenge asked for in someone else's session.
    const theirs = await passkeyAuthenticationOptions("second_step", {
      userId: someoneElse.user.id,
      sessionId: someoneElse.sessionId,
    });
    expect(await verifyPasskeyAssertion("second_step", me.authenticator.assert(theirs, origin()), opts)).toBeNull();

    const mine = await passkeyAuthenticationOptions("second_step", opts);
    expect(await verifyPasskeyAssertion("second_step", second.authenticator.assert(mine, origin()), opts)).toEqual({
      userId: me.user.id,
      passkeyId: second.passkeyId,
      userVerified: true,
    });
    await expect(passkeyAuthenticationOptions("reauth", { userId: me.user.id })).rejects.toThrow();
    expect(await verifyPasskeyAssertion("reauth", {}, { userId: me.user.id })).toBeNull();
  });

  it("passkeys: a wrong origin, a forged signature, a user handle naming someone else or an old counter fails", async () => {
    const { user, authenticator, passkeyId } = await userWithPasskey();
    const other = await createUser();
    const tries = [
      (o: Parameters<typeof authenticator.assert>[0]) => authenticator.assert(o, "https://lumen-telecom.example"),
      (o: Parameters<typeof authenticator.assert>[0]) => {
        const r = authenticator.assert(o, origin());
        return {
          ...r,
          response: { ...r.response, signature: createSoftAuthenticator().assert(o, origin()).response.signature },
        };
      },
      (o: Parameters<typeof authenticator.assert>[0]) =>
        authenticator.assert(o, origin(), {
          userHandle: Buffer.from(other.id.replace(/-/g, ""), "hex").toString("base64url"),
        }),
      (o: Parameters<typeof authenticator.assert>[0]) => authenticator.assert(o, origin(), { rpId: "evil.example" }),
    ];
    for (const attempt of tries) {
      expect(
        await verifyPasskeyAssertion("sign_in", attempt(await passkeyAuthenticationOptions("sign_in", {})), {}),
      ).toBeNull();
    }
    expect(
      await verifyPasskeyAssertion(
        "sign_in",
        authenticator.assert(await passkeyAuthenticationOptions("sign_in", {}), origin()),
        {},
      ),
    ).toMatchObject({ userId: user.id });
    const counter = (await passkeyRow(passkeyId)).counter;
    expect(counter).toBeGreaterThan(0);
    // A cloned authenticator still counting from where the copy was taken.
    const cloned = authenticator.assert(await passkeyAuthenticationOptions("sign_in", {}), origin(), {
      signCount: counter,
    });
    expect(await verifyPasskeyAssertion("sign_in", cloned, {})).toBeNull();
  });

  it("passkeys: a disabled or closed account's passkey signs no one in", async () => {
    const { user, authenticator } = await userWithPasskey();
    await db.update(users).set({ disabledAt: new Date() }).where(eq(users.id, user.id));
    expect(
      await verifyPasskeyAssertion(
        "sign_in",
        authenticator.assert(await passkeyAuthenticationOptions("sign_in", {}), origin()),
        {},
      ),
    ).toBeNull();
    await db.update(users).set({ disabledAt: null, closedAt: new Date() }).where(eq(users.id, user.id));
    expect(
      await verifyPasskeyAssertion(
        "sign_in",
        authenticator.assert(await passkeyAuthenticationOptions("sign_in", {}), origin()),
        {},
      ),
    ).toBeNull();
  });
});

describe("managing passkeys", () => {
  it("passkeys: rename and remove only one's own; a removed passkey no longer signs in", async () => {
    const { user, authenticator, passkeyId } = await userWithPasskey();
    const other = await createUser();
    expect(await renamePasskey(db, other.id, passkeyId, "Mine now")).toBe(false);
    expect(await renamePasskey(db, user.id, passkeyId, "   ")).toBe(false);
    expect(await renamePasskey(db, user.id, "not-a-uuid", "Work laptop")).toBe(false);
    expect(await renamePasskey(db, user.id, passkeyId, " Work laptop ")).toBe(true);
    expect((await passkeyRow(passkeyId)).name).toBe("Work laptop");

    expect(await removePasskey(db, other.id, passkeyId)).toBe(false);
    expect(await removePasskey(db, user.id, "'; drop table passkeys;--")).toBe(false);
    expect(await removePasskey(db, user.id, passkeyId)).toBe(true);
    expect(await removePasskey(db, user.id, passkeyId)).toBe(false);
    const response = authenticator.assert(await passkeyAuthenticationOptions("sign_in", {}), origin());
    expect(await verifyPasskeyAssertion("sign_in", response, {})).toBeNull();
  });
});

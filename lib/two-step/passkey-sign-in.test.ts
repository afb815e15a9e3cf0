import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { db } from "@/db/client";
import { loginThrottle, sessions, users } from "@/db/schema";
import { knownDeviceOf } from "@/lib/auth/known-device";
import { createSession, findActiveSession } from "@/lib/auth/sessions";
import { passkeySignInLimits } from "@/lib/auth/throttle";
import { createUser } from "@/lib/test/factories";
import { createSoftAuthenticator } from "@/lib/test/soft-authenticator";
import { passkeyAuthenticationOptions, passkeyRegistrationOptions, savePasskey } from "./passkeys";
import { signInWithPasskey } from "./passkey-sign-in";
import { relyingParty } from "./webauthn-config";

async function staffWithPasskey() {
  const user = await createUser({ role: "rep", twoStep: false });
  const sessionId = await createSession(db, { userId: user.id, userAgent: "", ip: "" });
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
    name: "Laptop",
    response: authenticator.register(options, relyingParty().origin),
  });
  if (!saved.ok) throw new Error("registration failed");
  return { user, authenticator };
}

const ip = () => `203.0.113.${Math.floor(Math.random() * 250) + 1}`;
const meta = (address: string) => ({ ip: address, userAgent: "Mozilla/5.0 (X11; Linux x86_64) Chrome/156.0.0.0" });

describe("signInWithPasskey", () => {
  it("passkey sign-in: a discoverable passkey is the whole sign-in, staff included: a full session verified by passkey", async () => {
    const { user, authenticator } = await staffWithPasskey();
    const options = await passkeyAuthenticationOptions("sign_in", {});
    const outcome = await signInWithPasskey(authenticator.assert(options, relyingParty().origin), meta(ip()));
    expect(outcome).toMatchObject({ ok: true, userId: user.id, role: "rep" });
    if (!outcome.ok) return;
    const [row] = await db.select().from(sessions).where(eq(sessions.id, outcome.sessionId));
    expect(row).toMatchObject({ stage: "full", verifiedBy: "passkey", reauthenticatedBy: "passkey" });
    expect(await findActiveSession(outcome.sessionId)).toMatchObject({ userId: user.id, role: "rep" });
    // The browser becomes a known device of the account (password throttling skips it).
    const [stored] = await db.select({ passwordHash: users.passwordHash }).from(users).where(eq(users.id, user.id));
    expect(
      knownDeviceOf(outcome.deviceCookie ?? undefined, { id: user.id, passwordHash: stored.passwordHash }),
    ).toMatch(/^[\w-]{16,}$/);
  });

  it("passkey sign-in: a replayed assertion, or a disabled account, is refused and counted against the address", async () => {
    const { user, authenticator } = await staffWithPasskey();
    const address = ip();
    const options = await passkeyAuthenticationOptions("sign_in", {});
    const response = authenticator.assert(options, relyingParty().origin);
    expect((await signInWithPasskey(response, meta(address))).ok).toBe(true);
    // The challenge was single-use.
    expect(await signInWithPasskey(response, meta(address))).toEqual({ ok: false, reason: "invalid" });

    await db.update(users).set({ disabledAt: new Date() }).where(eq(users.id, user.id));
    const again = await passkeyAuthenticationOptions("sign_in", {});
    expect(await signInWithPasskey(authenticator.assert(again, relyingParty().origin), meta(address))).toEqual({
      ok: false,
      reason: "invalid",
    });
    const [count] = await db
      .select()
      .from(loginThrottle)
      .where(eq(loginThrottle.key, passkeySignInLimits(address)[0].key));
    expect(count.failures).toBe(2);
  });

  it("passkey sign-in: an address past its free failures waits its delay, refused before the assertion is checked", async () => {
    const { authenticator } = await staffWithPasskey();
    const address = ip();
    const [limit] = passkeySignInLimits(address);
    if (!("free" in limit)) throw new Error("passkey sign-in is limited by growing delays, not a lock");
    await db.insert(loginThrottle).values({
      key: limit.key,
      failures: limit.free,
      windowStartedAt: new Date(),
      nextAllowedAt: new Date(Date.now() + limit.baseSeconds * 1000),
    });
    const options = await passkeyAuthenticationOptions("sign_in", {});
    const outcome = await signInWithPasskey(authenticator.assert(options, relyingParty().origin), meta(address));
    expect(outcome).toMatchObject({ ok: false, reason: "rate_limited" });
  });
});

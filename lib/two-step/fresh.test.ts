import { and, eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { db } from "@/db/client";
import { auditEvents, sessions } from "@/db/schema";
import { createSession, findActiveSession, forgetSessions } from "@/lib/auth/sessions";
import { createUser } from "@/lib/test/factories";
import { createSoftAuthenticator } from "@/lib/test/soft-authenticator";
import {
  confirmSensitiveChange,
  isFreshlyVerified,
  reauthenticateWithPasskey,
  reauthenticateWithPassword,
  reauthPasskeyOptions,
} from "./fresh";
import { addPasskey, startAddingPasskey } from "./manage";
import { relyingParty } from "./webauthn-config";

async function sessionVerifiedAgo(sessionId: string, minutes: number, by: "password" | "passkey") {
  await db
    .update(sessions)
    .set({ reauthenticatedAt: sql`now() - make_interval(mins => ${minutes})`, reauthenticatedBy: by })
    .where(eq(sessions.id, sessionId));
  forgetSessions();
  return (await findActiveSession(sessionId))!;
}

/** A customer with a passkey, signed in with the password 10 minutes ago. */
async function customerWithPasskey() {
  const user = await createUser();
  const sessionId = await createSession(db, { userId: user.id, userAgent: "", ip: "" });
  const authenticator = createSoftAuthenticator();
  const actor = { session: (await findActiveSession(sessionId))!, ip: "" };
  const options = await startAddingPasskey(actor);
  if (!options.ok) throw new Error("options refused");
  const added = await addPasskey(actor, {
    name: "Laptop",
    response: authenticator.register(options.data, relyingParty().origin),
  });
  if (!added.ok) throw new Error("passkey refused");
  return { user, sessionId, authenticator, session: await sessionVerifiedAgo(sessionId, 10, "password") };
}

describe("fresh verification", () => {
  it("fresh: within 5 minutes of the last verification, not after", async () => {
    const user = await createUser();
    const sessionId = await createSession(db, { userId: user.id, userAgent: "", ip: "" });
    const session = (await findActiveSession(sessionId))!;
    expect(isFreshlyVerified(session)).toBe(true);
    const at = session.reauthenticatedAt.getTime();
    expect(isFreshlyVerified(session, at + 4 * 60_000 + 59_000)).toBe(true);
    expect(isFreshlyVerified(session, at + 5 * 60_000 + 1)).toBe(false);
  });

  it("fresh: a sensitive change takes the current password, or a passkey confirmation of the last 5 minutes", async () => {
    const { user, sessionId, authenticator, session } = await customerWithPasskey();
    // Signed in with the password a while ago, nothing typed: refused.
    expect(await confirmSensitiveChange(session, "")).toEqual({
      ok: false,
      error: "invalidInput",
      fieldErrors: { currentPassword: ["currentPasswordNeeded"] },
    });
    expect(await confirmSensitiveChange(session, "wrong")).toMatchObject({
      fieldErrors: { currentPassword: ["currentPasswordWrong"] },
    });
    expect(await confirmSensitiveChange(session, user.password)).toBeNull();

    // A fresh *password* confirmation does not let the field be skipped.
    const byPassword = await sessionVerifiedAgo(sessionId, 1, "password");
    expect(await confirmSensitiveChange(byPassword, "")).not.toBeNull();

    const options = await reauthPasskeyOptions(session);
    const confirmed = await reauthenticateWithPasskey(
      { session, ip: "198.51.100.7" },
      authenticator.assert(options, relyingParty().origin),
    );
    expect(confirmed).toMatchObject({ ok: true });
    forgetSessions();
    const fresh = (await findActiveSession(sessionId))!;
    expect(fresh.reauthenticatedBy).toBe("passkey");
    expect(await confirmSensitiveChange(fresh, "")).toBeNull();
    // A typed password is still checked, even then.
    expect(await confirmSensitiveChange(fresh, "wrong")).not.toBeNull();
    const [audit] = await db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.subjectUserId, user.id), eq(auditEvents.action, "auth.reauthenticated")));
    expect(audit.detail).toEqual({ by: "passkey" });

    const stale = await sessionVerifiedAgo(sessionId, 6, "passkey");
    expect(await confirmSensitiveChange(stale, "")).toMatchObject({ ok: false });
  });

  it("fresh: a passkey answer for another session, or replayed, does not confirm", async () => {
    const { user, authenticator, session } = await customerWithPasskey();
    const otherId = await createSession(db, { userId: user.id, userAgent: "", ip: "" });
    const other = (await findActiveSession(otherId))!;
    const options = await reauthPasskeyOptions(other);
    const response = authenticator.assert(options, relyingParty().origin);
    expect(await reauthenticateWithPasskey({ session, ip: "" }, response)).toEqual({
      ok: false,
      error: "passkeyFailed",
    });
    expect(await reauthenticateWithPasskey({ session: other, ip: "" }, response)).toMatchObject({ ok: true });
    expect(await reauthenticateWithPasskey({ session: other, ip: "" }, response)).toMatchObject({ ok: false });
  });

  it("fresh: confirming with the password marks the session fresh; a wrong one does not", async () => {
    const { user, sessionId, session } = await customerWithPasskey();
    expect(await reauthenticateWithPassword({ session, ip: "" }, "wrong")).toMatchObject({ ok: false });
    forgetSessions();
    expect(isFreshlyVerified((await findActiveSession(sessionId))!)).toBe(false);
    expect(await reauthenticateWithPassword({ session, ip: "" }, user.password)).toMatchObject({ ok: true });
    forgetSessions();
    const after = (await findActiveSession(sessionId))!;
    expect(isFreshlyVerified(after)).toBe(true);
    expect(after.reauthenticatedBy).toBe("password");
  });
});

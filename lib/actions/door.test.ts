import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { z } from "zod/mini";
import { db } from "@/db/client";
import { users } from "@/db/schema";
import { createSession, findActiveSession, revokeSession } from "@/lib/auth/sessions";
import { resolveTransport } from "@/lib/http/transport";
import type { RequestContext } from "@/lib/http/request-context";
import { createUser } from "@/lib/test/factories";
import { messages } from "@/lib/messages";
import { runSecureAction } from "./door";
import { fail, ok } from "./result";

const renameSchema = z.object({
  firstName: z
    .string()
    .check(z.trim(), z.minLength(1, "Enter your first name"), z.maxLength(80, "Use at most 80 characters")),
});

/** A small profile-type change: the handler writes the session user's first name. */
function rename(calls: string[]) {
  return async (input: { firstName: string }, ctx: { session: { userId: string } }) => {
    calls.push(input.firstName);
    await db.update(users).set({ firstName: input.firstName }).where(eq(users.id, ctx.session.userId));
    return ok(undefined, "Saved");
  };
}

function requestVia(socketEncrypted: boolean, headers: Record<string, string> = {}): RequestContext {
  const t = resolveTransport({
    socketEncrypted,
    socketPeer: "203.0.113.5",
    headers: { host: "localhost", ...headers },
    trustProxy: [],
  });
  return { proto: t.proto, clientIp: t.clientIp, userAgent: "test" };
}

async function signedIn(role: "customer" | "rep" = "customer") {
  const user = await createUser({ role });
  const sessionId = await createSession(db, { userId: user.id, userAgent: "test", ip: "203.0.113.5" });
  return { user, sessionId };
}

async function firstName(userId: string) {
  const [row] = await db.select({ firstName: users.firstName }).from(users).where(eq(users.id, userId));
  return row.firstName;
}

const options = { schema: renameSchema, capability: "account.own" as const, httpsOnly: true };

describe("secure action door", () => {
  it("door: plain HTTP with a spoofed X-Forwarded-Proto: https is refused and nothing is written", async () => {
    const { user, sessionId } = await signedIn();
    const calls: string[] = [];
    const form = new FormData();
    form.set("firstName", "Mallory");
    const result = await runSecureAction(options, rename(calls), form, {
      request: async () => requestVia(false, { "x-forwarded-proto": "https" }),
      session: () => findActiveSession(sessionId),
    });
    expect(result).toEqual({ ok: false, formError: messages.httpsRequired, code: "httpsRequired" });
    expect(calls).toEqual([]);
    expect(await firstName(user.id)).toBe("Test");
  });

  it("door: a request that did not come through server.ts (no stamp) counts as not HTTPS", async () => {
    const { sessionId } = await signedIn();
    const result = await runSecureAction(
      options,
      rename([]),
      { firstName: "X" },
      {
        request: async () => ({ proto: null, clientIp: "", userAgent: "" }),
        session: () => findActiveSession(sessionId),
      },
    );
    expect(result).toMatchObject({ ok: false, formError: messages.httpsRequired });
  });

  it("door: a revoked session is refused on its next request", async () => {
    const { user, sessionId } = await signedIn();
    await revokeSession(db, user.id, sessionId, "test");
    const calls: string[] = [];
    const result = await runSecureAction(
      options,
      rename(calls),
      { firstName: "Eve" },
      {
        request: async () => requestVia(true),
        session: () => findActiveSession(sessionId),
      },
    );
    expect(result).toEqual({ ok: false, formError: messages.signedOut, code: "signedOut" });
    expect(calls).toEqual([]);
  });

  it("door: the wrong role is refused", async () => {
    const { sessionId } = await signedIn("rep");
    const calls: string[] = [];
    const result = await runSecureAction(
      options,
      rename(calls),
      { firstName: "Rep" },
      {
        request: async () => requestVia(true),
        session: () => findActiveSession(sessionId),
      },
    );
    expect(result).toEqual({ ok: false, formError: messages.forbidden, code: "forbidden" });
    expect(calls).toEqual([]);
  });

  it("door: invalid input returns field errors, keeps the typed values, and writes nothing", async () => {
    const { user, sessionId } = await signedIn();
    const form = new FormData();
    form.set("firstName", "x".repeat(81));
    form.set("$ACTION_ID_abc", "");
    const result = await runSecureAction(options, rename([]), form, {
      request: async () => requestVia(true),
      session: () => findActiveSession(sessionId),
    });
    expect(result).toMatchObject({ ok: false, fieldErrors: { firstName: ["Use at most 80 characters"] } });
    if (!result.ok) expect(result.values).toEqual({ firstName: "x".repeat(81) });
    expect(await firstName(user.id)).toBe("Test");
  });

  it("door: a refused form never echoes passwords, card, bank or routing numbers, tokens, or second-step codes", async () => {
    const { sessionId } = await signedIn();
    const form = new FormData();
    for (const [k, v] of Object.entries({
      firstName: "",
      cardNumber: "4111111111111111",
      bankAccountNumber: "000123456789",
      routingNumber: "021000021",
      currentPassword: "hunter2-hunter2",
      token: "secret-token",
      code: "492039",
      recoveryCode: "abcd-efgh-jkmn",
      cardName: "Visible Name",
    }))
      form.set(k, v);
    const result = await runSecureAction(options, rename([]), form, {
      request: async () => requestVia(true),
      session: () => findActiveSession(sessionId),
    });
    expect(result.ok).toBe(false);
    const echoed = JSON.stringify(result);
    for (const secret of [
      "4111111111111111",
      "000123456789",
      "021000021",
      "hunter2-hunter2",
      "secret-token",
      "492039",
      "abcd-efgh-jkmn",
    ]) {
      expect(echoed).not.toContain(secret);
    }
  });

  it("door: extra fields such as userId are ignored — the user is always the session's", async () => {
    const { user, sessionId } = await signedIn();
    const victim = await createUser();
    const result = await runSecureAction(
      options,
      rename([]),
      { firstName: "Zoë", userId: victim.id, role: "admin" },
      {
        request: async () => requestVia(true),
        session: () => findActiveSession(sessionId),
      },
    );
    expect(result).toMatchObject({ ok: true, message: "Saved" });
    expect(await firstName(user.id)).toBe("Zoë");
    expect(await firstName(victim.id)).toBe("Test");
  });

  it("door: a refusal named by codes reaches the form in words; a stale save is marked as a conflict", async () => {
    const { sessionId } = await signedIn();
    const deps = { request: async () => requestVia(true), session: () => findActiveSession(sessionId) };
    const taken = await runSecureAction(
      options,
      async () => fail("invalidInput", { firstName: ["usernameTaken"] }),
      { firstName: "Ana" },
      deps,
    );
    expect(taken).toEqual({
      ok: false,
      formError: messages.invalidInput,
      code: "invalidInput",
      fieldErrors: { firstName: [messages.usernameTaken] },
      values: { firstName: "Ana" },
    });
    const stale = await runSecureAction(
      options,
      async () => ({ ...fail("staleSection"), values: { firstName: "Stored" } }),
      { firstName: "Ana" },
      deps,
    );
    expect(stale).toEqual({
      ok: false,
      formError: messages.staleSection,
      code: "staleSection",
      conflict: true,
      values: { firstName: "Stored" },
    });
    const limited = await runSecureAction(
      options,
      async () => fail({ code: "tooManyAttempts", of: "signIn", retryAfterSeconds: 61 }),
      { firstName: "Ana" },
      deps,
    );
    expect(limited).toMatchObject({
      formError:
        "Too many unsuccessful sign-in attempts. Please try again in 2 minutes, or reset your password to sign in immediately.",
    });
  });

  it("door: an unexpected error becomes a form error, not a thrown stack", async () => {
    const { sessionId } = await signedIn();
    const result = await runSecureAction(
      options,
      async () => {
        throw new Error("boom");
      },
      { firstName: "A" },
      { request: async () => requestVia(true), session: () => findActiveSession(sessionId) },
    );
    expect(result).toMatchObject({ ok: false, formError: expect.stringContaining("nothing was changed") });
  });

  it("door: a database outage answers with the outage message", async () => {
    const { sessionId } = await signedIn();
    const result = await runSecureAction(
      options,
      async () => {
        throw Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:5432"), { code: "ECONNREFUSED" });
      },
      { firstName: "A" },
      { request: async () => requestVia(true), session: () => findActiveSession(sessionId) },
    );
    expect(result).toMatchObject({
      ok: false,
      formError: expect.stringContaining("We can't reach our systems right now"),
    });
  });
});

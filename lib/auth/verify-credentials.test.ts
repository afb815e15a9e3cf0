import { performance } from "node:perf_hooks";
import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { db } from "@/db/client";
import { auditEvents, sessions } from "@/db/schema";
import { createUser, randomName } from "@/lib/test/factories";
import { hashPassword, verifyPassword } from "./password-hash";
import { verifyCredentials } from "./verify-credentials";

const attempt = (
  identifier: string,
  password: string,
  ip = `10.1.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}`,
) => ({
  identifier,
  password,
  ip,
  userAgent: "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36",
});

async function timed<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const start = performance.now();
  const result = await fn();
  return [result, performance.now() - start];
}

describe("verifyCredentials", () => {
  it("sign-in: username or account number with the right password opens a session and is audited", async () => {
    const user = await createUser();
    for (const identifier of [user.username, user.username.toUpperCase(), user.accountNumber]) {
      const outcome = await verifyCredentials(attempt(identifier, user.password));
      expect(outcome).toMatchObject({ ok: true, userId: user.id, role: "customer" });
      if (!outcome.ok) continue;
      const [row] = await db.select().from(sessions).where(eq(sessions.id, outcome.sessionId));
      expect(row).toMatchObject({ userId: user.id, browser: "Chrome 156", os: "Linux" });
    }
    const audits = await db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.subjectUserId, user.id), eq(auditEvents.action, "auth.sign_in")));
    expect(audits).toHaveLength(3);
  });

  it("sign-in: wrong password and unknown user give the same answer", async () => {
    const user = await createUser();
    expect(await verifyCredentials(attempt(user.username, "wrong password!"))).toEqual({
      ok: false,
      reason: "invalid",
    });
    expect(await verifyCredentials(attempt(randomName("nobody"), "wrong password!"))).toEqual({
      ok: false,
      reason: "invalid",
    });
  });

  it("sign-in: an unknown user costs about as much time as a wrong password (a hash is verified either way)", async () => {
    // Measured at the password check, the part that dominates and that an attacker could time:
    // the rest of the path is a few small queries either way.
    const realHash = await hashPassword("the real password 123");
    await verifyPassword(null, "warm-up"); // builds the dummy hash once
    const wrong: number[] = [];
    const unknown: number[] = [];
    for (let i = 0; i < 7; i++) {
      wrong.push((await timed(() => verifyPassword(realHash, `wrong-${i}`)))[1]);
      unknown.push((await timed(() => verifyPassword(null, `wrong-${i}`)))[1]);
    }
    const median = (xs: number[]) => xs.sort((a, b) => a - b)[3];
    // Without the dummy hash an unknown user would answer in microseconds.
    expect(median(unknown)).toBeGreaterThan(median(wrong) * 0.5);
    expect(await verifyPassword(null, "anything")).toBe(false);
  });

  it("sign-in: after 5 failures the account is limited, even with the right password, before any hashing", async () => {
    const user = await createUser();
    for (let i = 0; i < 5; i++) {
      // Different addresses: the per-account limit must hold across addresses.
      expect(await verifyCredentials(attempt(user.username, `bad-${i}`, `192.0.2.${i + 1}`))).toMatchObject({
        reason: "invalid",
      });
    }
    const [limited, ms] = await timed(() =>
      verifyCredentials(attempt(user.accountNumber, user.password, "192.0.2.99")),
    );
    expect(limited).toMatchObject({ ok: false, reason: "rate_limited" });
    if (!limited.ok && limited.reason === "rate_limited") {
      expect(limited.retryAfterSeconds).toBeGreaterThan(13 * 60);
      expect(limited.retryAfterSeconds).toBeLessThanOrEqual(15 * 60);
    }
    const [, hashMs] = await timed(() => verifyCredentials(attempt(randomName("other"), "x", "192.0.2.200")));
    expect(ms).toBeLessThan(hashMs);
    const [count] = await db.select().from(sessions).where(eq(sessions.userId, user.id));
    expect(count).toBeUndefined();
  });

  it("sign-in: the per-address limit holds across accounts", async () => {
    const ip = `198.18.${Math.floor(Math.random() * 250)}.1`;
    const limit = 50;
    for (let i = 0; i < limit; i++) {
      await verifyCredentials(attempt(randomName("spray"), "x", ip));
    }
    const user = await createUser();
    expect(await verifyCredentials(attempt(user.username, user.password, ip))).toMatchObject({
      reason: "rate_limited",
    });
    expect(await verifyCredentials(attempt(user.username, user.password, "198.19.0.1"))).toMatchObject({ ok: true });
  }, 60_000);
});

describe("verifyCredentials: the session's stage", () => {
  it("sign-in: a customer without two-step gets a full session; with a factor only a second-step one; staff without one only enrolment", async () => {
    const plain = await createUser();
    const withApp = await createUser({ twoStep: true });
    const staffWithApp = await createUser({ role: "marketing" });
    const staffWithout = await createUser({ role: "admin", twoStep: false });
    const cases = [
      [plain, "full", "auth.sign_in"],
      [withApp, "second_step", "auth.password_ok_second_step_pending"],
      [staffWithApp, "second_step", "auth.password_ok_second_step_pending"],
      [staffWithout, "enrol", "auth.password_ok_second_step_pending"],
    ] as const;
    for (const [user, stage, action] of cases) {
      const outcome = await verifyCredentials(attempt(user.username, user.password));
      expect(outcome).toMatchObject({ ok: true, userId: user.id, stage });
      if (!outcome.ok) continue;
      const [row] = await db.select().from(sessions).where(eq(sessions.id, outcome.sessionId));
      expect(row.stage).toBe(stage);
      // A partial session lives minutes, not the month a full one does.
      const lifetime = row.expiresAt.getTime() - Date.now();
      if (stage === "full") expect(lifetime).toBeGreaterThan(24 * 3600_000);
      else expect(lifetime).toBeLessThanOrEqual((stage === "enrol" ? 15 : 5) * 60_000);
      const audits = await db.select().from(auditEvents).where(eq(auditEvents.subjectUserId, user.id));
      expect(audits.map((a) => a.action)).toEqual([action]);
    }
  });
});

import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { eq, sql } from "drizzle-orm";
import { Secret, TOTP } from "otpauth";
import { db, dbHandle } from "@/db/client";
import { authenticatorApps } from "@/db/schema";
import { createUser, TEST_TOTP_SECRET } from "@/lib/test/factories";
import { hasSecondFactor } from "./factors";
import { openTotpSecret } from "./secret";
import {
  beginAuthenticatorEnrolment,
  checkAuthenticatorCode,
  confirmAuthenticatorEnrolment,
  removeAuthenticator,
  TOTP_PERIOD_SECONDS,
} from "./totp";

const STEP_MS = TOTP_PERIOD_SECONDS * 1000;

/**
 * Opens `n` pooled connections first (on Postgres), so the parallel requests below really run at
 * the same time instead of queueing behind the first one's connection setup. PGlite has one
 * connection (and its pg_sleep would spin forever under a frozen Date).
 */
async function openConnections(n: number) {
  if (dbHandle().driver !== "postgres") return;
  await Promise.all(Array.from({ length: n }, () => db.execute(sql`select pg_sleep(0.05)`)));
}

function codeAt(secret: string, offsetSteps: number): string {
  return new TOTP({ secret: Secret.fromBase32(secret), algorithm: "SHA1", digits: 6, period: 30 }).generate({
    timestamp: Date.now() + offsetSteps * STEP_MS,
  });
}

async function appRow(userId: string) {
  const [row] = await db.select().from(authenticatorApps).where(eq(authenticatorApps.userId, userId));
  return row;
}

// Date alone is frozen in the middle of a time step, so a code computed here cannot roll over into
// the next step before the server checks it (the database keeps its own clock and its timers).
beforeEach(() => {
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(Math.floor(Date.now() / STEP_MS) * STEP_MS + STEP_MS / 2);
});
afterEach(() => {
  vi.useRealTimers();
});

describe("authenticator codes", () => {
  it("totp: the current code and one step either side pass; two steps off do not", async () => {
    const staff = await createUser({ role: "rep" });
    expect(await checkAuthenticatorCode(staff.id, codeAt(TEST_TOTP_SECRET, -2))).toBe("wrong");
    expect(await checkAuthenticatorCode(staff.id, codeAt(TEST_TOTP_SECRET, 2))).toBe("wrong");
    expect(await checkAuthenticatorCode(staff.id, codeAt(TEST_TOTP_SECRET, -1))).toBe("ok");
    expect(await checkAuthenticatorCode(staff.id, codeAt(TEST_TOTP_SECRET, 0))).toBe("ok");
    expect(await checkAuthenticatorCode(staff.id, codeAt(TEST_TOTP_SECRET, 1))).toBe("ok");
    const row = await appRow(staff.id);
    expect(row.lastUsedStep).toBe(Math.floor(Date.now() / STEP_MS) + 1);
    expect(row.lastUsedAt).toBeInstanceOf(Date);
  });

  it("totp: a code is accepted once, and an older step after a newer one is refused", async () => {
    const a = await createUser({ role: "rep" });
    expect(await checkAuthenticatorCode(a.id, codeAt(TEST_TOTP_SECRET, 0))).toBe("ok");
    expect(await checkAuthenticatorCode(a.id, codeAt(TEST_TOTP_SECRET, 0))).toBe("replayed");

    const b = await createUser({ role: "admin" });
    expect(await checkAuthenticatorCode(b.id, codeAt(TEST_TOTP_SECRET, 1))).toBe("ok");
    expect(await checkAuthenticatorCode(b.id, codeAt(TEST_TOTP_SECRET, 0))).toBe("replayed");
    expect(await checkAuthenticatorCode(b.id, codeAt(TEST_TOTP_SECRET, -1))).toBe("replayed");
  });

  it("totp: one code submitted five times at once passes exactly once", async () => {
    const staff = await createUser({ role: "marketing" });
    const code = codeAt(TEST_TOTP_SECRET, 0);
    await openConnections(5);
    const results = await Promise.all([1, 2, 3, 4, 5].map(() => checkAuthenticatorCode(staff.id, code)));
    expect(results.filter((r) => r === "ok")).toHaveLength(1);
    expect(results.filter((r) => r === "replayed")).toHaveLength(4);
  });

  it("totp: spaces are ignored; anything but six digits is wrong and uses no step", async () => {
    const staff = await createUser({ role: "rep" });
    const code = codeAt(TEST_TOTP_SECRET, 0);
    for (const bad of ["", "12345", "1234567", "12345a", `${code}0`, "١٢٣٤٥٦"]) {
      expect(await checkAuthenticatorCode(staff.id, bad)).toBe("wrong");
    }
    expect((await appRow(staff.id)).lastUsedStep).toBeNull();
    expect(await checkAuthenticatorCode(staff.id, ` ${code.slice(0, 3)} ${code.slice(3)} `)).toBe("ok");
  });

  it("totp: someone without an authenticator gets 'wrong', whatever they type", async () => {
    const customer = await createUser();
    expect(await checkAuthenticatorCode(customer.id, codeAt(TEST_TOTP_SECRET, 0))).toBe("wrong");
  });
});

describe("authenticator enrolment", () => {
  it("enrolment: the secret is stored encrypted, the QR code scales, and only a right first code switches it on", async () => {
    const customer = await createUser();
    const begun = await beginAuthenticatorEnrolment(customer.id, customer.username);
    if (!begun.ok) throw new Error("enrolment refused");
    expect(begun.secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(begun.uri).toContain(`secret=${begun.secret}`);
    expect(begun.uri).toMatch(/^otpauth:\/\/totp\/Lumen%20Telecom:/);
    expect(begun.uri).toContain("issuer=Lumen%20Telecom");
    expect(begun.uri).toContain(encodeURIComponent(customer.username));
    expect(begun.uri).toContain("period=30");
    expect(begun.qrSvg).toMatch(/^<svg [^>]*viewBox="0 0 \d+ \d+"/);
    expect(begun.qrSvg).not.toMatch(/<svg [^>]*\bwidth=/);

    const pending = await appRow(customer.id);
    expect(pending.confirmedAt).toBeNull();
    expect(pending.secretBox).not.toContain(begun.secret);
    expect(openTotpSecret(customer.id, pending.secretBox)).toBe(begun.secret);
    // Not yet a factor, and its codes do not sign anyone in.
    expect(await hasSecondFactor(customer.id)).toBe(false);
    expect(await checkAuthenticatorCode(customer.id, codeAt(begun.secret, 0))).toBe("wrong");

    const wrong = codeAt(begun.secret, 3);
    expect(await confirmAuthenticatorEnrolment(db, customer.id, wrong)).toBe("wrong");
    expect(await confirmAuthenticatorEnrolment(db, customer.id, "abc")).toBe("wrong");
    expect(await appRow(customer.id)).toEqual(pending);

    const code = codeAt(begun.secret, 0);
    expect(await confirmAuthenticatorEnrolment(db, customer.id, code)).toBe("ok");
    const on = await appRow(customer.id);
    expect(on.confirmedAt).toBeInstanceOf(Date);
    expect(on.createdAt.getTime()).toBe(on.confirmedAt!.getTime());
    expect(on.lastUsedStep).toBe(Math.floor(Date.now() / STEP_MS));
    expect(await hasSecondFactor(customer.id)).toBe(true);
    // The code that confirmed it has been used.
    expect(await checkAuthenticatorCode(customer.id, code)).toBe("replayed");
    expect(await checkAuthenticatorCode(customer.id, codeAt(begun.secret, 1))).toBe("ok");
    // Nothing left to confirm.
    expect(await confirmAuthenticatorEnrolment(db, customer.id, codeAt(begun.secret, 1))).toBe("none");
  });

  it("enrolment: refused while a switched-on authenticator exists; a restart replaces the pending secret", async () => {
    const staff = await createUser({ role: "rep" });
    expect(await beginAuthenticatorEnrolment(staff.id, staff.username)).toEqual({
      ok: false,
      code: "authenticatorAlreadyOn",
    });
    expect(openTotpSecret(staff.id, (await appRow(staff.id)).secretBox)).toBe(TEST_TOTP_SECRET);

    const customer = await createUser();
    const first = await beginAuthenticatorEnrolment(customer.id, "first");
    const second = await beginAuthenticatorEnrolment(customer.id, "second");
    if (!first.ok || !second.ok) throw new Error("enrolment refused");
    expect(second.secret).not.toBe(first.secret);
    expect(await confirmAuthenticatorEnrolment(db, customer.id, codeAt(first.secret, 0))).toBe("wrong");
    expect(await confirmAuthenticatorEnrolment(db, customer.id, codeAt(second.secret, 0))).toBe("ok");
  });

  it("enrolment: one begun more than 15 minutes ago counts as none", async () => {
    const customer = await createUser();
    const begun = await beginAuthenticatorEnrolment(customer.id, customer.username);
    if (!begun.ok) throw new Error("enrolment refused");
    await db
      .update(authenticatorApps)
      .set({ createdAt: new Date(Date.now() - 16 * 60_000) })
      .where(eq(authenticatorApps.userId, customer.id));
    expect(await confirmAuthenticatorEnrolment(db, customer.id, codeAt(begun.secret, 0))).toBe("none");
    expect((await appRow(customer.id)).confirmedAt).toBeNull();
  });

  it("enrolment: no enrolment at all is 'none'", async () => {
    const customer = await createUser();
    expect(await confirmAuthenticatorEnrolment(db, customer.id, "123456")).toBe("none");
  });

  it("removal: true for a switched-on authenticator, false for a pending one or none", async () => {
    const staff = await createUser({ role: "rep" });
    expect(await removeAuthenticator(db, staff.id)).toBe(true);
    expect(await appRow(staff.id)).toBeUndefined();
    expect(await hasSecondFactor(staff.id)).toBe(false);
    expect(await removeAuthenticator(db, staff.id)).toBe(false);

    const customer = await createUser();
    await beginAuthenticatorEnrolment(customer.id, customer.username);
    expect(await removeAuthenticator(db, customer.id)).toBe(false);
    expect(await appRow(customer.id)).toBeUndefined();
  });
});

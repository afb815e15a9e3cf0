import { performance } from "node:perf_hooks";
import { and, eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { db } from "@/db/client";
import { auditEvents, mailOutbox, passwordResets, sessions, users } from "@/db/schema";
import { env } from "@/lib/env";
import { resolveTransport } from "@/lib/http/transport";
import { createUser, randomName } from "@/lib/test/factories";
import { hashPassword, verifyPassword } from "./password-hash";
import { resetPassword } from "./password-reset";
import { issueToken } from "./single-use-token";
import { signInWait, verifyCredentials, type SignInOutcome } from "./verify-credentials";

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

describe("verifyCredentials: throttling without a lock-out button", () => {
  const e = () => env();
  const addr = () => `203.0.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}`;
  /** Lets every wait of this account's keys run out (the counts stay). */
  const letWaitsPass = (userOrName: string) =>
    db.execute(
      sql`update login_throttle set next_allowed_at = now() - interval '1 second', window_started_at = now() - interval '1 second'
          where key like ${`%${userOrName.toLowerCase()}%`}`,
    );
  const waitOf = (o: SignInOutcome) => (!o.ok && o.reason === "rate_limited" ? o.retryAfterSeconds : 0);
  const attackMails = (email: string) =>
    db
      .select()
      .from(mailOutbox)
      .where(
        and(eq(mailOutbox.toAddress, email), eq(mailOutbox.subject, "Someone is trying to sign in to your MyAccount")),
      );

  it("throttle: failures from one address slow that address for the account, not the owner elsewhere", async () => {
    const user = await createUser();
    const here = addr();
    for (let i = 0; i < e().LOGIN_FREE_FAILURES_PER_ACCOUNT_ADDRESS; i++) {
      expect(await verifyCredentials(attempt(user.username, `bad-${i}`, here))).toMatchObject({ reason: "invalid" });
    }
    const [slowed, ms] = await timed(() => verifyCredentials(attempt(user.username, user.password, here)));
    expect(waitOf(slowed)).toBeGreaterThan(0);
    expect(waitOf(slowed)).toBeLessThanOrEqual(e().LOGIN_DELAY_BASE_SECONDS);
    // Refused before the hash.
    const [, hashMs] = await timed(() => verifyCredentials(attempt(randomName("other"), "x", addr())));
    expect(ms).toBeLessThan(hashMs);
    expect(await verifyCredentials(attempt(user.username, user.password, addr()))).toMatchObject({ ok: true });
  });

  it("throttle: delays double from the base and stop at the cap, from one address and from anywhere", async () => {
    const user = await createUser();
    const here = addr();
    for (let i = 0; i < e().LOGIN_FREE_FAILURES_PER_ACCOUNT_ADDRESS; i++) {
      await verifyCredentials(attempt(user.username, `bad-${i}`, here));
    }
    const waits: number[] = [];
    for (let round = 0; round < 9; round++) {
      waits.push(waitOf(await verifyCredentials(attempt(user.username, user.password, here))));
      await letWaitsPass(user.id);
      expect(await verifyCredentials(attempt(user.username, `again-${round}`, here))).toMatchObject({
        reason: "invalid",
      });
    }
    const base = e().LOGIN_DELAY_BASE_SECONDS;
    const cap = e().LOGIN_MAX_DELAY_PER_ACCOUNT_ADDRESS_MINUTES * 60;
    const expected = waits.map((_, k) => Math.min(cap, base * 2 ** k));
    // Within a second or two of the exact figure (the wait is read a moment after it was set).
    waits.forEach((w, k) => expect(expected[k] - w).toBeLessThanOrEqual(2));
    expect(Math.max(...waits)).toBeLessThanOrEqual(cap);

    // From anywhere: a spray over many addresses is capped short.
    const sprayed = await createUser();
    const anywhereCap = e().LOGIN_MAX_DELAY_PER_ACCOUNT_MINUTES * 60;
    for (let i = 0; i < e().LOGIN_FREE_FAILURES_PER_ACCOUNT; i++) {
      await verifyCredentials(attempt(sprayed.username, `bad-${i}`, addr()));
    }
    const sprayWaits: number[] = [];
    for (let round = 0; round < 6; round++) {
      sprayWaits.push(waitOf(await verifyCredentials(attempt(sprayed.username, sprayed.password, addr()))));
      await letWaitsPass(sprayed.id);
      await verifyCredentials(attempt(sprayed.username, `again-${round}`, addr()));
    }
    expect(sprayWaits[0]).toBeGreaterThan(0);
    expect(sprayWaits[0]).toBeLessThanOrEqual(base);
    expect(sprayWaits.at(-1)).toBeGreaterThan(anywhereCap - 3);
    expect(Math.max(...sprayWaits)).toBeLessThanOrEqual(anywhereCap);
    await letWaitsPass(sprayed.id);
    expect(await verifyCredentials(attempt(sprayed.username, sprayed.password, addr()))).toMatchObject({ ok: true });
  }, 60_000);

  it("throttle: a known device signs in at once while its account and address are slowed by failures from elsewhere", async () => {
    const user = await createUser();
    const home = addr();
    const first = await verifyCredentials(attempt(user.username, user.password, home));
    if (!first.ok) throw new Error("sign-in failed");
    expect(first.deviceCookie).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    for (let i = 0; i < e().LOGIN_FREE_FAILURES_PER_ACCOUNT; i++) {
      await verifyCredentials(attempt(user.username, `spray-${i}`, addr()));
    }
    for (let i = 0; i < e().LOGIN_FREE_FAILURES_PER_ACCOUNT_ADDRESS; i++) {
      await verifyCredentials(attempt(user.accountNumber, `same-address-${i}`, home));
    }
    // The address has spent its budget across all accounts too.
    await db.execute(
      sql`insert into login_throttle (key, failures, window_started_at) values (${`ip:${home}`}, ${e().LOGIN_MAX_FAILURES_PER_IP}, now())
          on conflict (key) do update set failures = excluded.failures, window_started_at = now()`,
    );
    expect(waitOf(await verifyCredentials(attempt(user.username, user.password, home)))).toBeGreaterThan(0);
    expect(waitOf(await verifyCredentials(attempt(user.username, user.password, addr())))).toBeGreaterThan(0);

    const known = await verifyCredentials({
      ...attempt(user.username, user.password, home),
      deviceCookie: first.deviceCookie!,
    });
    expect(known).toMatchObject({ ok: true, userId: user.id });
    expect(await signInWait(user.username, home, first.deviceCookie!)).toMatchObject({ seconds: 0 });
    expect((await signInWait(user.username, home)).seconds).toBeGreaterThan(0);
  });

  it("throttle: a known device has its own strict count, and its cookie proves only its own account and password", async () => {
    const user = await createUser();
    const other = await createUser();
    const signedIn = await verifyCredentials(attempt(user.username, user.password));
    if (!signedIn.ok) throw new Error("sign-in failed");
    const cookie = signedIn.deviceCookie!;
    for (let i = 0; i < e().LOGIN_FREE_FAILURES_PER_ACCOUNT_ADDRESS; i++) {
      await verifyCredentials({ ...attempt(user.username, `typo-${i}`), deviceCookie: cookie });
    }
    expect(
      waitOf(await verifyCredentials({ ...attempt(user.username, user.password), deviceCookie: cookie })),
    ).toBeGreaterThan(0);
    // Its typos are its own: another browser of the owner is not slowed.
    expect(await verifyCredentials(attempt(user.username, user.password))).toMatchObject({ ok: true });

    // Another account's failures are not skipped with this cookie, nor with a forged one.
    for (let i = 0; i < e().LOGIN_FREE_FAILURES_PER_ACCOUNT; i++) {
      await verifyCredentials(attempt(other.username, `spray-${i}`));
    }
    const [id, nonce, mac] = cookie.split(".");
    for (const forged of [
      cookie,
      `${other.id}.${nonce}.${mac}`,
      `${id}.${nonce}.${mac.slice(0, -2)}AA`.replace(id, other.id),
    ]) {
      expect(
        waitOf(await verifyCredentials({ ...attempt(other.username, other.password), deviceCookie: forged })),
      ).toBeGreaterThan(0);
    }

    // A new password (reset or change) ends every device cookie of the account.
    const fresh = await verifyCredentials(attempt(user.username, user.password));
    if (!fresh.ok) throw new Error("sign-in failed");
    await db
      .update(users)
      .set({ passwordHash: await hashPassword("a brand new passphrase") })
      .where(eq(users.id, user.id));
    for (let i = 0; i < e().LOGIN_FREE_FAILURES_PER_ACCOUNT; i++) {
      await verifyCredentials(attempt(user.username, `spray-${i}`));
    }
    expect(
      waitOf(
        await verifyCredentials({
          ...attempt(user.username, "a brand new passphrase"),
          deviceCookie: fresh.deviceCookie!,
        }),
      ),
    ).toBeGreaterThan(0);
  }, 60_000);

  it("throttle: the username in any casing and the account number share one count; so do casings of an unknown name", async () => {
    const user = await createUser();
    const here = addr();
    const names = [
      user.username.toUpperCase(),
      user.accountNumber,
      ` ${user.username} `,
      user.username,
      user.accountNumber,
    ];
    for (const [i, name] of names.entries()) {
      expect(await verifyCredentials(attempt(name, `bad-${i}`, here))).toMatchObject({ reason: "invalid" });
    }
    expect(waitOf(await verifyCredentials(attempt(user.username, user.password, here)))).toBeGreaterThan(0);

    const nobody = randomName("nobody");
    for (const [i, name] of [nobody, nobody.toUpperCase(), ` ${nobody}`, nobody, nobody.toUpperCase()].entries()) {
      expect(await verifyCredentials(attempt(name, `bad-${i}`, here))).toMatchObject({ reason: "invalid" });
    }
    expect(waitOf(await verifyCredentials(attempt(nobody, "x", here)))).toBeGreaterThan(0);
  });

  it("throttle: a rotating X-Forwarded-For is one address unless the peer is a trusted proxy", async () => {
    const user = await createUser();
    const peer = addr();
    const clientIp = (i: number, trustProxy: string[]) =>
      resolveTransport({
        socketEncrypted: true,
        socketPeer: peer,
        headers: { host: "myaccount.example", "x-forwarded-for": `198.51.100.${i}` },
        trustProxy,
      }).clientIp;
    for (let i = 0; i < e().LOGIN_FREE_FAILURES_PER_ACCOUNT_ADDRESS; i++) {
      expect(clientIp(i, [])).toBe(peer);
      await verifyCredentials(attempt(user.username, `bad-${i}`, clientIp(i, [])));
    }
    expect(waitOf(await verifyCredentials(attempt(user.username, user.password, clientIp(99, []))))).toBeGreaterThan(0);
    // Behind a proxy named in TRUST_PROXY the header is believed (and that proxy must set it).
    expect(clientIp(7, [peer])).toBe("198.51.100.7");
  });

  it("throttle: the owner gets one mail when the account is being guessed at, not one per attempt", async () => {
    const user = await createUser();
    const free = e().LOGIN_FREE_FAILURES_PER_ACCOUNT;
    for (let i = 0; i < free - 1; i++) await verifyCredentials(attempt(user.username, `guess-${i}`, addr()));
    expect(await attackMails(user.email)).toHaveLength(0);
    await verifyCredentials(attempt(user.username, "guess-last <script>", addr()));
    for (let round = 0; round < 3; round++) {
      await letWaitsPass(user.id);
      await verifyCredentials(attempt(user.username, `more-${round}`, addr()));
    }
    // A lull long enough to forget the count, then a new burst: still within LOGIN_ALERT_HOURS.
    await db.execute(sql`delete from login_throttle where key like ${`%${user.id}%`}`);
    for (let i = 0; i < free; i++) await verifyCredentials(attempt(user.username, `burst-${i}`, addr()));
    const mails = await attackMails(user.email);
    expect(mails).toHaveLength(1);
    expect(mails[0].textBody).toContain(`${free} or more unsuccessful attempts`);
    expect(mails[0].textBody).not.toMatch(/guess-|more-|burst-|<script>|203\.0\./);
    const audits = await db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.subjectUserId, user.id), eq(auditEvents.action, "auth.attack_alert_sent")));
    expect(audits).toHaveLength(1);
    // The owner's own browser's typos (a known device) are no attack.
    const quiet = await createUser();
    const own = await verifyCredentials(attempt(quiet.username, quiet.password));
    if (!own.ok) throw new Error("sign-in failed");
    for (let i = 0; i < free + 2; i++) {
      await verifyCredentials({ ...attempt(quiet.username, `typo-${i}`), deviceCookie: own.deviceCookie! });
      await letWaitsPass(quiet.id);
    }
    expect(await attackMails(quiet.email)).toHaveLength(0);
  }, 60_000);

  it("throttle: a fresh password reset lets the resetting browser in at once, whatever failed before", async () => {
    const user = await createUser();
    const here = addr();
    for (let i = 0; i < e().LOGIN_FREE_FAILURES_PER_ACCOUNT; i++) {
      await verifyCredentials(attempt(user.username, `spray-${i}`, here));
    }
    expect(waitOf(await verifyCredentials(attempt(user.username, user.password, here)))).toBeGreaterThan(0);
    const { token, tokenHash, expiresAt } = issueToken(30 * 60_000);
    await db.insert(passwordResets).values({ userId: user.id, tokenHash, expiresAt });
    const reset = await resetPassword({ token, password: "a fresh long passphrase" }, { ip: here });
    if (!reset.ok) throw new Error("reset failed");
    // The address's own budget across all accounts is spent as well: the device cookie passes it.
    await db.execute(
      sql`insert into login_throttle (key, failures, window_started_at) values (${`ip:${here}`}, ${e().LOGIN_MAX_FAILURES_PER_IP}, now())
          on conflict (key) do update set failures = excluded.failures, window_started_at = now()`,
    );
    expect(
      await verifyCredentials({
        ...attempt(user.username, "a fresh long passphrase", here),
        deviceCookie: reset.data.deviceCookie!,
      }),
    ).toMatchObject({ ok: true });
    // And the account's counts went with the reset: another address is not slowed either.
    expect(await verifyCredentials(attempt(user.accountNumber, "a fresh long passphrase", addr()))).toMatchObject({
      ok: true,
    });
  });
});
